"""Numerical derivatives of a cost ``J(θ)``, one coordinate at a time (the simple, obvious way).

For coordinate ``k`` with unit vector ``e_k`` and step ``ε``:

* two-sided (central, the course's): ``g̃_k = (J(θ + εe_k) − J(θ − εe_k)) / (2ε)``,
  truncation error ``ε²/6 · ∂³J/∂θ_k³ = O(ε²)``;
* one-sided (forward): ``g̃_k = (J(θ + εe_k) − J(θ)) / ε``, truncation error
  ``ε/2 · ∂²J/∂θ_k² = O(ε)``;
* complex-step: ``g̃_k = Im J(θ + i·h·e_k) / h``, error ``O(h²)`` with *no* subtraction, so ``h``
  can be tiny (``1e-20``) and the result is exact to rounding — but only for a ``J`` that is
  complex-analytic along the step (see below).

Each difference also carries rounding noise of about ``u·|J| / ε`` (``u ≈ 1.1e-16``); the best
two-sided step balances ``ε²`` against ``u/ε`` at ``ε ≈ u^{1/3} ≈ 5e-6``, the best one-sided
step at ``ε ≈ u^{1/2} ≈ 1e-8``. The defaults: ``1e-7`` two-sided (the course's), ``1e-8``
one-sided, ``1e-20`` complex-step.

Complex-step and ReLU: ``relu`` is not analytic at its kink. Written as
``numpy.where(Z.real > 0, Z, 0)`` (or ``numpy.maximum``, which orders complex numbers by their
real part first) it carries the imaginary part through correctly wherever ``Re Z ≠ 0`` — the step
never moves the real part — but at an exact kink (``Re Z == 0``, e.g. zero-initialized weights) it
returns a one-sided derivative silently. refnn's network check detects that (see
:mod:`refnn.gradcheck.network_check`); for an arbitrary cost function it cannot be detected, only
documented: operations that are not analytic (``abs``, comparisons, ``max``, ``float()``) give
wrong complex-step derivatives. A cost that refuses complex input or returns a real value raises
:class:`ValueError` here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeAlias, cast, overload

import numpy as np
from numpy.typing import NDArray

from refnn import validation
from refnn.gradcheck.precision import (
    complex_cost_value,
    float64_array,
    real_cost_value,
    refuse_low_precision,
)
from refnn.types import DifferenceMethod as DifferenceMethod
from refnn.types import FloatArray, RealArrayLike
from refnn.types import Method as Method

ComplexArray: TypeAlias = NDArray[np.complex128]
"""A complex128 array (complex-step evaluation points)."""

CostFunction: TypeAlias = Callable[[FloatArray], float]
"""A cost ``J(θ)`` of a float64 parameter vector, returning a real scalar."""

ComplexCostFunction: TypeAlias = Callable[[ComplexArray], complex]
"""A cost that also accepts a complex128 ``θ`` (for complex-step differentiation)."""

DEFAULT_EPSILON: dict[str, float] = {"two-sided": 1e-7, "one-sided": 1e-8, "complex-step": 1e-20}
"""The default step of each method (see the module docstring for why)."""

COURSE_EPSILON = 1e-7
"""The course's ``ε`` (``gradient_check``, ``gradient_check_n``)."""


def check_method(func: str, method: object) -> Method:
    """Check a method name: ``"two-sided"``, ``"one-sided"`` or ``"complex-step"``."""
    if method not in DEFAULT_EPSILON:
        raise validation.fail_value(func, "method", "'two-sided', 'one-sided' or 'complex-step'",
                                    repr(method))
    return cast(Method, method)


def check_epsilon(func: str, method: Method, epsilon: object) -> float:
    """The step for ``method``: ``epsilon`` if given (a real number ``> 0``), else the default."""
    if epsilon is None:
        return DEFAULT_EPSILON[method]
    return validation.real(func, "epsilon", epsilon, low=0.0, low_open=True, range_text="> 0")


def _check_cost(func: str, cost: object) -> None:
    if not callable(cost):
        raise validation.fail_type(func, "cost", "a function J(theta) -> float", cost)


