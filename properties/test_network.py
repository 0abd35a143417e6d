"""The 3-layer network: forward, backward, update, predict (docs/SPEC.md § Network): NET-1 … NET-4.

Each notebook has its own copy of the network (``forward_propagation``/``backward_propagation`` in
the utils of Initialization and Regularization; ``forward_propagation_n``/``backward_propagation_n``
in Gradient Checking, whose given backward pass carries two planted bugs); each copy the target
provides is judged. A Gradient-Checking-shaped target's ``forward_propagation(x, theta)`` is the 1-D
example, not the network: those properties skip it (test_gradient_checking.py judges it).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given

from properties.strategies import Net, examples, learning_rates, nets
from refnn.conformance import oracle
from refnn.conformance.judge import Array, Scalar, Tuple, check, check_close
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import PLAIN_CACHE, cache_spec, forward_spec, grads_spec, params_spec

BACKWARDS = [
    "backward_propagation",
    pytest.param("backward_propagation_n", marks=pytest.mark.rule("GC-7")),
]


def plain_cache(net: Net) -> tuple[np.ndarray, ...]:
    _, cache, _ = oracle.forward(net.params, net.X)
    return cache


@pytest.mark.rule("NET-1")
@given(net=nets())
def test_forward_propagation_computes_linear_relu_linear_relu_linear_sigmoid(
    target: Subject, net: Net
) -> None:
    """NET-1: forward_propagation(X, parameters) returns A3 and the cache
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) of LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID."""
    fn = target.require("forward_propagation", "network")
    A3, cache = fn.call(net.X, net.params, expect=forward_spec(net.dims, net.m))
    want_A3, want_cache, _ = oracle.forward(net.params, net.X)
    check_close(A3, want_A3, "forward_propagation(X, parameters) A3", rtol=1e-12, atol=1e-15)
    for i, name in enumerate(PLAIN_CACHE):
        check_close(cache[i], want_cache[i], f"forward_propagation cache entry {i} ({name})",
                    rtol=1e-12, atol=1e-14)


@pytest.mark.rule("NET-1", "GC-7")
@given(net=nets(dims=(4, 5, 3, 1)))
def test_forward_propagation_n_returns_the_cost_and_the_cache(target: Subject, net: Net) -> None:
    """NET-1, GC-7: forward_propagation_n(X, Y, parameters) returns the mean cross-entropy of the
    network's output and the same cache as forward_propagation."""
    fn = target.require("forward_propagation_n")
    spec = Tuple((Scalar(), cache_spec(net.dims, net.m, dropout=False)), ("cost", "cache"),
                 label="pair (cost, cache)")
    J, cache = fn.call(net.X, net.Y, net.params, expect=spec)
    want_A3, want_cache, _ = oracle.forward(net.params, net.X)
    check_close(J, oracle.cost(want_A3, net.Y), "forward_propagation_n cost vs the mean "
                "cross-entropy of A3", rtol=1e-12, atol=1e-15)
    for i, name in enumerate(PLAIN_CACHE):
        check_close(cache[i], want_cache[i], f"forward_propagation_n cache entry {i} ({name})",
                    rtol=1e-12, atol=1e-14)


def _backward(target: Subject, name: str, net: Net) -> dict[str, np.ndarray]:
    fn = target.require(name, "network")
    return fn.call(net.X, net.Y, plain_cache(net),  # type: ignore[no-any-return]
                   expect=grads_spec(net.dims))


