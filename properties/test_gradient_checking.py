"""Gradient checking (docs/SPEC.md § Gradient checking): GC-1 … GC-7.

The checks are judged by substitution: the functions a checker must call — the 1-D pair
``forward_propagation(x, theta)``/``backward_propagation(x, theta)`` for ``gradient_check``,
``forward_propagation_n`` for ``gradient_check_n`` — are replaced, in the checker's own namespace
and only for the call, by a cost the suite knows exactly: a ``J`` that is neither linear nor
symmetric in ``(x, θ)``, with its true derivative (the difference must be tiny) or a wrong one (it
must be large). A checker that types ``J = θx`` inline, evaluates the derivative at the wrong point,
swaps the arguments or uses a one-sided difference passes the course's own test (``J = θx`` is
linear) but not these.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from .strategies import Net, examples, grid_arrays, nets, params_for
from refnn.conformance import oracle, rounding
from refnn.conformance.judge import (
    Array,
    Scalar,
    Strings,
    TargetFunction,
    Tuple,
    check,
    check_close,
)
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import GC_LAYER_DIMS, GRAD_KEYS, PARAM_KEYS, params_spec
from refnn.conformance.target import substituted

DIMS = GC_LAYER_DIMS
SIZES = [(DIMS[l], DIMS[l - 1]) if k == "W" else (DIMS[l], 1) for l in (1, 2, 3) for k in "Wb"]
N_PARAMS = sum(a * b for a, b in SIZES)
TINY = 1e-6
LARGE = 1e-3
"""The lecture's scale: about 1e-7 is great, 1e-3 is a worry (the course's code passes ≤ 2e-7).

