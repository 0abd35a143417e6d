"""The full check of any cost function of a parameter vector: ``g`` against ``g̃``, coordinate by coordinate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast, overload

import numpy as np

from refnn import validation
from refnn.gradcheck.differences import (
    ComplexCostFunction,
    CostFunction,
    DifferenceMethod,
    Method,
    check_epsilon,
    check_method,
    run_numerical_gradient,
)
from refnn.gradcheck.layout import ParamLayout
from refnn.gradcheck.precision import float64_array
from refnn.gradcheck.report import COURSE_CODE_THRESHOLD, GradCheckReport, build_report
from refnn.types import RealArrayLike


def check_threshold(func: str, threshold: object) -> float:
    """A pass mark ``> 0``."""
    return validation.real(func, "threshold", threshold, low=0.0, low_open=True,
                           range_text="> 0")


def check_worst(func: str, worst: object) -> int:
    """How many worst coordinates to list (``>= 0``)."""
    return validation.non_negative_int(func, "worst", worst)


@overload
def check_gradient(cost: CostFunction, theta: RealArrayLike | float, grad: RealArrayLike | float, *,
                   method: DifferenceMethod = ..., epsilon: float | None = ...,
                   layout: ParamLayout | None = ..., names: Sequence[str] | None = ...,
                   threshold: float = ..., worst: int = ...) -> GradCheckReport:
    ...


@overload
def check_gradient(cost: ComplexCostFunction, theta: RealArrayLike | float, grad: RealArrayLike | float, *,
                   method: Literal["complex-step"], epsilon: float | None = ...,
                   layout: ParamLayout | None = ..., names: Sequence[str] | None = ...,
                   threshold: float = ..., worst: int = ...) -> GradCheckReport:
    ...


def check_gradient(
    cost: CostFunction | ComplexCostFunction,
    theta: RealArrayLike | float,
    grad: RealArrayLike | float,
    *,
    method: Method = "two-sided",
    epsilon: float | None = None,
    layout: ParamLayout | None = None,
    names: Sequence[str] | None = None,
    threshold: float = COURSE_CODE_THRESHOLD,
    worst: int = 5,
) -> GradCheckReport:
    """Check an analytic gradient ``g = ∇J(θ)`` of any cost against its numerical gradient ``g̃``.

    ``difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂)``; ``g̃`` by
    :func:`~refnn.gradcheck.differences.numerical_gradient` (the two-sided default is the course's
    loop, bit for bit). With a ``layout`` the report also gives the difference per parameter block
    and names every coordinate (``"W2[1,3]"``); kinks cannot be seen inside an arbitrary ``J``
    (use :func:`~refnn.gradcheck.network_check.check_network` for a network).

    Args:
        cost: ``J(θ)`` → float (for ``"complex-step"``, a function of complex ``θ``).
        theta: ``θ``, ``(n,)`` or ``(n, 1)`` float64 (never modified).
        grad: ``g``, the same number of entries.
        method, epsilon: see :func:`~refnn.gradcheck.differences.numerical_gradient`.
        layout: a :class:`~refnn.gradcheck.layout.ParamLayout` with ``layout.size == n``.
        names: coordinate names instead of a layout (default ``theta[k]``).
        threshold: the pass mark (default ``2e-7``, the course's code).
        worst: how many worst coordinates to list.

    Example:
        >>> import numpy as np
        >>> J = lambda t: float(np.sum(t ** 3))
        >>> theta = np.array([1.0, 2.0, 3.0])
        >>> report = check_gradient(J, theta, 3 * theta ** 2)
        >>> report.passed, report.worst[0].name
        (True, 'theta[2]')
        >>> check_gradient(J, theta, np.array([3.0, 12.0, 30.0])).passed  # 27 → 30: a bug
        False
    """
    func = "check_gradient"
    m = check_method(func, method)
    eps = check_epsilon(func, m, epsilon)
    thr = check_threshold(func, threshold)
    k = check_worst(func, worst)
    if not callable(cost):
        raise validation.fail_type(func, "cost", "a function J(theta) -> float", cost)
    t = float64_array(func, "theta", theta)
    if t.size == 0:
        raise validation.fail_value(func, "theta", "a non-empty array", "an empty array")
    g = float64_array(func, "grad", grad).ravel()
    if g.size != t.size:
        raise validation.fail_value(func, "grad", f"{t.size} entries like theta",
                                    f"{g.size} entries")
    if layout is not None:
        if not isinstance(layout, ParamLayout):
            raise validation.fail_type(func, "layout", "a ParamLayout", layout)
        if layout.size != t.size:
            raise validation.fail_value(func, "layout", f"a layout of {t.size} parameters",
                                        f"{layout.size} parameters")
        coord_names = layout.names
        blocks = [(b.key, b.start, b.stop) for b in layout.blocks]
    else:
        if names is None:
            coord_names = tuple(f"theta[{i}]" for i in range(t.size))
        else:
            coord_names = tuple(str(x) for x in names)
            if len(coord_names) != t.size:
                raise validation.fail_value(func, "names", f"{t.size} names",
                                            f"{len(coord_names)}")
        blocks = [("theta", 0, t.size)]
    numeric = run_numerical_gradient(func, cost, t, m, eps)
    return build_report(g, np.ravel(numeric), names=coord_names, blocks=blocks, method=m,
                        epsilon=eps, threshold=thr, worst=k, kinks=None)