@pytest.mark.rule("NET-2")
@pytest.mark.parametrize("name", BACKWARDS)
@given(net=nets())
def test_backward_propagation_agrees_with_refnn(target: Subject, name: str, net: Net) -> None:
    """NET-2: backward_propagation(X, Y, cache) returns dW[l] = (1/m) dZ[l] A[l−1]ᵀ and
    db[l] = (1/m) Σ dZ[l] with dZ3 = A3 − Y, dZ[l] = W[l+1]ᵀ dZ[l+1] · 1{A[l] > 0} (as refnn does).
    For backward_propagation_n (GC-7) this catches the notebook's planted dW2 × 2 and db1 · 4/m."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)
    g = _backward(target, name, net)
    want = oracle.gradients(net.params, net.X, net.Y)
    for key, value in want.items():
        check_close(g[key], value, f"{name} {key} vs refnn.network.backward", rtol=1e-9,
                    atol=1e-12)


@pytest.mark.rule("NET-2")
@pytest.mark.parametrize("name", BACKWARDS)
@examples(0.5)
@given(net=nets())
def test_backward_propagation_equals_the_finite_difference_gradient(target: Subject, name: str,
                                                                   net: Net) -> None:
    """NET-2, GC-7: the backward pass is the gradient of the mean cross-entropy, as central finite
    differences of the cost measure it."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-3)
    g = _backward(target, name, net)
    numeric = oracle.numeric_gradient(lambda p: oracle.network_cost(p, net.X, net.Y), net.params)
    for key, value in numeric.items():
        check_close(g[key], value, f"{name} {key} vs the finite-difference gradient of the cost",
                    rtol=1e-5, atol=1e-6)


@pytest.mark.rule("NET-3")
@given(net=nets(), alpha=learning_rates())
def test_update_parameters_steps_against_the_gradient(target: Subject, net: Net, alpha: float
                                                      ) -> None:
    """NET-3: update_parameters returns p − α·dp for every W[l] and b[l]."""
    fn = target.require("update_parameters")
    grads = oracle.gradients(net.params, net.X, net.Y)
    new = fn.call(net.params, grads, alpha, expect=params_spec(net.dims))
    for key, value in net.params.items():
        check_close(new[key], value - alpha * grads[f"d{key}"],
                    f"update_parameters(α={alpha}) {key} vs {key} − α·d{key}", rtol=1e-12,
                    atol=1e-14)


@pytest.mark.rule("NET-3")
@given(net=nets(), alpha=learning_rates())
def test_update_parameters_does_not_write_into_its_inputs(target: Subject, net: Net,
                                                          alpha: float) -> None:
    """NET-3: update_parameters leaves the caller's parameter and gradient arrays unchanged (it
    builds new arrays rather than updating them in place)."""
    fn = target.require("update_parameters")
    grads = oracle.gradients(net.params, net.X, net.Y)
    params = net.copy_params()
    arrays = {k: v for k, v in params.items()}
    grad_arrays = {k: v.copy() for k, v in grads.items()}
    fn.call(params, grads, alpha, copy=False, expect=params_spec(net.dims))
    for key, before in net.params.items():
        check_close(arrays[key], before, f"the caller's array {key} after update_parameters "
                    "(must not be modified in place)", rtol=0, atol=0)
    for key, before in grad_arrays.items():
        check_close(grads[key], before, f"the caller's gradient {key} after update_parameters",
                    rtol=0, atol=0)


@pytest.mark.rule("NET-4")
@given(net=nets())
def test_predict_says_0_for_an_output_of_exactly_one_half(target: Subject, net: Net) -> None:
    """NET-4: the threshold is strict: with all weights and biases zero every output is σ(0) = 0.5
    and every prediction is 0 (the course's zero-initialized model predicts 0 everywhere)."""
    fn = target.require("predict")
    zeros = {k: np.zeros_like(v) for k, v in net.params.items()}
    p = fn.call(net.X, net.Y, zeros, expect=Array((1, net.m), binary=True))
    check_close(p, np.zeros((1, net.m)), "predict(X, y, all-zero parameters) where A3 = 0.5 "
                "exactly (1{A3 > 0.5} = 0)", rtol=0, atol=0)


@pytest.mark.rule("NET-4")
@given(net=nets())
def test_predict_thresholds_the_output_at_one_half(target: Subject, net: Net) -> None:
    """NET-4: predict(X, y, parameters) returns 1{A3 > 0.5}, shape (1, m)."""
    fn = target.require("predict")
    A3, _, _ = oracle.forward(net.params, net.X)
    assume(bool(np.all(np.abs(A3 - 0.5) > 1e-9)))
    p = fn.call(net.X, net.Y, net.params, expect=Array((1, net.m), binary=True))
    check_close(p, (A3 > 0.5).astype(np.float64), "predict(X, y, parameters) vs 1{A3 > 0.5} "
                f"with A3 = {np.round(A3, 4).tolist()}", rtol=0, atol=0)
    check(p.shape == (1, net.m), f"predict returned shape {p.shape}, expected (1, {net.m})")
