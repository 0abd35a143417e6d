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

from refnn.conformance import oracle, rounding
from refnn.conformance.judge import Array, Scalar, Tuple, check, check_close
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import PLAIN_CACHE, cache_spec, forward_spec, grads_spec, params_spec

from .strategies import Net, examples, learning_rates, nets

BACKWARDS = [
    "backward_propagation",
    pytest.param("backward_propagation_n", marks=pytest.mark.rule("GC-7")),
]


def plain_cache(net: Net) -> tuple[np.ndarray, ...]:
    _, cache, _ = oracle.forward(net.params, net.X)
    return cache


def _cache_tolerance(net: Net) -> dict[str, np.ndarray]:
    """Entrywise tolerance for each cache entry: the rounding of two correct forward passes
    (rounding.forward_tolerance: a running error bound, |W|·|A| magnitudes); the parameters are
    copied, so exactly 0."""
    tol = rounding.forward_tolerance(net.params, net.X)
    zeros = {k: np.zeros_like(v) for k, v in net.params.items()}
    return {**tol, **zeros}


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
    tol = _cache_tolerance(net)
    check_close(A3, want_A3, "forward_propagation(X, parameters) A3", rtol=0, atol=tol["A3"])
    for i, name in enumerate(PLAIN_CACHE):
        check_close(cache[i], want_cache[i], f"forward_propagation cache entry {i} ({name})",
                    rtol=0, atol=tol[name])


@pytest.mark.rule("NET-1", "GC-7")
@given(net=nets(dims=(4, 5, 3, 1)))
def test_forward_propagation_n_returns_the_cost_and_the_cache(target: Subject, net: Net) -> None:
    """NET-1, GC-7: forward_propagation_n(X, Y, parameters) returns the mean cross-entropy of the
    network's output and the same cache as forward_propagation."""
    fn = target.require("forward_propagation_n")
    spec = Tuple((Scalar(), cache_spec(net.dims, net.m, dropout=False)), ("cost", "cache"),
                 label="pair (cost, cache)")
    want_A3, want_cache, _ = oracle.forward(net.params, net.X)
    assume(bool(np.all((want_A3 > 0) & (want_A3 < 1))))  # else the cost is inf: nothing to compare
    J, cache = fn.call(net.X, net.Y, net.params, expect=spec)
    tol = _cache_tolerance(net)
    # the cost's tolerance includes A3's own rounding through log(1 − a): 1/(1 − a) at saturation
    A3_error = rounding.network_bounds(net.params, net.X)["A3"][1]
    J_tol = rounding.cross_entropy_tolerance(want_A3, net.Y, A3_error)
    check_close(J, oracle.cost(want_A3, net.Y), "forward_propagation_n cost vs the mean "
                "cross-entropy of A3", rtol=0, atol=J_tol)
    for i, name in enumerate(PLAIN_CACHE):
        check_close(cache[i], want_cache[i], f"forward_propagation_n cache entry {i} ({name})",
                    rtol=0, atol=tol[name])


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
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y)  # two correct backward passes
    for key, value in want.items():
        check_close(g[key], value, f"{name} {key} vs refnn.network.backward", rtol=0,
                    atol=tol[key])


@pytest.mark.rule("NET-2")
@pytest.mark.parametrize("name", BACKWARDS)
@examples(0.5)
@given(net=nets())
def test_backward_propagation_is_the_gradient_of_the_cost(target: Subject, name: str,
                                                          net: Net) -> None:
    """NET-2, GC-7: the backward pass is the gradient of the mean cross-entropy, as the complex
    step measures it (oracle.complex_step_gradient: exact to rounding, independent of refnn's
    backward pass). Tolerance: the rounding of two correct gradient computations, entrywise
    (rounding.gradient_tolerance)."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)
    g = _backward(target, name, net)
    exact = oracle.complex_step_gradient(net.params, net.X, net.Y)
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y)
    for key, value in exact.items():
        check_close(g[key], value, f"{name} {key} vs the complex-step gradient of the cost",
                    rtol=0, atol=tol[key])


@pytest.mark.rule("NET-3")
@given(net=nets(), alpha=learning_rates())
def test_update_parameters_steps_against_the_gradient(target: Subject, net: Net, alpha: float
                                                      ) -> None:
    """NET-3: update_parameters returns p − α·dp for every W[l] and b[l]."""
    fn = target.require("update_parameters")
    grads = oracle.gradients(net.params, net.X, net.Y)
    new = fn.call(net.params, grads, alpha, expect=params_spec(net.dims))
    for key, value in net.params.items():
        step = alpha * grads[f"d{key}"]
        # p − α·dp: two roundings (product, difference) per implementation, on |p| + |α·dp|
        tol = rounding.FACTOR * 2 * rounding.U * (np.abs(value) + np.abs(step))
        check_close(new[key], value - step,
                    f"update_parameters(α={alpha}) {key} vs {key} − α·d{key}", rtol=0, atol=tol)


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
