"""L2 regularization (docs/SPEC.md § L2 regularization): L2-1 … L2-6.

Every network here has non-zero biases, so an implementation that penalizes b[l] is visible.
Each function is judged for itself: the cost's L2 part is isolated as ``J(λ) − J(0)`` and the
gradient's as ``grads(λ) − grads(0)``, so a bug elsewhere in the target does not mask or fake one here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from refnn.conformance import oracle, rounding
from refnn.conformance.judge import Scalar, check_close
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import grads_spec, params_spec

from .strategies import Net, examples, lambdas, learning_rates, nets


@st.composite
def l2_cases(draw: st.DrawFn) -> tuple[Net, np.ndarray]:
    """A network with non-zero biases and an output A3 (probabilities) for its m examples."""
    net = draw(nets(nonzero_biases=True))
    a = draw(st.lists(st.integers(1, 99), min_size=net.m, max_size=net.m))
    return net, np.array([a], dtype=np.float64) / 100


def squared_weights(params: dict[str, np.ndarray]) -> float:
    return sum(float(np.sum(params[f"W{l}"] ** 2)) for l in (1, 2, 3))


def cost_tolerance(net: Net, A3: np.ndarray, lambd: float, calls: int) -> float:
    """How far ``calls`` correct evaluations of J(λ) = CE + λ/(2m)Σ‖W‖² may be off in all,
    plus the suite's own closed form: per evaluation the cross-entropy's bound
    (rounding.cross_entropy_bound) and the L2 term's (a sum of n squares, then ×λ/(2m): (n + 4)·u
    of it), times rounding.FACTOR."""
    n = sum(net.params[f"W{l}"].size for l in (1, 2, 3))
    l2 = lambd / (2 * net.m) * squared_weights(net.params)
    one = rounding.cross_entropy_bound(A3, net.Y) + (n + 4) * rounding.U * l2
    return rounding.FACTOR * (calls + 1) * one


def gradient_tolerance(net: Net, lambd: float, calls: int) -> dict[str, np.ndarray]:
    """How far ``calls`` correct L2 backward passes (and the suite's closed form) may be off in
    all, entrywise: rounding.gradient_tolerance at λ per call."""
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y, lambd=lambd)
    return {k: (calls + 1) / 2 * v for k, v in tol.items()}


@pytest.mark.rule("L2-1")
@given(case=l2_cases(), lambd=lambdas())
def test_l2_cost_adds_lambda_over_2m_times_the_squared_weights(
    target: Subject, case: tuple[Net, np.ndarray], lambd: float
) -> None:
    """L2-1: compute_cost_with_regularization(λ) − compute_cost_with_regularization(0)
    = λ/(2m) · Σ_l ‖W[l]‖²_F."""
    net, A3 = case
    fn = target.require("compute_cost_with_regularization")
    with_l2 = fn.call(A3, net.Y, net.params, lambd, expect=Scalar())
    without = fn.call(A3, net.Y, net.params, 0.0, expect=Scalar())
    want = lambd / (2 * net.m) * squared_weights(net.params)
    check_close(with_l2 - without, want,
                f"compute_cost_with_regularization(λ={lambd}) − (λ=0) for m = {net.m}: the L2 "
                f"term λ/(2m)·Σ‖W‖² (Σ‖W‖² = {squared_weights(net.params):g})",
                rtol=0, atol=cost_tolerance(net, A3, lambd, calls=2))


@pytest.mark.rule("L2-1", "COST-1")
@given(case=l2_cases())
def test_l2_cost_without_lambda_is_the_cross_entropy(target: Subject,
                                                     case: tuple[Net, np.ndarray]) -> None:
    """L2-1, COST-1: with λ = 0 the regularized cost is the plain mean cross-entropy."""
    net, A3 = case
    fn = target.require("compute_cost_with_regularization")
    J = fn.call(A3, net.Y, net.params, 0.0, expect=Scalar())
    check_close(J, oracle.cost(A3, net.Y), "compute_cost_with_regularization(λ=0) vs the mean "
                "cross-entropy −(1/m)Σ[y log a + (1−y) log(1−a)]", rtol=0,
                atol=rounding.cross_entropy_tolerance(A3, net.Y))


@pytest.mark.rule("L2-3")
@given(case=l2_cases(), lambd=lambdas(), shift=st.integers(1, 16).map(lambda k: k / 4))
def test_l2_cost_ignores_the_biases(target: Subject, case: tuple[Net, np.ndarray], lambd: float,
                                    shift: float) -> None:
    """L2-3: the penalty covers the weights only: changing every b[l] (A3 and Y fixed) leaves the
    regularized cost unchanged."""
    net, A3 = case
    fn = target.require("compute_cost_with_regularization")
    J = fn.call(A3, net.Y, net.params, lambd, expect=Scalar())
    moved = net.copy_params()
    for l in (1, 2, 3):
        moved[f"b{l}"] = moved[f"b{l}"] + shift
    J_moved = fn.call(A3, net.Y, moved, lambd, expect=Scalar())
    check_close(J_moved, J, f"compute_cost_with_regularization(λ={lambd}) after adding {shift} "
                "to every bias vs before", rtol=0, atol=cost_tolerance(net, A3, lambd, calls=2))


@pytest.mark.rule("L2-4")
@given(case=l2_cases(), l1=lambdas(), l2=lambdas())
def test_l2_cost_is_linear_in_lambda(target: Subject, case: tuple[Net, np.ndarray], l1: float,
                                     l2: float) -> None:
    """L2-4: the L2 term is linear in λ: J(λ1 + λ2) − J(0) = (J(λ1) − J(0)) + (J(λ2) − J(0))."""
    net, A3 = case
    fn = target.require("compute_cost_with_regularization")
    J0 = fn.call(A3, net.Y, net.params, 0.0, expect=Scalar())
    J1 = fn.call(A3, net.Y, net.params, l1, expect=Scalar())
    J2 = fn.call(A3, net.Y, net.params, l2, expect=Scalar())
    J12 = fn.call(A3, net.Y, net.params, l1 + l2, expect=Scalar())
    check_close(J12 - J0, (J1 - J0) + (J2 - J0),
                f"compute_cost_with_regularization: J(λ={l1}+{l2}) − J(0) vs the sum of "
                f"J(λ={l1}) − J(0) and J(λ={l2}) − J(0)", rtol=0,
                atol=cost_tolerance(net, A3, l1 + l2, calls=6))


def _backward(target: Subject, net: Net, lambd: float) -> dict[str, np.ndarray]:
    fn = target.require("backward_propagation_with_regularization")
    _, cache, _ = oracle.forward(net.params, net.X)
    return fn.call(net.X, net.Y, cache, lambd,  # type: ignore[no-any-return]
                   expect=grads_spec(net.dims))


@pytest.mark.rule("L2-2")
@given(net=nets(nonzero_biases=True), lambd=lambdas())
def test_l2_gradient_adds_lambda_over_m_times_w_and_nothing_to_db(
    target: Subject, net: Net, lambd: float
) -> None:
    """L2-2: backward_propagation_with_regularization(λ) − (λ = 0) is λ/m·W[l] for every dW[l] and
    0 for every db[l]."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)  # the bound assumes no kink is crossed
    g = _backward(target, net, lambd)
    g0 = _backward(target, net, 0.0)
    tol = gradient_tolerance(net, lambd, calls=2)
    for l in (1, 2, 3):
        check_close(g[f"dW{l}"] - g0[f"dW{l}"], lambd / net.m * net.params[f"W{l}"],
                    f"dW{l}(λ={lambd}) − dW{l}(λ=0) for m = {net.m}: should be λ/m·W{l}",
                    rtol=0, atol=tol[f"dW{l}"])
        check_close(g[f"db{l}"] - g0[f"db{l}"], np.zeros_like(net.params[f"b{l}"]),
                    f"db{l}(λ={lambd}) − db{l}(λ=0): the biases are not regularized (b{l} = "
                    f"{net.params[f'b{l}'].ravel().tolist()})", rtol=0, atol=tol[f"db{l}"])


@pytest.mark.rule("L2-4")
@given(net=nets(nonzero_biases=True), l1=lambdas(), l2=lambdas())
def test_l2_gradient_is_linear_in_lambda(target: Subject, net: Net, l1: float, l2: float) -> None:
    """L2-4: the gradient's L2 part is linear in λ: g(λ1 + λ2) − g(0) = (g(λ1) − g(0)) + (g(λ2) − g(0))."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)  # the bound assumes no kink is crossed
    g0 = _backward(target, net, 0.0)
    g1 = _backward(target, net, l1)
    g2 = _backward(target, net, l2)
    g12 = _backward(target, net, l1 + l2)
    tol = gradient_tolerance(net, l1 + l2, calls=6)
    for key in g0:
        check_close(g12[key] - g0[key], (g1[key] - g0[key]) + (g2[key] - g0[key]),
                    f"{key}: g(λ={l1}+{l2}) − g(0) vs (g(λ={l1}) − g(0)) + (g(λ={l2}) − g(0))",
                    rtol=0, atol=tol.get(key, 0.0))


@pytest.mark.rule("L2-5")
@examples(0.5)
@given(net=nets(nonzero_biases=True), lambd=lambdas())
def test_l2_gradient_is_the_gradient_of_the_regularized_cost(target: Subject, net: Net,
                                                             lambd: float) -> None:
    """L2-5: backward_propagation_with_regularization is the gradient of J + λ/(2m)Σ‖W[l]‖²_F,
    as the complex step measures it (oracle.complex_step_gradient: exact to rounding, independent
    of refnn's backward pass). Tolerance: the rounding of two correct gradient computations,
    entrywise (rounding.gradient_tolerance at λ)."""
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)
    g = _backward(target, net, lambd)
    exact = oracle.complex_step_gradient(net.params, net.X, net.Y, lambd=lambd)
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y, lambd=lambd)
    for key, value in exact.items():
        check_close(g[key], value, f"{key} of backward_propagation_with_regularization(λ={lambd}) "
                    "vs the complex-step gradient of the regularized cost", rtol=0, atol=tol[key])


@pytest.mark.rule("L2-6")
@given(net=nets(nonzero_biases=True), lambd=lambdas(), alpha=learning_rates())
def test_l2_step_is_weight_decay(target: Subject, net: Net, lambd: float, alpha: float) -> None:
    """L2-6: a gradient step with the L2 gradient is weight decay:
    W − α(dW + λ/m·W) = (1 − αλ/m)·W − α·dW, and b − α·db."""
    upd = target.helper("update_parameters")
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)  # relu'(0) is a convention
    g = _backward(target, net, lambd)
    plain = oracle.gradients(net.params, net.X, net.Y)
    new = upd.call(net.params, g, alpha, expect=params_spec(net.dims))
    decay = 1 - alpha * lambd / net.m
    # tolerance: α × (two gradients' rounding) + the step's own roundings on |W| + α|dW| + αλ/m|W|
    g_tol = gradient_tolerance(net, lambd, calls=1)
    for l in (1, 2, 3):
        W, dW = net.params[f"W{l}"], plain[f"dW{l}"]
        tol = alpha * g_tol[f"dW{l}"] + rounding.FACTOR * 4 * rounding.U * (
            np.abs(W) + alpha * np.abs(dW) + alpha * lambd / net.m * np.abs(W))
        check_close(new[f"W{l}"], decay * W - alpha * dW,
                    f"W{l} after update_parameters with the L2 gradient (λ={lambd}, α={alpha}, "
                    f"m={net.m}) vs (1 − αλ/m)·W{l} − α·dW{l}", rtol=0, atol=tol)
        b, db = net.params[f"b{l}"], plain[f"db{l}"]
        tol_b = alpha * g_tol[f"db{l}"] + rounding.FACTOR * 2 * rounding.U * (
            np.abs(b) + alpha * np.abs(db))
        check_close(new[f"b{l}"], b - alpha * db,
                    f"b{l} after the step vs b{l} − α·db{l}", rtol=0, atol=tol_b)
