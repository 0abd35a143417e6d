"""Initialization (docs/SPEC.md § Initialization): INIT-1 … INIT-9.

The course's initializers take only ``layers_dims`` and seed numpy's global stream themselves, so
repeated calls return the same draw: every statistical property takes all its samples from one call
with large, asymmetric layers (:data:`refnn.conformance.significance.INIT_DIMS`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn.conformance import rounding
from refnn.conformance import significance as sig
from refnn.conformance.judge import Scalar, check, check_close, check_statistic
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import forward_spec, grads_spec, params_spec

from .strategies import Net, examples, layer_dims, learning_rates, nets

INITIALIZERS = [
    "initialize_parameters_zeros",
    "initialize_parameters_random",
    "initialize_parameters_he",
    "initialize_parameters",
]
RANDOM_INITIALIZERS = INITIALIZERS[1:]


def std_of(name: str, fan_in: int) -> float:
    """The standard deviation the lecture/course prescribes for ``name``'s weights."""
    if name == "initialize_parameters_random":
        return 10.0
    if name == "initialize_parameters_he":
        return math.sqrt(2.0 / fan_in)
    return math.sqrt(1.0 / fan_in)  # initialize_parameters: randn / sqrt(n[l-1])


def initialize(target: Subject, name: str, dims: list[int]) -> dict[str, np.ndarray]:
    fn = target.require(name)
    return fn.call(list(dims), expect=params_spec(dims))  # type: ignore[no-any-return]


def standardized(name: str, params: dict[str, np.ndarray], dims: tuple[int, ...]
                 ) -> list[np.ndarray]:
    return [params[f"W{l}"] / std_of(name, dims[l - 1]) for l in range(1, len(dims))]


@pytest.mark.rule("INIT-1")
@pytest.mark.parametrize("name", INITIALIZERS)
@given(dims=layer_dims())
def test_initializers_return_one_weight_matrix_and_bias_per_layer(
    target: Subject, name: str, dims: list[int]
) -> None:
    """INIT-1: for any layers_dims, the keys are exactly W1, b1, …, WL, bL with W[l]: (n[l], n[l−1])
    and b[l]: (n[l], 1)."""
    fn = target.require(name)
    fn.call(list(dims), expect=params_spec(dims, exact=True))


@pytest.mark.rule("INIT-2")
@pytest.mark.parametrize("name", INITIALIZERS)
@given(dims=layer_dims())
def test_biases_start_at_zero(target: Subject, name: str, dims: list[int]) -> None:
    """INIT-2: every scheme initializes every b[l] to zeros."""
    params = initialize(target, name, dims)
    for l in range(1, len(dims)):
        check_close(params[f"b{l}"], np.zeros((dims[l], 1)), f"{name}({dims})['b{l}']",
                    rtol=0, atol=0)


@pytest.mark.rule("INIT-3")
@given(dims=layer_dims())
def test_zeros_initialization_sets_every_weight_to_zero(target: Subject, dims: list[int]) -> None:
    """INIT-3: initialize_parameters_zeros makes every W[l] all zeros."""
    params = initialize(target, "initialize_parameters_zeros", dims)
    for l in range(1, len(dims)):
        check_close(params[f"W{l}"], np.zeros((dims[l], dims[l - 1])),
                    f"initialize_parameters_zeros({dims})['W{l}']", rtol=0, atol=0)


def _identical(a: np.ndarray, axis: int) -> bool:
    first = np.take(a, [0], axis=axis)
    return bool(np.all(a == first))


@pytest.mark.rule("INIT-4")
@examples(0.5)
@given(net=nets(m=(1, 6)), steps=st.integers(1, 4), alpha=learning_rates())
def test_zero_initialization_never_breaks_symmetry(
    target: Subject, net: Net, steps: int, alpha: float
) -> None:
    """INIT-4: from zeros, the cost at iteration 0 is ln 2, and after any number of gradient steps
    every hidden unit of a layer still has the same incoming and outgoing weights as its
    neighbours (so the network computes what one unit per layer would)."""
    init = target.require("initialize_parameters_zeros")
    fwd = target.helper("forward_propagation", "network")
    bwd = target.helper("backward_propagation", "network")
    upd = target.helper("update_parameters")
    cost = target.get("compute_cost") or target.helper("compute_loss")
    dims = list(net.dims)
    params = init.call(dims, expect=params_spec(dims))
    for i in range(steps):
        A3, cache = fwd.call(net.X, params, expect=forward_spec(dims, net.m))
        if i == 0:
            J = cost.call(A3, net.Y, expect=Scalar())
            # tolerance: one evaluation of the mean cross-entropy at A3 = 0.5 (exact), its bound
            tol = rounding.FACTOR / 2 * rounding.cross_entropy_bound(A3, net.Y)
            check_close(J, math.log(2), f"{cost.name}(A3, Y) at iteration 0 from zero weights "
                        "(every output is σ(0) = 0.5)", rtol=0, atol=tol)
        grads = bwd.call(net.X, net.Y, cache, expect=grads_spec(dims))
        params = upd.call(params, grads, alpha, expect=params_spec(dims))
        for l in (1, 2):
            W, b = params[f"W{l}"], params[f"b{l}"]
            check(_identical(W, 0) and _identical(b, 0),
                  lambda: f"after {i + 1} step(s) from zero weights, the units of layer {l} differ: "
                          f"W{l} = {W.tolist()}, b{l} = {b.tolist()} (rows should be identical)")
            W_next = params[f"W{l + 1}"]
            check(_identical(W_next, 1),
                  lambda: f"after {i + 1} step(s) from zero weights, the units of layer {l} have "
                          f"different outgoing weights: W{l + 1} = {W_next.tolist()}")