def _check_theta(func: str, theta: object) -> FloatArray:
    refuse_low_precision(func, "theta", theta)
    t = float64_array(func, "theta", theta)
    if t.size == 0:
        raise validation.fail_value(func, "theta", "a non-empty array", "an empty array")
    return t


def course_loop_gradapprox(cost: CostFunction, theta: RealArrayLike | float, epsilon: float = COURSE_EPSILON
                           ) -> FloatArray:
    """The course's ``gradapprox``, with the course's arithmetic, for any ``θ``.

    For every entry ``i`` of ``θ`` (in flat order)::

        θ⁺ = copy(θ); θ⁺[i] = θ⁺[i] + ε;   J⁺[i] = J(θ⁺)
        θ⁻ = copy(θ); θ⁻[i] = θ⁻[i] − ε;   J⁻[i] = J(θ⁻)
        gradapprox[i] = (J⁺[i] − J⁻[i]) / (2ε)

    — one full evaluation of ``J`` per ``±`` per coordinate, exactly as ``gradient_check_n``
    (W1A3) computes it, so ``relative_difference(grad, gradapprox)`` reproduces the course's
    numbers bit for bit. ``J`` receives arrays of ``θ``'s shape (the course's ``(n, 1)``).

    Args:
        cost: ``J``, a function of ``θ`` returning a real scalar.
        theta: ``θ``, any shape (float64; never modified).
        epsilon: ``ε > 0``, default ``1e-7``.

    Returns:
        ``gradapprox``, float64, the shape of ``θ``.

    Example:
        >>> import numpy as np
        >>> g = course_loop_gradapprox(lambda t: float(np.sum(t ** 2)), np.array([[1.0], [-2.0]]))
        >>> g.shape, np.round(g.ravel(), 6).tolist()
        ((2, 1), [2.0, -4.0])
    """
    func = "course_loop_gradapprox"
    _check_cost(func, cost)
    t = _check_theta(func, theta)
    eps = check_epsilon(func, "two-sided", epsilon)
    return run_numerical_gradient(func, cost, t, "two-sided", eps)


def run_numerical_gradient(func: str, cost: CostFunction | ComplexCostFunction, t: FloatArray,
                           method: Method, eps: float) -> FloatArray:
    """The numerical gradient on checked arguments (``cost`` callable, ``t`` finite float64,
    ``eps > 0``); what ``cost`` returns is still checked, and errors name ``func``."""
    if method == "complex-step":
        return _complex_loop(func, cast(ComplexCostFunction, cost), t, eps)
    if method == "one-sided":
        return _one_sided_loop(func, cast(CostFunction, cost), t, eps)
    real_cost = cast(CostFunction, cost)
    j_plus = np.zeros(t.size)
    j_minus = np.zeros(t.size)
    for i in range(t.size):
        plus = np.copy(t)
        plus.flat[i] = plus.flat[i] + eps
        j_plus[i] = real_cost_value(func, real_cost(plus), f"theta + epsilon at entry {i}")
        minus = np.copy(t)
        minus.flat[i] = minus.flat[i] - eps
        j_minus[i] = real_cost_value(func, real_cost(minus), f"theta - epsilon at entry {i}")
    gradapprox: FloatArray = ((j_plus - j_minus) / (2 * eps)).reshape(t.shape)
    return gradapprox


def complex_step_gradient(cost: ComplexCostFunction, theta: RealArrayLike | float,
                          h: float = DEFAULT_EPSILON["complex-step"]) -> FloatArray:
    """``g̃_k = Im J(θ + i·h·e_k) / h`` for every coordinate (error ``O(h²)``, no cancellation).

    ``J`` must accept a complex128 array of ``θ``'s shape and be analytic along the step (no
    ``abs``, no comparisons on values that depend on ``θ``; ReLU only away from its kink — see the
    module docstring).

    Example:
        >>> import numpy as np
        >>> complex_step_gradient(lambda t: complex(np.sum(np.exp(t))), np.zeros(3)).tolist()
        [1.0, 1.0, 1.0]
    """
    func = "complex_step_gradient"
    _check_cost(func, cost)
    t = _check_theta(func, theta)
    step = validation.real(func, "h", h, low=0.0, low_open=True, range_text="> 0")
    return _complex_loop(func, cost, t, step)


