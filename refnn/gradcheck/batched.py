"""The full numerical gradient of a network, many perturbed parameter vectors at once.

The per-coordinate loop runs one full forward pass per ``±ε`` per coordinate. Most of that work
is repeated. Perturbing ``W[l][i, j]`` by ``δ`` changes only row ``i`` of ``Z[l]``, by
``δ·A[l−1][j, :]`` (``b[l][i]``: by ``δ`` in every column); every layer below ``l`` is shared::

    Z[l]'[i, :] = Z[l][i, :] + δ·A[l−1][j, :]                      (1, m)
    ΔA[l][i, :] = relu(Z[l]'[i, :])·D[l][i, :]/p[l] − A[l][i, :]    (1, m), 0 where the unit stays off
    Z[l+1]'     = Z[l+1] + W[l+1][:, i] ΔA[l][i, :]                 (n[l+1], m): a rank-1 change

For each row ``i`` of each layer, all of its perturbations — every column ``j`` of ``W[l]`` and
``b[l][i]``, each with ``+ε`` and ``−ε`` — form one batch ``ΔA: (P, m)``; only the examples a
perturbation actually changes (``ΔA ≠ 0``) are carried on. Two engines evaluate the upper layers:

``"batched"``
    recompute them for every (perturbation, example) pair at once: ``Z[l+1]'`` by the rank-1
    update, then ``relu`` and one matrix product per layer on the stacked pairs ``(N, n)``.

``"rank1"`` (default)
    the rank-1 change stays rank-1 per example as long as no upper ReLU unit switches: for
    example ``k``, ``ΔZ[q][:, k] = ΔA[l][i, k]·c[q][:, k]`` with ``c[l+1][:, k] = W[l+1][:, i]`` and
    ``c[q+1][:, k] = W[q+1] (c[q][:, k] ⊙ 1{Z[q][:, k] > 0} ⊙ D[q][:, k]/p[q])``, so
    ``Z[L]' = Z[L] + ΔA[l][i, k]·c[L][k]`` *exactly* — the ReLUs are linear on the segment. Whether
    a unit switches is decided exactly, per pair, from the roots ``t = −Z[q][r, k] / c[q][r, k]``
    of ``Z + t·c = 0``; the pairs where one does (a kink is crossed) are recomputed as in
    ``"batched"``. Nothing is linearized: the perturbed unit's own ReLU and the output's
    cross-entropy are evaluated at the perturbed values, and every ``J(θ ± εe_k)`` is exact up to
    rounding — it is only not recomputed where it provably cannot differ.

``ΔJ = (1/m) Σ_affected (ℓ' − ℓ) + λ/(2m)((w + δ)² − w²)``. The same code runs complex-step on
complex batches (``δ = i·h``). A coordinate is flagged as crossing a kink when, at ``θ ± εe_k``, a
kept hidden ``Z`` entry lies on the other side of 0 than at ``θ`` (complex-step: a kept hidden
``Z`` with ``Re Z = 0`` that the step reaches).

The simple per-coordinate loop (:func:`refnn.gradcheck.network_check.loop_gradapprox`) is the
oracle both engines are tested against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from refnn import kernel, validation
from refnn.gradcheck.differences import Method
from refnn.gradcheck.objective import NetworkObjective, Pass, check_engine_args
from refnn.types import BatchEngine as BatchEngine
from refnn.types import BoolArray, FloatArray, IntArray

Batch: TypeAlias = NDArray[np.inexact[Any]]
"""A batch of float64 (difference methods) or complex128 (complex-step) values."""


CHUNK_ELEMENTS = 1 << 17
"""Recomputed pairs are processed in chunks of about this many entries (1 MiB of float64)."""


@dataclass(frozen=True, slots=True)
class _Net:
    obj: NetworkObjective
    Ws: list[FloatArray]
    bs: list[FloatArray]
    base: Pass
    ZT: list[FloatArray]          # Z[l].T contiguous, (m, n[l]); index l (ZT[0] unused)
    posT: list[BoolArray]         # (Z[l] > 0).T
    keepT: list[BoolArray | None]  # D[l].T or None (hidden layers), None for 0 and L
    gainT: list[FloatArray]       # 1{Z[l] > 0}·D[l]/p[l], transposed: the slope of A[l] in Z[l]
    out: OutputTerms              # per example: s = 1 − 2y, σ(s·Z[L]), series coefficients


def _prepare(obj: NetworkObjective, theta: FloatArray) -> _Net:
    Ws, bs = obj.weights(theta)
    base = obj.forward_weights(Ws, bs)
    L = len(Ws)
    empty = np.empty((0, 0))
    ZT = [empty] + [np.ascontiguousarray(base.Z[l].T) for l in range(1, L + 1)]
    posT = [np.empty((0, 0), dtype=bool)] + [Z > 0 for Z in ZT[1:]]
    keep: list[BoolArray | None] = [None] + list(obj.masks) + [None]
    keepT = [None if D is None else np.ascontiguousarray(D.T) for D in keep]
    gainT = [empty]
    for l in range(1, L):
        g = posT[l].astype(np.float64)
        D = keepT[l]
        if D is not None:
            g = g * D / obj.keep_probs[l - 1]
        gainT.append(g)
    return _Net(obj=obj, Ws=Ws, bs=bs, base=base, ZT=ZT, posT=posT, keepT=keepT, gainT=gainT,
                out=OutputTerms.at(base.Z[L][0], obj.Y[0]))


SERIES_LIMIT = 1e-6
"""Up to this ``|Δ|``, :func:`loss_change` sums the first three terms of its Taylor series."""


@dataclass(frozen=True, slots=True)
class OutputTerms:
    """Per example, what :func:`loss_change` needs: ``s = 1 − 2y``, ``q = σ(s·Z[L])`` and the
    series coefficients ``q``, ``q(1−q)/2``, ``q(1−q)(1−2q)/6``, shape ``(3, m)``."""

    sign: FloatArray
    q: FloatArray
    series: FloatArray

    @classmethod
    def at(cls, ZL: FloatArray, y: FloatArray) -> OutputTerms:
        sign = 1.0 - 2.0 * y
        with np.errstate(over="ignore"):
            q = kernel.sigmoid(sign * ZL)
        v = q * (1.0 - q)
        return cls(sign=sign, q=q, series=np.stack([q, v / 2, v * (1.0 - 2.0 * q) / 6]))

    def take(self, K: IntArray) -> OutputTerms:
        return OutputTerms(sign=self.sign[K], q=self.q[K], series=self.series[:, K])


def loss_change(dz: Batch, out: OutputTerms) -> Batch:
    """``ℓ(z + Δ, y) − ℓ(z, y)`` per (perturbation, example), exactly and without cancellation.

    With ``s = 1 − 2y`` (``y ∈ {0, 1}``), ``ℓ(z, y) = log(1 + e^{s·z})``, so
    ``ℓ(z + Δ) − ℓ(z) = log((1 + e^{s(z+Δ)}) / (1 + e^{sz})) = log1p(expm1(d)·q)`` with ``d = s·Δ``
    and ``q = σ(s·z)``: no difference of two nearly equal numbers is ever formed, and the change
    keeps full relative precision even when ``Δ`` is ``1e-7`` (a recomputed cost would lose
    ``|J|/|ΔJ| ≈ 1e7`` of it). Works for complex ``Δ`` (complex-step) too.

    ``log1p(expm1(d)·q)`` is the cumulant generating function of a Bernoulli(``q``) variable,
    ``q·d + q(1−q)·d²/2 + q(1−q)(1−2q)·d³/6 + O(q(1−q)·d⁴)``. When every ``|d| <= 1e-6`` (the
    usual case at ``ε = 1e-7``) the three terms are summed instead: what they leave out is below
    ``d³/24 ≈ 4e-20`` relative, so this is the same value to rounding, several times faster than
    ``expm1`` and ``log1p``.

    ``dz``: ``(P, K)``; ``out``: the terms of the ``K`` examples.
    """
    d = dz * out.sign
    if d.size and float(np.max(np.abs(d))) <= SERIES_LIMIT:
        c1, c2, c3 = out.series
        series: Batch = d * (c1 + d * (c2 + d * c3))
        return series
    with np.errstate(over="ignore"):
        exact: Batch = np.log1p(np.expm1(d) * out.q)
    return exact


def _relu_and_drop(net: _Net, q: int, Z: Batch, keep: BoolArray | None) -> Batch:
    """``A[q] = relu(Z)·D/p`` on a batch (the kernel's steps; transposed masks)."""
    A: Batch = kernel.relu(Z)
    if keep is not None:
        A = kernel.dropout(A, keep, net.obj.keep_probs[q - 1], out=A)
    return A


def _side_changed(Z: Batch, base_pos: BoolArray, keep: BoolArray | None, axis: int
                  ) -> BoolArray:
    """Does some kept hidden ``Z`` entry cross (or, complex-step, sit on) the kink?"""
    if np.iscomplexobj(Z):
        crossed = (Z.real == 0) & (Z.imag != 0)
    else:
        crossed = (Z > 0) != base_pos
    if keep is not None:
        crossed = crossed & keep
    out: BoolArray = np.any(crossed, axis=axis)
    return out


def _switches(Z: FloatArray, c: FloatArray, keep: BoolArray | None, dA: Batch) -> BoolArray:
    """``(P, K)``: does ``Z[k, r] + dA[p, k]·c[k, r]`` leave the side of 0 that ``Z[k, r]`` is on,
    for some kept unit ``r``? Decided from the roots ``t = −Z/c`` (``Z: (K, n)``, ``c: (K, n)``)."""
    live = c != 0
    if keep is not None:
        live = live & keep
    if np.iscomplexobj(dA):
        # the complex step never moves the real part: only units sitting exactly on 0 can switch
        on_kink = np.any(live & (Z == 0), axis=1)
        out: BoolArray = on_kink[None, :] & (dA != 0)
        return out
    d = dA.real
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(live, -Z / np.where(live, c, 1.0), np.nan)
    pos = Z > 0
    inf = np.inf

    def lowest(mask: BoolArray) -> FloatArray:
        low: FloatArray = np.min(np.where(mask, t, inf), axis=1, initial=inf)
        return low

    def highest(mask: BoolArray) -> FloatArray:
        high: FloatArray = np.max(np.where(mask, t, -inf), axis=1, initial=-inf)
        return high

    # off units (Z <= 0) switch on when Z + d·c > 0; on units (Z > 0) switch off when Z + d·c <= 0
    up_off = lowest(live & ~pos & (c > 0))      # d >  t
    up_on = lowest(live & pos & (c < 0))        # d >= t
    down_off = highest(live & ~pos & (c < 0))   # d <  t
    down_on = highest(live & pos & (c > 0))     # d <= t
    out = ((d > up_off[None, :]) | (d >= up_on[None, :]) | (d < down_off[None, :])
           | (d <= down_on[None, :]))
    return out


def _recompute(net: _Net, l: int, i: int, K: IntArray, dA: Batch, pp: IntArray, kk: IntArray
               ) -> tuple[Batch, BoolArray]:
    """The upper layers, recomputed for the pairs ``(pp, kk)``: ``(ΔZ[L], kink)`` per pair."""
    L = len(net.Ws)
    N = pp.size
    widest = max(net.Ws[q - 1].shape[0] for q in range(l + 1, L + 1))
    chunk = max(1, CHUNK_ELEMENTS // widest)
    w_col = net.Ws[l][:, i]  # W[l+1][:, i]
    examples = K[kk]
    out = np.empty(N, dtype=dA.dtype)
    kink = np.zeros(N, dtype=bool)
    for s0 in range(0, N, chunk):
        s1 = min(N, s0 + chunk)
        ex = examples[s0:s1]
        T: Batch = dA[pp[s0:s1], kk[s0:s1]][:, None] * w_col[None, :]
        T += net.ZT[l + 1][ex]
        for q in range(l + 1, L):
            D = net.keepT[q]
            keep = None if D is None else D[ex]
            kink[s0:s1] |= _side_changed(T, net.posT[q][ex], keep, 1)
            A = _relu_and_drop(net, q, T, keep)
            T = kernel.affine(A, net.Ws[q].T, net.bs[q].T)  # Z[q+1]ᵀ = A[q]ᵀ W[q+1]ᵀ + b[q+1]ᵀ
        out[s0:s1] = T[:, 0] - net.ZT[L][ex, 0]
    return out, kink


def _row_delta_cost(net: _Net, l: int, i: int, delta: Batch, reach: FloatArray,
                    engine: BatchEngine) -> tuple[Batch, BoolArray]:
    """``(m·ΔJ_CE, kink)`` for the batch of changes ``delta: (P, m)`` of row ``i`` of ``Z[l]``.

    ``reach[k]`` bounds ``|delta[:, k]|``: an example whose unit ``i`` is off by more than that
    (``Z[l][i, k] < −reach[k]``) cannot be affected and is skipped.
    """
    L = len(net.Ws)
    P = delta.shape[0]
    if l == L:
        dz = delta
        return loss_change(dz, net.out).sum(axis=1), \
            np.zeros(P, dtype=bool)
    Z_row = net.ZT[l][:, i]
    D_l = net.keepT[l]
    near = Z_row >= -reach
    if D_l is not None:
        near &= D_l[:, i]
    K0 = np.flatnonzero(near)
    kink = np.zeros(P, dtype=bool)
    if K0.size == 0:
        return np.zeros(P, dtype=delta.dtype), kink
    z = Z_row[K0][None, :] + delta[:, K0]
    keep_row = None if D_l is None else D_l[K0, i][None, :]
    kink = _side_changed(z, net.posT[l][K0, i][None, :], keep_row, 1)
    dA = _relu_and_drop(net, l, z, keep_row) - net.base.A[l][i][K0][None, :]
    touched = np.flatnonzero(np.any(dA != 0, axis=0))
    if touched.size == 0:
        return np.zeros(P, dtype=delta.dtype), kink
    K = K0[touched]
    dA = dA[:, touched]
    if engine == "batched":
        dirty = np.ones(dA.shape, dtype=bool)
        dz = np.empty(dA.shape, dtype=dA.dtype)
    else:
        dirty = np.zeros(dA.shape, dtype=bool)
        c = np.broadcast_to(net.Ws[l][:, i], (K.size, net.Ws[l].shape[0]))
        for q in range(l + 1, L):
            D = net.keepT[q]
            dirty |= _switches(net.ZT[q][K], c, None if D is None else D[K], dA)
            c = (c * net.gainT[q][K]) @ net.Ws[q].T
        dz = dA * c[:, 0][None, :]
    if dirty.any():
        pp, kk = np.nonzero(dirty)
        values, flips = _recompute(net, l, i, K, dA, pp, kk)
        dz[pp, kk] = values
        kink |= np.bincount(pp[flips], minlength=P) > 0
    contrib = loss_change(dz, net.out.take(K))
    return contrib.sum(axis=1), kink


def batched_gradapprox(obj: NetworkObjective, theta: FloatArray, method: Method, epsilon: float,
                       engine: BatchEngine = "rank1") -> tuple[FloatArray, IntArray]:
    """The numerical gradient of ``obj`` at ``θ`` and the kink-crossing coordinates.

    Same definition as the per-coordinate loop — two-sided ``(J(θ+εe_k) − J(θ−εe_k))/2ε``,
    one-sided ``(J(θ+εe_k) − J(θ))/ε`` or complex-step ``Im J(θ+ihe_k)/h`` — with the
    perturbation applied to ``Z[l]`` directly (``±ε·A[l−1][j,:]``) rather than to a copy of ``θ``.

    Returns:
        ``(g̃: (n,), kinks: indices)``.
    """
    obj, theta, method, epsilon = check_engine_args(  # type: ignore[assignment]
        "batched_gradapprox", obj, theta, method, epsilon)
    if engine not in ("rank1", "batched"):
        raise validation.fail_value("batched_gradapprox", "engine", "'rank1' or 'batched'",
                                    repr(engine))
    net = _prepare(obj, theta)
    layout = obj.layout
    m = obj.m
    lam = obj.lambd
    if method == "two-sided":
        steps: list[complex | float] = [epsilon, -epsilon]
    elif method == "one-sided":
        steps = [epsilon]
    else:
        steps = [1j * epsilon]
    S = len(steps)
    numeric = np.empty(layout.size)
    kinks = np.zeros(layout.size, dtype=bool)
    for l in range(1, layout.n_layers + 1):
        bw = layout.block(f"W{l}")
        bb = layout.block(f"b{l}")
        A_prev = net.base.A[l - 1]
        n_prev = A_prev.shape[0]
        dirs = np.vstack([A_prev, np.ones((1, m))])  # (n_prev + 1, m): W[l][i, :] then b[l][i]
        delta: Batch = np.concatenate([s * dirs for s in steps], axis=0)
        if method == "complex-step":
            reach = np.zeros(m)  # the real part never moves: only units with Z >= 0 matter
        else:
            reach = epsilon * np.max(np.abs(dirs), axis=0)
        cols = np.arange(n_prev)
        for i in range(bw.shape[0]):
            dce, kink = _row_delta_cost(net, l, i, delta, reach, engine)
            dJ = dce.reshape(S, n_prev + 1) / m
            if lam != 0.0:
                w = net.Ws[l - 1][i]
                for s_idx, s in enumerate(steps):
                    dJ[s_idx, :n_prev] += (lam / (2 * m)) * ((2 * w + s) * s)
            if method == "two-sided":
                values = (dJ[0] - dJ[1]).real / (2 * epsilon)
            elif method == "one-sided":
                values = dJ[0].real / epsilon
            else:
                values = dJ[0].imag / epsilon
            k_w = bw.start + np.ravel_multi_index((np.full(n_prev, i), cols), bw.shape,
                                                  order=layout.order)
            k_b = bb.start + i
            numeric[k_w] = values[:n_prev]
            numeric[k_b] = values[n_prev]
            flags: BoolArray = np.any(kink.reshape(S, n_prev + 1), axis=0)
            kinks[k_w] = flags[:n_prev]
            kinks[k_b] = flags[n_prev]
    return numeric, np.flatnonzero(kinks)
