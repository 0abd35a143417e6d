"""Rounding-error bounds for the suite's numeric comparisons (the tolerances, derived).

A property that compares a target's number with an exact oracle (refnn's analytic gradient, a
complex-step derivative, a closed form) allows the difference that floating-point rounding can
make, computed from the inputs at hand — not a fixed ``rtol``. The model is the standard one
(Higham, *Accuracy and Stability of Numerical Algorithms*, ch. 2–3):

* every elementary operation is exact up to a relative error ``u = eps/2`` (``eps`` = 2.2e-16);
  ``exp``, ``log`` and the sigmoid are allowed a few ulp more (:data:`LIBM_ULPS`);
* an inner product or sum of ``n`` terms, in *any* order, is off by at most ``n·u·Σ|terms|``;
* to first order, errors propagate linearly: a quantity computed from inputs with error bounds
  ``E_x`` gets ``Σ |∂q/∂x| E_x`` plus its own rounding ``k·u·M_q``, where the *magnitude*
  ``M_q`` is the same expression evaluated on absolute values (``|W| M_A + |b|`` for
  ``W A + b``). ``M_q / |q|`` is the quantity's condition: large where terms cancel.

The functions below run that *running error analysis* through the network's forward and backward
passes and the cross-entropy; :data:`IMPLEMENTATIONS` = 2 accounts for the target *and* the oracle
each erring by up to the bound, and :data:`SAFETY` = 2 for the first-order truncation of the model.
A difference beyond the tolerance is therefore not rounding, whatever order the target computes
in; the mistakes the suite looks for (a factor 2, λ/m for λ/(2m), a missing mask) are larger than
the tolerance by many orders of magnitude.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

EPS = float(np.finfo(np.float64).eps)
"""Machine epsilon of float64, 2.22e-16."""

U = EPS / 2
"""The unit roundoff ``u``: the largest relative error of one correctly rounded operation."""

LIBM_ULPS = 4.0
"""Relative error allowed (in units of ``u``) for ``exp``/``log``/the sigmoid, beyond the
correctly rounded operations: libm and SIMD kernels are within 1–2 ulp; ``1/(1 + e^{−z})`` chains
three operations."""

IMPLEMENTATIONS = 2
"""The target and the oracle each err by up to the bound."""

SAFETY = 2.0
"""For the first-order model's neglected higher-order terms and for slack."""

FACTOR = IMPLEMENTATIONS * SAFETY
"""What a one-implementation bound is multiplied by to become a tolerance."""


