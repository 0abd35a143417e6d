"""Costs: the course's cross-entropy, a numerically stable one from the logits, and the L2 term.

Symbols: ``A[L] = σ(Z[L])`` is the output, ``Y`` the labels, both ``(1, m)``; ``λ`` is ``lambd``.

    J_CE  = −(1/m) Σ_i [ y_i log a_i + (1 − y_i) log(1 − a_i) ]
    J_L2  = λ/(2m) · Σ_l ‖W[l]‖²_F
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from refnn import validation
from refnn.types import FloatArray


def _cross_entropy_terms(AL: FloatArray, Y: FloatArray) -> FloatArray:
    # The course's arithmetic, term for term, so that the published costs are reproduced bit for bit.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)


def cross_entropy(AL: object, Y: object) -> float:
    """The course's cross-entropy cost, the *mean* over the ``m`` examples.

    ``J = (1/m) · nansum(−Y log A[L] − (1 − Y) log(1 − A[L]))`` with ``A[L], Y: (1, m)``.

    As in the course, terms ``0 · log 0`` (NaN) are dropped by ``nansum``; when an output saturates
    at the wrong label (``a = 1`` with ``y = 0``) the cost is ``inf`` — the course's random×10 run
    starts at ``inf``. Use :func:`cross_entropy_from_logits` for a cost that is always finite.

    Example:
        >>> import numpy as np
        >>> round(cross_entropy(np.full((1, 4), 0.5), np.array([[0, 1, 1, 0]])), 12)  # ln 2
        0.69314718056
    """
    func = "cross_entropy"
    A = validation.float_array(func, "AL", AL, ndim=2, shape=(1, None), shape_text="(1, m)",
                               finite=False)
    if np.any(np.isnan(A)) or np.any((A < 0) | (A > 1)):
        raise validation.fail_value(func, "AL", "probabilities in [0, 1]",
                                    f"values from {np.nanmin(A)!r} to {np.nanmax(A)!r}")
    y = validation.labels(func, "Y", Y, A.shape[1])
    m = A.shape[1]
    return float(1.0 / m * np.nansum(_cross_entropy_terms(A, y)))


def cross_entropy_from_logits(ZL: object, Y: object) -> float:
    """The same cost computed from the logits ``Z[L]`` without forming ``σ(Z[L])``: always finite.

    Per example, ``−y log σ(z) − (1 − y) log(1 − σ(z)) = max(z, 0) − z·y + log(1 + e^{−|z|})``,
    which never overflows; the mean over ``m`` examples is returned. Where the course's
    :func:`cross_entropy` of ``σ(Z[L])`` is finite the two agree to rounding.

    Example:
        >>> import numpy as np
        >>> cross_entropy_from_logits(np.array([[800.0]]), np.array([[0]]))
        800.0
    """
    func = "cross_entropy_from_logits"
    Z = validation.float_array(func, "ZL", ZL, ndim=2, shape=(1, None), shape_text="(1, m)")
    y = validation.labels(func, "Y", Y, Z.shape[1])
    losses = np.maximum(Z, 0.0) - Z * y + np.log1p(np.exp(-np.abs(Z)))
    return float(np.mean(losses))


def l2_penalty(params: Mapping[str, object], lambd: object, m: object) -> float:
    """The L2 term ``λ/(2m) · Σ_l ‖W[l]‖²_F`` over every weight matrix (biases are not penalized).

    Computed as the course does, ``(1/m)·(λ/2)·(ΣW1² + ΣW2² + …)``.

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.ones((2, 3)), "b1": np.ones((2, 1)), "W2": np.ones((1, 2)), "b2": np.ones((1, 1))}
        >>> l2_penalty(p, 0.5, 4)  # 0.5 / 8 * (6 + 2)
        0.5
    """
    func = "l2_penalty"
    P, _ = validation.params(func, params)
    lam = validation.lambd(func, lambd)
    n = validation.positive_int(func, "m", m)
    total = 0.0
    for l in range(1, len(P) // 2 + 1):
        total = total + np.sum(np.square(P[f"W{l}"]))
    return float((1.0 / n) * (lam / 2) * total)


def total_cost(AL: object, Y: object, params: Mapping[str, object], lambd: object = 0.0) -> float:
    """``J = J_CE(A[L], Y) + λ/(2m) Σ_l ‖W[l]‖²_F`` (the course's ``compute_cost_with_regularization``)."""
    ce = cross_entropy(AL, Y)
    lam = validation.lambd("total_cost", lambd)
    if lam == 0.0:
        return ce
    m = validation.labels("total_cost", "Y", Y).shape[1]
    return ce + l2_penalty(params, lam, m)