@pytest.mark.rule("INIT-5")
def test_random_initialization_draws_variance_100(target: Subject) -> None:
    """INIT-5: initialize_parameters_random draws W[l] from N(0, 10²) (course: randn · 10)."""
    _variance_property(target, "initialize_parameters_random", "variance 100 × 1.1 or × 0.9")


@pytest.mark.rule("INIT-6")
def test_he_initialization_draws_variance_2_over_fan_in(target: Subject) -> None:
    """INIT-6: initialize_parameters_he draws W[l] from N(0, 2/n[l−1]) — the previous layer's size
    (fan-in), checked per layer on asymmetric layers so that 2/n[l] (fan-out) is caught."""
    _variance_property(target, "initialize_parameters_he", "2/n[l−1] off by 10%")


@pytest.mark.rule("INIT-9")
def test_xavier_initialization_draws_variance_1_over_fan_in(target: Subject) -> None:
    """INIT-9: the Regularization notebook's initialize_parameters draws W[l] from N(0, 1/n[l−1])
    (randn / √n[l−1], the lecture's "Xavier" for tanh)."""
    _variance_property(target, "initialize_parameters", "1/n[l−1] off by 10%")


def _variance_property(target: Subject, name: str, pooled_alternative: str) -> None:
    dims = sig.INIT_DIMS
    params = initialize(target, name, list(dims))
    zs = standardized(name, params, dims)
    L = len(zs)
    pooled = np.concatenate([z.ravel() for z in zs])
    a_pooled = sig.ALPHA / sig.INIT_VARIANCE_SPLIT
    a_layer = sig.ALPHA / (sig.INIT_VARIANCE_SPLIT * L)
    power = sig.variance_power(pooled.size, sig.VARIANCE_RATIO, a_pooled)
    check_statistic(sig.variance_test(
        pooled, a_pooled, f"{name}({list(dims)}): the variance of all {pooled.size} weights, "
        "each divided by its layer's prescribed standard deviation",
        f"{pooled_alternative} (power {power:.6f})"))
    for l, z in enumerate(zs, start=1):
        ratio = dims[l - 1] / dims[l]
        power = sig.variance_power(z.size, ratio, a_layer)
        check_statistic(sig.variance_test(
            z, a_layer, f"{name}({list(dims)}): the variance of W{l} ({z.shape}), divided by "
            f"the prescribed standard deviation {std_of(name, dims[l - 1]):.5g}",
            f"the fan-in/fan-out swap n[{l}] for n[{l - 1}] (power {power:.6f})"))


@pytest.mark.rule("INIT-7")
@pytest.mark.parametrize("name", RANDOM_INITIALIZERS)
def test_random_weights_are_gaussian_not_uniform(target: Subject, name: str) -> None:
    """INIT-7: the weights are drawn from a normal distribution (randn), not a uniform one of the
    same variance."""
    dims = sig.INIT_DIMS
    params = initialize(target, name, list(dims))
    pooled = np.concatenate([z.ravel() for z in standardized(name, params, dims)])
    power = sig.ks_uniform_power(pooled.size, sig.ALPHA)
    check_statistic(sig.normality_test(
        pooled, sig.ALPHA, f"{name}({list(dims)}): the distribution of all {pooled.size} "
        "weights, each divided by its layer's prescribed standard deviation",
        f"a uniform draw of the same variance (power ≥ {power:.6f})"))


@pytest.mark.rule("INIT-8")
@pytest.mark.parametrize("name", RANDOM_INITIALIZERS)
@given(dims=layer_dims(max_units=9).filter(lambda d: max(d[1:]) >= 2))
def test_random_initialization_breaks_symmetry(target: Subject, name: str, dims: list[int]
                                               ) -> None:
    """INIT-8: random initialization breaks symmetry: no two units (rows of W[l]) of a layer start
    with the same weights."""
    params = initialize(target, name, dims)
    for l in range(1, len(dims)):
        W = params[f"W{l}"]
        rows = {tuple(r) for r in W.tolist()}
        check(len(rows) == W.shape[0],
              lambda: f"{name}({dims})['W{l}'] has identical rows (units): {W.tolist()}")