def _float(a: object) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def network_bounds(params: Mapping[str, Any], X: object, Y: object | None = None, *,
                   keep_prob: float = 1.0, masks: Sequence[Any] | None = None,
                   lambd: float = 0.0) -> dict[str, tuple[FloatArray, FloatArray]]:
    """``{name: (magnitude M, error bound E)}`` for one implementation of the network's passes.

    Forward (``l = 1..L``, ``A0 = X`` exact, ``D[l]`` the masks, hidden layers only)::

        Z[l] = W[l] A[l−1] + b[l]:   M = |W| M_A + |b|,  E = |W| E_A + (n[l−1] + 1)·u·M
        A[l] = relu(Z[l]) D[l]/kp:   M = 1{Z>0} D/kp · M_Z,  E = 1{Z>0} D/kp · E_Z + 2u·M
        A[L] = σ(Z[L]):              E = σ'(Z) E_Z + LIBM_ULPS·u·A

    Backward (when ``Y`` is given; the course's formulas, ``dZ[L] = A[L] − Y``)::

        dW[l] = (1/m) dZ[l] A[l−1]ᵀ + (λ/m) W[l]:  E = (1/m)(E_dZ M_Aᵀ + M_dZ E_Aᵀ) + (m + 3)·u·M
        db[l] = (1/m) Σ dZ[l]:                     E = (1/m) Σ E_dZ + (m + 1)·u·M
        dA[l−1] = W[l]ᵀ dZ[l] · D/kp, dZ[l−1] = dA · 1{Z>0}

    Keys ``Z1, A1, …`` and ``dZ1, dW1, db1, dA1, …``. The bounds assume no ``Z`` is within its
    own error bound of ReLU's kink (the properties keep a margin).
    """
    L = len(params) // 2
    A = _float(X)
    m = A.shape[1]
    M_A = np.abs(A)
    E_A = np.zeros_like(A)
    out: dict[str, tuple[FloatArray, FloatArray]] = {}
    Zs: list[FloatArray] = []
    scales: list[FloatArray] = []
    for l in range(1, L + 1):
        W, b = _float(params[f"W{l}"]), _float(params[f"b{l}"])
        Z = W @ A + b
        M_Z = np.abs(W) @ M_A + np.abs(b)
        E_Z = np.abs(W) @ E_A + (W.shape[1] + 1) * U * M_Z
        out[f"Z{l}"] = (M_Z, E_Z)
        Zs.append(Z)
        if l == L:
            A = 1.0 / (1.0 + np.exp(-Z))
            E_A = A * (1.0 - A) * E_Z + LIBM_ULPS * U * A
            M_A = A
        else:
            scale = (Z > 0).astype(np.float64)
            if masks is not None and masks[l - 1] is not None:
                scale = scale * (_float(masks[l - 1]) != 0) / keep_prob
            scales.append(scale)
            A = np.maximum(Z, 0.0) * scale
            M_A = scale * M_Z
            E_A = scale * E_Z + 2 * U * M_A
        out[f"A{l}"] = (M_A, E_A)
    if Y is None:
        return out
    y = _float(Y).reshape(1, -1)
    AL, E_AL = A, out[f"A{L}"][1]
    E_dZ = E_AL + U * np.abs(AL - y)
    M_dZ = np.abs(AL - y) + E_dZ
    for l in range(L, 0, -1):
        W = _float(params[f"W{l}"])
        M_prev, E_prev = (np.abs(_float(X)), np.zeros_like(_float(X))) if l == 1 else out[f"A{l - 1}"]
        M_dW = (M_dZ @ M_prev.T) / m + lambd / m * np.abs(W)
        E_dW = (E_dZ @ M_prev.T + M_dZ @ E_prev.T) / m + (m + 3) * U * M_dW
        M_db = np.sum(M_dZ, axis=1, keepdims=True) / m
        E_db = np.sum(E_dZ, axis=1, keepdims=True) / m + (m + 1) * U * M_db
        out[f"dZ{l}"] = (M_dZ, E_dZ)
        out[f"dW{l}"] = (M_dW, E_dW)
        out[f"db{l}"] = (M_db, E_db)
        if l == 1:
            break
        scale = scales[l - 2]
        M_dA = np.abs(W).T @ M_dZ
        E_dA = np.abs(W).T @ E_dZ + (W.shape[0] + 2) * U * M_dA
        out[f"dA{l - 1}"] = (scale * M_dA, scale * E_dA)
        M_dZ, E_dZ = scale * M_dA, scale * E_dA
    return out


def forward_tolerance(params: Mapping[str, Any], X: object, *, keep_prob: float = 1.0,
                      masks: Sequence[Any] | None = None) -> dict[str, FloatArray]:
    """``{"Z1": …, "A1": …, …}``: how far two correct forward passes may differ, entrywise
    (:data:`FACTOR` × :func:`network_bounds`' ``E``)."""
    bounds = network_bounds(params, X, keep_prob=keep_prob, masks=masks)
    return {k: FACTOR * e for k, (_, e) in bounds.items()}


def gradient_tolerance(params: Mapping[str, Any], X: object, Y: object, *,
                       keep_prob: float = 1.0, masks: Sequence[Any] | None = None,
                       lambd: float = 0.0) -> dict[str, FloatArray]:
    """``{"dW1": …, "db1": …, …}``: how far two correct backward passes may differ, entrywise."""
    bounds = network_bounds(params, X, Y, keep_prob=keep_prob, masks=masks, lambd=lambd)
    return {k: FACTOR * e for k, (_, e) in bounds.items() if k[:2] in ("dW", "db")}


