"""Costs: the course's cross-entropy, a numerically stable one from the logits, and the L2 term.

Symbols: ``A[L] = σ(Z[L])`` is the output, ``Y`` the labels, both ``(1, m)``; ``λ`` is ``lambd``.

    J_CE  = −(1/m) Σ_i [ y_i log a_i + (1 − y_i) log(1 − a_i) ]
    J_L2  = λ/(2m) · Σ_l ‖W[l]‖²_F

The arithmetic is :mod:`refnn.kernel`'s; the functions here check their arguments (``check_*``,
taking the caller's function and argument names, so that ``refnn.course`` reuses them under its
own names) and call it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from refnn import kernel, validation
from refnn.types import FloatArray, Params, ParamsLike, RealArrayLike


def check_output(func: str, name: str, AL: object) -> FloatArray:
    """Check an output row ``A[L]: (1, m)`` of probabilities in ``[0, 1]`` (0 and 1 included)."""
    A = validation.float_array(func, name, AL, ndim=2, shape=(1, None), shape_text="(1, m)",
                               finite=False)
    if np.any(np.isnan(A)):
        raise validation.fail_value(func, name, "probabilities in [0, 1]",
                                    f"{int(np.count_nonzero(np.isnan(A)))} nan value(s)")
    if np.any((A < 0) | (A > 1)):
        raise validation.fail_value(func, name, "probabilities in [0, 1]",
                                    f"values from {np.min(A)!r} to {np.max(A)!r}")
    return A


def run_cross_entropy(A: FloatArray, Y: FloatArray) -> float:
    """:func:`cross_entropy` on checked arguments."""
    with np.errstate(divide="ignore"):
        return kernel.output_cross_entropy(A, Y)


def cross_entropy(AL: RealArrayLike, Y: RealArrayLike) -> float:
    """The course's cross-entropy cost, the *mean* over the ``m`` examples.

    ``J = (1/m) · nansum(−Y log A[L] − (1 − Y) log(1 − A[L]))`` with ``A[L], Y: (1, m)``.

    As in the course, terms ``0 · log 0`` (NaN) are dropped by ``nansum``; when an output saturates
    at the wrong label (``a = 1`` with ``y = 0``) the cost is ``inf`` — the course's random×10 run
    starts at ``inf``. Use :func:`cross_entropy_from_logits` for a cost that is always finite.
    Computed as :func:`refnn.kernel.output_cross_entropy` (one log per example, the same numbers).

    Example:
        >>> import numpy as np
        >>> round(cross_entropy(np.full((1, 4), 0.5), np.array([[0, 1, 1, 0]])), 12)  # ln 2
        0.69314718056
    """
    func = "cross_entropy"
    A = check_output(func, "AL", AL)
    y = validation.labels(func, "Y", Y, A.shape[1])
    return run_cross_entropy(A, y)


def cross_entropy_from_logits(ZL: RealArrayLike, Y: RealArrayLike) -> float:
    """The same cost computed from the logits ``Z[L]`` without forming ``σ(Z[L])``: always finite.

    Per example, ``−y log σ(z) − (1 − y) log(1 − σ(z)) = max(z, 0) − z·y + log(1 + e^{−|z|})``,
    which never overflows (:func:`refnn.kernel.logit_losses`); the mean over ``m`` examples is
    returned. Where the course's :func:`cross_entropy` of ``σ(Z[L])`` is finite the two agree to
    rounding.

    Example:
        >>> import numpy as np
        >>> cross_entropy_from_logits(np.array([[800.0]]), np.array([[0]]))
        800.0
    """
    func = "cross_entropy_from_logits"
    Z = validation.float_array(func, "ZL", ZL, ndim=2, shape=(1, None), shape_text="(1, m)")
    y = validation.labels(func, "Y", Y, Z.shape[1])
    return kernel.finite_mean(kernel.logit_losses(Z, y))


def check_l2_args(func: str, params: object, lambd: object, m: object,
                  params_name: str = "params") -> tuple[Params, float, int]:
    """:func:`l2_penalty`'s checks under the name ``func``: ``(P, λ, m)``."""
    P, _ = validation.params(func, params, params_name)
    lam = validation.lambd(func, lambd)
    n = validation.positive_int(func, "m", m)
    return P, lam, n


def run_l2_penalty(P: Mapping[str, FloatArray], lambd: float, m: int) -> float:
    """:func:`l2_penalty` on checked arguments."""
    return float(kernel.l2_cost([P[f"W{l}"] for l in range(1, len(P) // 2 + 1)], lambd, m))


def check_l2_representable(func: str, P: Mapping[str, FloatArray], params_name: str = "params"
                           ) -> None:
    """Refuse weights whose ``Σ‖W[l]‖²`` overflows float64 (the L2 term has no finite value)."""
    with np.errstate(over="ignore"):
        total = kernel.l2_sum([P[f"W{l}"] for l in range(1, len(P) // 2 + 1)])
    if not np.isfinite(total):
        raise validation.fail_value(func, params_name, "weights whose squared norm Σ‖W[l]‖² is "
                                    "representable in float64", "a sum of squares that overflows")


def l2_penalty(params: ParamsLike, lambd: float, m: int) -> float:
    """The L2 term ``λ/(2m) · Σ_l ‖W[l]‖²_F`` over every weight matrix (biases are not penalized).

    Computed as the course does, ``(1/m)·(λ/2)·(ΣW1² + ΣW2² + …)`` (:func:`refnn.kernel.l2_cost`).

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1)), "W2": np.ones((1, 2)), "b2": np.ones((1, 1))}
        >>> l2_penalty(p, 0.5, 4)  # 0.5 / 8 * (6 + 2)
        0.5
    """
    P, lam, n = check_l2_args("l2_penalty", params, lambd, m)
    check_l2_representable("l2_penalty", P)
    return run_l2_penalty(P, lam, n)


def check_total_cost_args(func: str, AL: object, Y: object, params: object, lambd: object, *,
                          AL_name: str = "AL", params_name: str = "params"
                          ) -> tuple[FloatArray, FloatArray, Params, float]:
    """:func:`total_cost`'s checks under the name ``func``: ``(A[L], Y, P, λ)``."""
    A = check_output(func, AL_name, AL)
    y = validation.labels(func, "Y", Y, A.shape[1])
    P, _ = validation.params(func, params, params_name)
    return A, y, P, validation.lambd(func, lambd)


def run_total_cost(A: FloatArray, Y: FloatArray, P: Mapping[str, FloatArray], lambd: float
                   ) -> float:
    """:func:`total_cost` on checked arguments."""
    ce = run_cross_entropy(A, Y)
    if lambd == 0.0:
        return ce
    return ce + run_l2_penalty(P, lambd, A.shape[1])


def total_cost(AL: RealArrayLike, Y: RealArrayLike, params: ParamsLike, lambd: float = 0.0
               ) -> float:
    """``J = J_CE(A[L], Y) + λ/(2m) Σ_l ‖W[l]‖²_F`` (the course's ``compute_cost_with_regularization``)."""
    A, y, P, lam = check_total_cost_args("total_cost", AL, Y, params, lambd)
    if lam != 0.0:
        check_l2_representable("total_cost", P)
    return run_total_cost(A, y, P, lam)