TINY is above what rounding can give a correct checker in the 1-D tests: at ε = 1e-7 with J = θx
at most 4.4e-9 (golden/README.md); at ε = 1e-5 with GC-3's substitute J, linear in θ, at most
1.6e-9 for any difference formula (each J within 8u·∣terms∣, divided by ε; no truncation: see
:func:`test_gradient_check_evaluates_the_modules_j_and_dj`). The N-D tests use
:func:`tiny_for`, which raises TINY where rounding could exceed it."""

scalars = st.integers(-16, 16).map(lambda k: k / 8)


# ------------------------------------------------------------------- the 1-D pair, J(x, θ) = θx


@pytest.mark.rule("GC-4")
@given(x=scalars, theta=scalars)
def test_one_dimensional_pair_is_theta_times_x_and_its_derivative(target: Subject, x: float,
                                                                  theta: float) -> None:
    """GC-4: the notebook's 1-D example: forward_propagation(x, θ) = θ·x and
    backward_propagation(x, θ) = dJ/dθ = x."""
    fwd, bwd, where = target.require_scalar_pair()
    J = fwd.call(x, theta, expect=Scalar())
    # one product: one rounding u·|θx| per implementation (x, θ are exact multiples of 1/8)
    check_close(J, theta * x, f"forward_propagation(x={x}, theta={theta}) (from {where})",
                rtol=0, atol=rounding.FACTOR * rounding.U * abs(theta * x))
    dtheta = bwd.call(x, theta, expect=Scalar())
    check_close(dtheta, x, f"backward_propagation(x={x}, theta={theta}) (from {where})",
                rtol=0, atol=rounding.FACTOR * rounding.U * abs(x))


@pytest.mark.rule("GC-6")
@given(x=scalars.filter(lambda v: v != 0), theta=scalars)
def test_one_dimensional_check_of_theta_x_is_tiny(target: Subject, x: float, theta: float
                                                  ) -> None:
    """GC-6: gradient_check(x, θ) with the module's own J = θx (whose derivative is right) reports
    a tiny difference (the course: 7.8e-11 at x = 3, θ = 4)."""
    fn = target.require("gradient_check")
    target.helper_scalar_pair()
    d = fn.call(x, theta, expect=Scalar())
    check(0 <= d < TINY, f"gradient_check(x={x}, theta={theta}) with J = θx returned {d!r}; a "
                         f"correct derivative scores < {TINY:g}")


def J_test(x: float, theta: float) -> float:
    """The substitute cost: neither linear nor symmetric in (x, θ)."""
    return x * theta**3 + math.sin(theta) + 0.5 * theta * theta


def dJ_test(x: float, theta: float) -> float:
    return 3 * x * theta**2 + math.cos(theta) + theta


SUBSTITUTE_TEXT = "J(x, θ) = x·θ³ + sin θ + θ²/2"


@contextmanager
def scalar_pair(target: Subject, forward: Any, backward: Any) -> Iterator[TargetFunction]:
    fn = target.require("gradient_check")
    ns = target.namespace("gradient_check")
    with substituted(ns, forward_propagation=forward, backward_propagation=backward):
        yield fn


def slope(x: float) -> float:
    """∂J_lin/∂θ: 1 + x² + sin x (≥ 0.77, nonlinear in x, never x itself)."""
    return 1 + x * x + math.sin(x)


def J_lin(x: float, theta: float) -> float:
    """The substitute cost for GC-3: J(x, θ) = (1 + x² + sin x)·θ + cos x — linear in θ, so every
    difference quotient of it (two-sided, one-sided, any ε) is its slope to rounding: the property
    judges *which* J and dJ the checker evaluates (GC-3), not its difference formula (GC-1)."""
    return slope(x) * theta + math.cos(x)


PINNED = 1e3
"""How fast the GC-3 substitute derivative leaves the true slope away from the θ it is asked at:
evaluated at θ' it returns ``slope(x) + PINNED·(θ' − θ)``, so a derivative taken at θ ± ε (ε ≥ 1e-7)
is off by ≥ 1e-4 — a difference ≥ 1e-4/(2·5.91) ≥ 8e-6 > TINY (slope ≤ 5.91 for ∣x∣ ≤ 2)."""

LINEAR_TEXT = "J(x, θ) = (1 + x² + sin x)·θ + cos x"


@contextmanager
def recorded_pair(target: Subject, forward: Any, backward: Any
                  ) -> Iterator[tuple[TargetFunction, list[tuple[str, tuple[Any, ...]]]]]:
    """:func:`scalar_pair`, also recording each call ``("forward"|"backward", (x, θ))``."""
    calls: list[tuple[str, tuple[Any, ...]]] = []

    def args_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        named = (kwargs.get("x"), kwargs.get("theta"))
        return tuple(args) + named[len(args):]

    def fwd(*args: Any, **kwargs: Any) -> Any:
        calls.append(("forward", args_of(args, kwargs)))
        return forward(*args, **kwargs)

    def bwd(*args: Any, **kwargs: Any) -> Any:
        calls.append(("backward", args_of(args, kwargs)))
        return backward(*args, **kwargs)

    with scalar_pair(target, fwd, bwd) as fn:
        yield fn, calls


def same_number(value: Any, want: float) -> bool:
    try:
        return float(np.asarray(value, dtype=np.float64)) == want
    except (TypeError, ValueError):
        return False


def evaluates_module_pair_at(calls: list[tuple[str, tuple[Any, ...]]], x: float, theta: float
                             ) -> bool:
    """GC-3's claim, read from the calls: forward_propagation(x, ·) and backward_propagation(x, θ)
    were called, and nothing else (no swapped arguments, no derivative at θ ± ε)."""
    kinds = {kind for kind, _ in calls}
    ok_fwd = all(same_number(a[0], x) for kind, a in calls if kind == "forward")
    ok_bwd = all(same_number(a[0], x) and same_number(a[1], theta)
                 for kind, a in calls if kind == "backward")
    return kinds == {"forward", "backward"} and ok_fwd and ok_bwd


@pytest.mark.rule("GC-3")
@given(x=scalars, theta=scalars)
def test_gradient_check_evaluates_the_modules_j_and_dj(target: Subject, x: float, theta: float
                                                       ) -> None:
    """GC-3: gradient_check compares the module's backward_propagation(x, θ) with differences of
    the module's forward_propagation(x, ·): with forward_propagation replaced, in its namespace, by
    J(x, θ) = (1 + x² + sin x)·θ + cos x and backward_propagation by a function that equals ∂J/∂θ
    at the θ asked and moves by PINNED·(θ' − θ) at any other θ', the difference is < TINY.

    J is linear in θ, so one-sided and two-sided differences both give its slope, to rounding:
    each J(x, θ ± ε) is off by ≤ 8u·((1 + x² + ∣sin x∣)(∣θ∣ + ε) + 1) ≤ 1.2e-14 (∣x∣, ∣θ∣ ≤ 2), a
    difference quotient by ≤ 2·1.2e-14/ε = 2.4e-9 at ε = 1e-5, a relative difference (slope ≥ 0.77)
    by ≤ 1.6e-9 per implementation — far below TINY. The difference *formula* is GC-1's and GC-2's
    (judged below); an inline J = θx (slope x ≠ 1 + x² + sin x: difference ≥ 0.47), swapped
    arguments (≥ 7e-4 on the grid) or a derivative taken at θ ± ε (≥ 8e-4) score above TINY."""
    true_slope = slope(x)

    def pinned(x_: float, theta_: float) -> float:
        return slope(x_) + PINNED * (theta_ - theta)

    with recorded_pair(target, J_lin, pinned) as (fn, _):
        d = fn.call(x, theta, 1e-5, expect=Scalar())
    check(0 <= d < TINY, f"gradient_check(x={x}, theta={theta}, epsilon=1e-5) with "
                         f"forward_propagation replaced, in its namespace, by {LINEAR_TEXT} and "
                         f"backward_propagation by its derivative {true_slope!r} at θ = {theta} "
                         f"(and {PINNED:g}·(θ′ − θ) away from it at any other θ′) returned {d!r}; "
                         f"expected < {TINY:g} — it does not compare the module's dJ at (x, θ) "
                         "with differences of the module's J(x, ·) (inline J = θx? arguments "
                         "swapped? derivative at another point?)")


@pytest.mark.rule("GC-3")
@given(x=scalars, theta=scalars, error=st.sampled_from([0.5, -0.5, 2.0]))
def test_gradient_check_flags_a_wrong_derivative(target: Subject, x: float, theta: float,
                                                 error: float) -> None:
    """GC-3: with the module's J replaced by a nonlinear J and its derivative by a wrong one
    (off by a factor), gradient_check reports a large difference."""
    assume(abs(dJ_test(x, theta)) > 0.25)

    def wrong(x_: float, theta_: float) -> float:
        return dJ_test(x_, theta_) * (1 + error)

    with scalar_pair(target, J_test, wrong) as fn:
        d = fn.call(x, theta, expect=Scalar())
    check(d > LARGE, f"gradient_check(x={x}, theta={theta}) with backward_propagation replaced by "
                     f"(1 + {error})× the derivative of {SUBSTITUTE_TEXT} returned {d!r}; a wrong "
                     f"derivative must score > {LARGE:g}")


@pytest.mark.rule("GC-1", "GC-2")
@given(x=scalars, theta=scalars, epsilon=st.sampled_from([1e-2, 1e-3]))
def test_gradient_check_returns_the_relative_difference_of_two_sided_differences(
    target: Subject, x: float, theta: float, epsilon: float
) -> None:
    """GC-1, GC-2: gradient_check(x, θ, ε) returns ‖dθ − dθ_approx‖ / (‖dθ‖ + ‖dθ_approx‖) with
    dθ_approx = (J(θ + ε) − J(θ − ε)) / 2ε — checked at a large ε, where a one-sided difference
    gives a visibly different number. Judged only for a checker that evaluates the module's
    forward_propagation(x, ·) and backward_propagation(x, θ) (GC-3's claim, read from the calls):
    for one that does not (inline J, swapped arguments, a derivative at θ ± ε) the formula cannot be
    judged by substitution, and the property skips, leaving the verdict to GC-3."""
    g = dJ_test(x, theta)
    assume(abs(g) > 0.25)
    approx = (J_test(x, theta + epsilon) - J_test(x, theta - epsilon)) / (2 * epsilon)
    want = abs(g - approx) / (abs(g) + abs(approx))
    not_judged = ("GC-1/GC-2 not judged: gradient_check does not evaluate the module's "
                  "forward_propagation(x, ·) and backward_propagation(x, θ) (GC-3), so its "
                  "difference formula cannot be judged by substituting them")
    with recorded_pair(target, J_test, dJ_test) as (fn, calls):
        try:
            d = fn.call(x, theta, epsilon, expect=Scalar())
        except Exception:  # e.g. a NaN from an inline J at x = 0: GC-3's failure, not GC-1's
            if not evaluates_module_pair_at(calls, x, theta):
                pytest.skip(not_judged)
            raise
    if not evaluates_module_pair_at(calls, x, theta):
        pytest.skip(not_judged)
    one_sided = (J_test(x, theta + epsilon) - J_test(x, theta)) / epsilon
    # tolerance: each J(θ ± ε) (the suite's own function, evaluated by the target at θ ± ε) is
    # off by ≤ 8u·(|xθ³| + |sin θ| + θ²/2) + u|θ||dJ| (forming θ ± ε); rounding.difference_shift
    # turns that into the largest move of the relative difference, for two implementations
    size = abs(x) * (abs(theta) + epsilon) ** 3 + 1 + (abs(theta) + epsilon) ** 2 / 2
    cost_error = 8 * rounding.U * size + rounding.U * (abs(theta) + epsilon) * abs(g)
    tol = rounding.FACTOR * rounding.difference_shift(cost_error, [g], [approx], epsilon)
    check_close(d, want, f"gradient_check(x={x}, theta={theta}, epsilon={epsilon}) with "
                f"{SUBSTITUTE_TEXT}: the relative difference of the two-sided estimate "
                f"{approx!r} from dJ/dθ = {g!r} (a one-sided estimate would be {one_sided!r})",
                rtol=0, atol=tol)


# ----------------------------------------------------------------------- vector conventions


def flatten(values: dict[str, np.ndarray], keys: tuple[str, ...] = PARAM_KEYS) -> np.ndarray:
    return np.concatenate([values[k].reshape(-1, 1) for k in keys], axis=0)


COURSE_GRAD_ORDER = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
"""The key order of the course's gradient dicts."""


def unflatten(theta: np.ndarray, prefix: str = "") -> dict[str, np.ndarray]:
    """The parameters (``prefix="d"``: the gradients, in the course's key order dW3, db3, dW2, …)."""
    out: dict[str, np.ndarray] = {}
    start = 0
    for key, shape in zip(PARAM_KEYS, SIZES):
        size = shape[0] * shape[1]
        out[prefix + key] = theta[start:start + size].reshape(shape)
        start += size
    if prefix == "d":
        return {k: out[k] for k in COURSE_GRAD_ORDER if k in out}
    return out


gc_params = params_for(DIMS, weight=2.0, bias=2.0)


@pytest.mark.rule("GC-5")
@given(params=gc_params)
def test_dictionary_to_vector_stacks_w1_b1_w2_b2_w3_b3_row_major(target: Subject,
                                                                 params: dict[str, np.ndarray]
                                                                 ) -> None:
    """GC-5: dictionary_to_vector(parameters) returns θ of shape (47, 1) — W1, b1, W2, b2, W3, b3,
    each flattened row by row — and the name of the parameter each entry came from."""
    fn = target.require("dictionary_to_vector")
    theta, keys = fn.call(params, expect=Tuple((Array((N_PARAMS, 1)), Strings(N_PARAMS)),
                                               ("theta", "keys"), label="pair (theta, keys)"))
    check_close(theta, flatten(params), "dictionary_to_vector θ vs W1, b1, W2, b2, W3, b3 "
                "flattened row-major (C order)", rtol=0, atol=0)
    want = [k for k, shape in zip(PARAM_KEYS, SIZES) for _ in range(shape[0] * shape[1])]
    bad = [i for i, (a, b) in enumerate(zip(keys, want)) if a != b]
    check(not bad, lambda: f"dictionary_to_vector keys[{bad[0]}] = {keys[bad[0]]!r}, but entry "
                           f"{bad[0]} of θ comes from {want[bad[0]]}")


@pytest.mark.rule("GC-5")
@given(params=gc_params)
def test_vector_to_dictionary_inverts_dictionary_to_vector(target: Subject,
                                                           params: dict[str, np.ndarray]) -> None:
    """GC-5: vector_to_dictionary(θ) rebuilds W1, b1, W2, b2, W3, b3 exactly from θ."""
    fn = target.require("vector_to_dictionary")
    back = fn.call(flatten(params), expect=params_spec(DIMS))
    for key in PARAM_KEYS:
        check_close(back[key], params[key], f"vector_to_dictionary(θ)[{key!r}] vs the {key} θ "
                    "was made from", rtol=0, atol=0)


@pytest.mark.rule("GC-5")
@given(params=gc_params, noise=grid_arrays((5, 3), -2.0, 2.0))
def test_gradients_are_vectorized_in_the_order_of_the_parameters(
    target: Subject, params: dict[str, np.ndarray], noise: np.ndarray
) -> None:
    """GC-5: gradients_to_vector(gradients) stacks dW1, db1, dW2, db2, dW3, db3 exactly as
    dictionary_to_vector stacks W1, b1, …, so entry i of the gradient belongs to entry i of θ
    (the dZ/dA entries of the gradient dict are ignored, and so is the dict's own order: the course's
    backward pass returns dZ3, dW3, db3, dA2, …)."""
    fn = target.require("gradients_to_vector")
    extra = {"dZ1": noise, "dA1": noise, "dZ2": noise[:3], "dA2": noise[:3], "dZ3": noise[:1]}
    # in the order backward_propagation_n returns them: dZ3, dW3, db3, dA2, dZ2, dW2, …
    grads = {k: extra[k] if k in extra else params[k[1:]] for k in COURSE_GRAD_ORDER}
    vec = fn.call(grads, expect=Array((N_PARAMS, 1)))
    check_close(vec, flatten(params), "gradients_to_vector vs dW1, db1, dW2, db2, dW3, db3 "
                "flattened row-major (the order of dictionary_to_vector)", rtol=0, atol=0)


# ------------------------------------------------------------------------ gradient_check_n


WEIGHTS = 0.5 + (np.arange(N_PARAMS) % 7) / 4
SHIFT = 0.05


def smooth_cost_of(params: dict[str, Any]) -> float:
    """A substitute cost of θ: Σ c_i sin θ_i + s(Σθ_i)²/2 (coordinate-specific, smooth, no kinks)."""
    theta = flatten({k: np.asarray(params[k], dtype=np.float64) for k in PARAM_KEYS}).ravel()
    return float(np.sum(WEIGHTS * np.sin(theta)) + SHIFT * np.sum(theta) ** 2 / 2)


def smooth_gradients(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    theta = flatten(params).ravel()
    g = WEIGHTS * np.cos(theta) + SHIFT * np.sum(theta)
    return unflatten(g.reshape(-1, 1), prefix="d")


def smooth_forward_n(X: Any, Y: Any, parameters: dict[str, Any]) -> tuple[float, tuple[()]]:
    return smooth_cost_of(parameters), ()


SMOOTH_TEXT = "J(θ) = Σ c_i sin θ_i + s(Σθ_i)²/2"


def smooth_cost_error(params: dict[str, np.ndarray], epsilon: float) -> np.ndarray:
    """One implementation's error bound on J(θ ± εe_i) for the smooth cost, per coordinate: a sum
    of N + 1 terms (N + 6)·u·(Σ∣c_i sin θ_i∣ + s(Σ∣θ_i∣)²/2), plus forming θ_i ± ε
    (u·∣θ_i∣·∣∂J/∂θ_i∣)."""
    theta = flatten(params).ravel()
    size = float(np.sum(WEIGHTS * np.abs(np.sin(theta))) +
                 SHIFT * (np.sum(np.abs(theta)) + epsilon) ** 2 / 2)
    grad = flatten(smooth_gradients(params), GRAD_KEYS).ravel()
    return (N_PARAMS + 6) * rounding.U * size + rounding.U * (np.abs(theta) + epsilon) * np.abs(grad)


def tiny_for(params: dict[str, np.ndarray], epsilon: float = 1e-7) -> float:
    """The "tiny" threshold for a correct gradient of the smooth cost at ``epsilon``: TINY, or the
    most that rounding can make the difference (rounding.difference_noise, × SAFETY) if more."""
    grad = flatten(smooth_gradients(params), GRAD_KEYS)
    noise = rounding.difference_noise(smooth_cost_error(params, epsilon), grad, epsilon)
    return max(TINY, rounding.SAFETY * noise)


def course_difference(params: dict[str, np.ndarray], grads: dict[str, np.ndarray],
                      epsilon: float) -> float:
    """The course's formula, computed by the suite for the substitute cost."""
    theta = flatten(params)
    grad = flatten(grads, GRAD_KEYS)
    approx = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        approx[i] = (smooth_cost_of(unflatten(plus)) - smooth_cost_of(unflatten(minus))) / (
            2 * epsilon)
    return float(np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx)))


@contextmanager
def substituted_cost(target: Subject) -> Iterator[TargetFunction]:
    fn = target.require("gradient_check_n")
    ns = target.namespace("gradient_check_n")
    with substituted(ns, forward_propagation_n=smooth_forward_n):
        yield fn


gc_nets = nets(dims=DIMS, m=(1, 4))


@pytest.mark.rule("GC-3", "GC-6")
@examples(0.4)
@given(net=gc_nets)
def test_gradient_check_n_is_tiny_for_the_true_gradient_of_its_cost(target: Subject, net: Net
                                                                    ) -> None:
    """GC-3, GC-6: gradient_check_n differences the module's forward_propagation_n: with it replaced
    (in gradient_check_n's namespace) by a smooth cost, that cost's true gradient scores tiny."""
    grads = smooth_gradients(net.params)
    with substituted_cost(target) as fn:
        d = fn.call(net.params, grads, net.X, net.Y, expect=Scalar())
    tiny = tiny_for(net.params)  # TINY unless rounding at ε = 1e-7 could exceed it
    check(0 <= d < tiny, f"gradient_check_n with forward_propagation_n replaced by {SMOOTH_TEXT} and "
                         f"given its true gradient returned {d!r}; expected < {tiny:g} (does it "
                         "call the module's forward_propagation_n, vectorize the gradient in θ's "
                         "order?)")


@pytest.mark.rule("GC-3")
@examples(0.4)
@given(net=gc_nets)
def test_gradient_check_n_judges_the_gradient_against_its_own_cost(target: Subject, net: Net
                                                                   ) -> None:
    """GC-3: with forward_propagation_n replaced by another cost, the network's gradient (right for
    the original cost, wrong for this one) scores large: the check really uses forward_propagation_n."""
    grads = oracle.gradients(net.params, net.X, net.Y)
    true = smooth_gradients(net.params)
    gap = np.linalg.norm(flatten(grads, GRAD_KEYS) - flatten(true, GRAD_KEYS))
    assume(gap > 0.1 * np.linalg.norm(flatten(true, GRAD_KEYS)))
    with substituted_cost(target) as fn:
        d = fn.call(net.params, grads, net.X, net.Y, expect=Scalar())
    check(d > LARGE, f"gradient_check_n with forward_propagation_n replaced by {SMOOTH_TEXT} but "
                     f"given the network's gradient returned {d!r}; expected > {LARGE:g} — it did "
                     "not difference the module's forward_propagation_n")


@pytest.mark.rule("GC-6")
@examples(0.4)
@given(net=gc_nets, index=st.integers(0, N_PARAMS - 1), sign=st.sampled_from([1.0, -1.0]))
def test_gradient_check_n_flags_one_corrupted_coordinate(target: Subject, net: Net, index: int,
                                                         sign: float) -> None:
    """GC-6: corrupting any one coordinate of a correct gradient makes gradient_check_n large."""
    grads = smooth_gradients(net.params)
    vec = flatten(grads, GRAD_KEYS)
    vec[index] += sign * max(1.0, float(np.linalg.norm(vec)))
    bad = unflatten(vec, prefix="d")
    with substituted_cost(target) as fn:
        d = fn.call(net.params, bad, net.X, net.Y, expect=Scalar())
    check(d > LARGE, f"gradient_check_n with coordinate {index} of the true gradient of "
                     f"{SMOOTH_TEXT} corrupted returned {d!r}; expected > {LARGE:g}")


@pytest.mark.rule("GC-6")
def test_gradient_check_n_flags_every_single_corrupted_coordinate(target: Subject) -> None:
    """GC-6: for each of the 47 coordinates in turn, corrupting only it makes gradient_check_n large
    (a check that skips a parameter, e.g. the last bias, is caught)."""
    state = np.random.RandomState(5)  # the suite's own data; the target's randomness is not used
    params = {k: state.uniform(-1, 1, size=s) for k, s in zip(PARAM_KEYS, SIZES)}
    X, Y = state.uniform(-1, 1, size=(4, 3)), np.array([[1.0, 0.0, 1.0]])
    grads = smooth_gradients(params)
    vec = flatten(grads, GRAD_KEYS)
    with substituted_cost(target) as fn:
        for index in range(N_PARAMS):
            corrupt = vec.copy()
            corrupt[index] += max(1.0, float(np.linalg.norm(vec)))
            d = fn.call(params, unflatten(corrupt, prefix="d"), X, Y, expect=Scalar())
            check(d > LARGE, f"gradient_check_n with only coordinate {index} of the true gradient "
                             f"corrupted returned {d!r}; expected > {LARGE:g}")


@pytest.mark.rule("GC-1", "GC-2")
@examples(0.4)
@given(net=gc_nets)
def test_gradient_check_n_error_shrinks_100_fold_when_epsilon_shrinks_10_fold(
    target: Subject, net: Net
) -> None:
    """GC-1, GC-2: gradient_check_n(…, ε) is the course's relative difference of two-sided
    differences, so for a correct gradient of a smooth cost its value is O(ε²): it equals the
    suite's own computation, and shrinks about 100× from ε = 1e-2 to ε = 1e-3 (a one-sided
    difference, O(ε), shrinks only 10×).

    A checker that calls ``backward_propagation_n`` itself judges gradients it computed rather than
    the ones it was given (GC-3's claim): the property then skips, leaving the verdict to GC-3 —
    the recording stand-in hands back the given gradients so that the run completes."""
    grads = smooth_gradients(net.params)
    recomputed: list[int] = []

    def backward_recorded(*args: Any, **kwargs: Any) -> dict[str, np.ndarray]:
        recomputed.append(1)
        return {k: v.copy() for k, v in grads.items()}

    ns = target.namespace("gradient_check_n")
    with substituted_cost(target) as fn, substituted(ns, backward_propagation_n=backward_recorded):
        d2 = fn.call(net.params, grads, net.X, net.Y, 1e-2, expect=Scalar())
        d3 = fn.call(net.params, grads, net.X, net.Y, 1e-3, expect=Scalar())
    if recomputed:
        pytest.skip("GC-1/GC-2 not judged: gradient_check_n calls backward_propagation_n instead "
                    "of judging the gradients it is given (GC-3)")
    want2 = course_difference(net.params, grads, 1e-2)
    # tolerance: the rounding of J(θ ± εe_i) moves the difference by at most difference_shift,
    # for the target and the suite each (≈ 1e-10 here, against d ≈ 1e-5 and a one-sided 1e-3)
    g = flatten(grads, GRAD_KEYS)
    tol = rounding.FACTOR * rounding.difference_shift(smooth_cost_error(net.params, 1e-2), g, g,
                                                      1e-2)
    check_close(d2, want2, f"gradient_check_n(epsilon=1e-2) with {SMOOTH_TEXT} and its true "
                "gradient vs ‖grad − gradapprox‖/(‖grad‖ + ‖gradapprox‖) with two-sided "
                "differences", rtol=0, atol=tol)
    ratio = d2 / d3 if d3 > 0 else math.inf
    check(30 <= ratio <= 300, f"gradient_check_n: the difference went from {d2!r} at ε = 1e-2 to "
                              f"{d3!r} at ε = 1e-3, a factor {ratio:.3g}; two-sided differences "
                              "shrink it ~100× (one-sided: ~10×)")


@pytest.mark.rule("GC-6", "GC-7")
@examples(0.3)
@given(net=gc_nets)
def test_gradient_check_n_passes_the_networks_true_gradient(target: Subject, net: Net) -> None:
    """GC-6, GC-7: with the module's own forward_propagation_n, the network's true gradient
    (computed by the suite) scores small."""
    fn = target.require("gradient_check_n")
    margin = oracle.kink_margin(net.params, net.X)
    A3, _, _ = oracle.forward(net.params, net.X)
    assume(margin > 1e-4 and bool(np.all((A3 > 1e-3) & (A3 < 1 - 1e-3))))
    grads = oracle.gradients(net.params, net.X, net.Y)
    assume(np.linalg.norm(flatten(grads, GRAD_KEYS)) > 0.05)
    d = fn.call(net.params, grads, net.X, net.Y, expect=Scalar())
    # 1e-5, or the most rounding at ε = 1e-7 can give (each J within network_cost_bound), if more
    noise = rounding.difference_noise(rounding.network_cost_bound(net.params, net.X, net.Y),
                                      flatten(grads, GRAD_KEYS), 1e-7)
    small = max(1e-5, rounding.SAFETY * noise)
    check(0 <= d < small, f"gradient_check_n(parameters, true gradients, X, Y) returned {d!r}; "
                          f"expected < {small:g} (is forward_propagation_n the network's mean "
                          "cross-entropy?)")