def cross_entropy_bound(A: object, Y: object, A_error: object | None = None) -> float:
    """The error bound of one computation of ``J = −(1/m) Σ [y log a + (1 − y) log(1 − a)]``.

    Each term ``t = y log a + (1 − y) log(1 − a)`` is off by ``LIBM_ULPS·u·|t|`` (``log``), plus
    ``u/(1 − a)`` for forming ``1 − a``, plus, when ``a`` itself carries an error ``δa``
    (``A_error``, e.g. from a forward pass), ``y·δa/a + (1 − y)·δa/(1 − a)`` — the condition of
    ``log(1 − a)`` at a saturated output (``a → 1``) is ``1/(1 − a)``. The sum of ``m`` terms adds
    ``(m + 1)·u·Σ|t|``. Labels are 0/1, so ``y·`` and ``(1 − y)·`` are exact.
    """
    a = _float(A).reshape(1, -1)
    y = _float(Y).reshape(1, -1)
    m = a.shape[1]
    da = np.zeros_like(a) if A_error is None else _float(A_error).reshape(1, -1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.abs(y * np.log(a)) + np.abs((1 - y) * np.log(1 - a))
        cond = y * da / a + (1 - y) * (da + U) / (1 - a)
    total = float(np.sum((LIBM_ULPS + m + 1) * U * t + cond)) / m
    return total if np.isfinite(total) else float("inf")


def cross_entropy_tolerance(A: object, Y: object, A_error: object | None = None) -> float:
    """How far two correct computations of the mean cross-entropy may differ
    (:data:`FACTOR` × :func:`cross_entropy_bound`)."""
    return FACTOR * cross_entropy_bound(A, Y, A_error)


def sum_bound(terms: object) -> float:
    """The error bound of a sum (or mean) of ``terms``, in any order: ``(n + 1)·u·Σ|terms|``."""
    t = np.abs(_float(terms)).ravel()
    return float((t.size + 1) * U * np.sum(t))


def difference_noise(cost_errors: object, grad: object, epsilon: float) -> float:
    """The largest relative difference ``‖g − g̃‖/(‖g‖ + ‖g̃‖)`` that rounding alone can give in a
    two-sided gradient check of a correct gradient ``g`` (truncation ``O(ε²)`` neglected).

    Coordinate ``i`` computes ``g̃_i = (J(θ + εe_i) − J(θ − εe_i))/2ε``; with each ``J`` off by at
    most ``cost_errors[i]`` (one implementation's bound), ``|g̃_i − g_i| ≤ δ_i = cost_errors[i]/ε``,
    so ``‖g − g̃‖ ≤ ‖δ‖`` and the difference is at most ``‖δ‖/(2‖g‖ − ‖δ‖)``. ``cost_errors`` is a
    scalar (the same bound for every coordinate) or one bound per coordinate of ``grad``.
    """
    g = np.abs(_float(grad)).ravel()
    delta = np.broadcast_to(_float(cost_errors), g.shape) / epsilon
    norm_delta = float(np.sqrt(np.sum(delta * delta)))
    denom = 2 * float(np.sqrt(np.sum(g * g))) - norm_delta
    return norm_delta / denom if denom > 0 else float("inf")


def difference_shift(cost_errors: object, grad: object, approx: object, epsilon: float) -> float:
    """How far rounding can move ``‖g − g̃‖/(‖g‖ + ‖g̃‖)`` when ``g`` is *not* the gradient (e.g. the
    course's planted bugs): moving ``g̃`` by ``δ`` moves the numerator and the denominator by at
    most ``‖δ‖`` each, so the difference moves by at most ``2‖δ‖/(‖g‖ + ‖g̃‖ − ‖δ‖)``."""
    delta = np.broadcast_to(_float(cost_errors), _float(grad).ravel().shape) / epsilon
    norm_delta = float(np.sqrt(np.sum(delta * delta)))
    denom = float(np.linalg.norm(_float(grad)) + np.linalg.norm(_float(approx))) - norm_delta
    return 2 * norm_delta / denom if denom > 0 else float("inf")


def network_cost_bound(params: Mapping[str, Any], X: object, Y: object) -> float:
    """One implementation's error bound for the network's mean cross-entropy ``J(θ)``: the
    cross-entropy's bound with ``A[L]``'s own error bound from the forward pass (so a saturated
    output's ``1/(1 − a)`` condition is included)."""
    bounds = network_bounds(params, X)
    L = len(params) // 2
    M_A, E_A = bounds[f"A{L}"]
    return cross_entropy_bound(M_A, Y, E_A)


def chain_bound(factors: Sequence[object]) -> tuple[FloatArray, FloatArray]:
    """``(M, E)`` for the product ``Y = F_k ⋯ F_2 F_1`` (``factors = [F_1, …, F_k]``, ``F_1`` the
    rightmost, e.g. the input ``X``), computed in *any* association order (``W_L(⋯(W_1 X))`` or
    ``(W_L ⋯ W_1) X``).

    ``M = |F_k| ⋯ |F_1|`` (the same in every order) and ``E = n·u·M`` with
    ``n = Σ_{i ≥ 2} cols(F_i)``: every multiplication of two adjacent blocks is a set of inner
    products over the dimension at which they meet, each off by at most ``cols·u·Σ|terms|``, and
    in any order each of the ``k − 1`` meeting dimensions is summed over exactly once, so to first
    order the relative errors (measured against ``M``) add. Entries where ``Y`` cancels (``|Y| ≪ M``)
    are allowed the larger error they carry."""
    mats = [np.atleast_2d(_float(f)) for f in factors]
    M = np.abs(mats[0])
    inner = 0
    for F in mats[1:]:
        M = np.abs(F) @ M
        inner += F.shape[1]
    return M, inner * U * M


def iteration_bound(lipschitz: Sequence[float], step_errors: Sequence[float]) -> FloatArray:
    """Bounds ``e_0, …, e_n`` on ``‖θ̃_i − θ_i‖₂`` for an iteration ``θ_{i+1} = S_i(θ_i)`` computed in
    floating point (one implementation): ``e_0 = 0``, ``e_{i+1} = L_i·e_i + r_i``, with ``L_i`` the
    Lipschitz constant of the step ``S_i`` near ``θ_i`` (for gradient descent ``‖I − αH_i‖₂``: the
    trajectory's conditioning, > 1 where the cost is not convex) and ``r_i`` the rounding of step
    ``i`` itself (``‖·‖₂`` of its entrywise bound)."""
    e = [0.0]
    for L_i, r_i in zip(lipschitz, step_errors):
        e.append(float(L_i) * e[-1] + float(r_i))
    return np.asarray(e, dtype=np.float64)


def standardization_bounds(X: object) -> dict[str, FloatArray]:
    """One implementation's error bounds, per feature ``(n_x, 1)``, for the lecture's statistics of
    ``X: (n_x, m)``: ``μ = (1/m) Σ x``, ``σ² = (1/m) Σ (x − μ)²``, ``σ = √σ²``.

    ``E_μ = (m + 1)·u·mean|x|`` (a sum in any order, then a division). ``E_σ² = (m + 4)·u·mean(x²)
    + 2|μ|·E_μ``: a mean of squares, in any order — this also covers the one-pass
    ``mean(x²) − μ²``, whose rounding is relative to ``mean(x²) = σ² + μ²``; the condition of ``σ²``
    is ``1 + μ²/σ²``, large when a feature's spread is small against its level. ``E_σ = E_σ²/(2σ)
    + LIBM_ULPS·u·σ``. Keys ``"mu"``, ``"sigma2"``, ``"sigma"``."""
    x = _float(X)
    m = x.shape[1]
    mean_abs = np.mean(np.abs(x), axis=1, keepdims=True)
    mu = np.mean(x, axis=1, keepdims=True)
    sigma = np.std(x, axis=1, keepdims=True)
    e_mu = (m + 1) * U * mean_abs
    e_var = (m + 4) * U * np.mean(x * x, axis=1, keepdims=True) + 2 * np.abs(mu) * e_mu
    with np.errstate(divide="ignore", invalid="ignore"):
        e_sigma = np.where(sigma > 0, e_var / (2 * sigma), np.sqrt(e_var)) + LIBM_ULPS * U * sigma
    return {"mu": e_mu, "sigma2": e_var, "sigma": e_sigma}


def standardized_bound(X_train: object, X: object) -> FloatArray:
    """One implementation's entrywise error bound for ``(X − μ)/σ`` with the statistics of
    ``X_train`` (:func:`standardization_bounds`; ``σ`` taken as 1 for a constant feature, whose
    statistics are then ``μ`` alone): the subtraction and division (``2u·|X − μ|/σ``), ``μ``'s
    error (``E_μ/σ``) and ``σ``'s (``|X − μ|/σ · E_σ/σ``)."""
    xt = _float(X_train)
    x = _float(X)
    b = standardization_bounds(xt)
    mu = np.mean(xt, axis=1, keepdims=True)
    sigma = np.std(xt, axis=1, keepdims=True)
    constant = np.ptp(xt, axis=1, keepdims=True) == 0
    s = np.where(constant, 1.0, sigma)
    e_s = np.where(constant, 0.0, b["sigma"])
    d = np.abs(x - mu)
    out: FloatArray = (b["mu"] + 2 * U * d) / s + d / s * e_s / s
    return out