def _complex_loop(func: str, cost: ComplexCostFunction, t: FloatArray, step: float
                  ) -> FloatArray:
    base = t.astype(np.complex128)
    out = np.empty(t.size)
    for i in range(t.size):
        point = base.copy()
        point.flat[i] = point.flat[i] + 1j * step
        try:
            value = cost(point)
        except (TypeError, ValueError) as err:
            raise validation.fail_value(
                func, "cost", "a function that accepts complex input (complex-step)",
                f"{type(err).__name__}: {err}",
            ) from err
        out[i] = complex_cost_value(func, value, f"theta + i*h at entry {i}").imag / step
    return out.reshape(t.shape)


@overload
def numerical_gradient(cost: CostFunction, theta: RealArrayLike | float, *,
                       method: DifferenceMethod = ..., epsilon: float | None = ...) -> FloatArray:
    ...


@overload
def numerical_gradient(cost: ComplexCostFunction, theta: RealArrayLike | float, *,
                       method: Literal["complex-step"], epsilon: float | None = ...) -> FloatArray:
    ...


def numerical_gradient(cost: CostFunction | ComplexCostFunction, theta: RealArrayLike | float, *,
                       method: Method = "two-sided", epsilon: float | None = None) -> FloatArray:
    """The numerical gradient ``g̃`` of ``J`` at ``θ``, one coordinate at a time.

    Symbols ↔ arguments: ``J`` = ``cost``, ``θ`` = ``theta``, ``ε`` (``h``) = ``epsilon``.

    * ``"two-sided"`` (default): ``(J(θ + εe_k) − J(θ − εe_k)) / 2ε``, error ``O(ε²)``, ``2n``
      evaluations — exactly the course's loop (:func:`course_loop_gradapprox`);
    * ``"one-sided"``: ``(J(θ + εe_k) − J(θ)) / ε``, error ``O(ε)``, ``n + 1`` evaluations;
    * ``"complex-step"``: ``Im J(θ + ihe_k) / h``, error ``O(h²)``, ``n`` complex evaluations;
      ``cost`` must accept complex input (:func:`complex_step_gradient`).

    Args:
        cost: ``J``, returning a float64 scalar.
        theta: ``θ``, a float64 array of any shape (never modified; float32 is refused, see
            :mod:`refnn.gradcheck.precision`).
        method: see above.
        epsilon: the step; default :data:`DEFAULT_EPSILON` ``[method]``.

    Returns:
        ``g̃``, float64, the shape of ``θ``.

    Example:
        >>> import numpy as np
        >>> J = lambda t: float(np.sum(np.sin(t)))
        >>> theta = np.array([0.0, 1.0])
        >>> for method in ("two-sided", "one-sided"):
        ...     err = np.abs(numerical_gradient(J, theta, method=method, epsilon=1e-3) - np.cos(theta))
        ...     print(method, f"{err.max():.0e}")
        two-sided 2e-07
        one-sided 4e-04
    """
    func = "numerical_gradient"
    m = check_method(func, method)
    _check_cost(func, cost)
    t = _check_theta(func, theta)
    eps = check_epsilon(func, m, epsilon)
    return run_numerical_gradient(func, cost, t, m, eps)


def _one_sided_loop(func: str, real_cost: CostFunction, t: FloatArray, eps: float) -> FloatArray:
    j0 = real_cost_value(func, real_cost(np.copy(t)), "theta")
    out = np.empty(t.size)
    for i in range(t.size):
        plus = np.copy(t)
        plus.flat[i] = plus.flat[i] + eps
        out[i] = (real_cost_value(func, real_cost(plus), f"theta + epsilon at entry {i}") - j0) / eps
    return out.reshape(t.shape)
