"""The full numerical gradient of a network, many perturbed parameter vectors at once.

The per-coordinate loop runs one full forward pass per ``±ε`` per coordinate. Most of that work
is repeated: perturbing ``W[l][i, j]`` by ``δ`` changes only row ``i`` of ``Z[l]``, by
``δ·A[l−1][j, :]`` (``b[l][i]``: by ``δ`` in every column); every layer below ``l`` is shared, and
layer ``l+1`` changes by a rank-1 term::

    Z[l]'[i, :] = Z[l][i, :] + δ·A[l−1][j, :]                    (1, m)
    ΔA[l][i, :] = relu(Z[l]'[i, :])·D[l][i, :]/p[l] − A[l][i, :]  (1, m), zero where the unit stays off
    Z[l+1]'     = Z[l+1] + W[l+1][:, i] ΔA[l][i, :]               (n[l+1], m), rank 1

So for each row ``i`` of each layer this module stacks all of its perturbations — every column
``j`` of ``W[l]`` and ``b[l][i]``, each with ``+ε`` and ``−ε`` — as a batch ``(P, m)``, keeps only
the examples they actually change (``ΔA ≠ 0``), forms ``Z[l+1]'`` by the rank-1 update and runs the
remaining layers ``l+2..L`` on the whole batch at once (one matrix product per layer on
``(P·m_affected, n)``). ``ΔJ = (1/m) Σ_affected (ℓ' − ℓ) + λ/(2m)((w+δ)² − w²)``; nothing is
linearized — every perturbed cost is evaluated exactly, only without recomputing what the
perturbation cannot change. For the last hidden layer and the output layer no matrix product is
left at all.

The same code runs the complex-step method on complex batches (``δ = i·h``). Kinks are detected on
the way: a coordinate is flagged when, at ``θ ± εe_k``, some kept hidden ``Z`` entry is on the other
side of 0 than at ``θ`` (complex-step: a kept hidden ``Z`` with ``Re Z = 0`` that the step reaches).

The simple per-coordinate loop (:func:`refnn.gradcheck.network_check.loop_gradapprox`) is the
oracle this engine is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from refnn.gradcheck.differences import Method
from refnn.gradcheck.objective import (
    NetworkObjective,
    Pass,
    complex_example_losses,
    example_losses,
)
from refnn.types import BoolArray, FloatArray, IntArray

Batch: TypeAlias = NDArray[np.inexact[Any]]
"""A batch of float64 (difference methods) or complex128 (complex-step) values."""

CHUNK_ELEMENTS = 1 << 18
"""The batch tensor ``(P, m_affected, n)`` is processed in chunks of about this many entries
(2 MiB of float64), small enough to stay in cache."""


@dataclass(frozen=True, slots=True)
class _Net:
    obj: NetworkObjective
    Ws: list[FloatArray]
    bs: list[FloatArray]
    base: Pass
    ZT: list[FloatArray]          # Z[l].T contiguous, (m, n[l]); index l
    pos: list[BoolArray]          # Z[l] > 0, (n[l], m)
    posT: list[BoolArray]         # (m, n[l])
    keep: list[BoolArray | None]  # D[l] (n[l], m) or None
    keepT: list[BoolArray | None]
    y: FloatArray


def _prepare(obj: NetworkObjective, theta: FloatArray) -> _Net:
    Ws, bs = obj.weights(theta)
    base = obj.forward_weights(Ws, bs)
    L = len(Ws)
    ZT = [np.empty((0, 0))] + [np.ascontiguousarray(base.Z[l].T) for l in range(1, L + 1)]
    pos = [np.empty((0, 0), dtype=bool)] + [base.Z[l] > 0 for l in range(1, L + 1)]
    posT = [np.ascontiguousarray(p.T) for p in pos]
    keep: list[BoolArray | None] = [None] + list(obj.masks) + [None]
    keepT = [None if D is None else np.ascontiguousarray(D.T) for D in keep]
    return _Net(obj=obj, Ws=Ws, bs=bs, base=base, ZT=ZT, pos=pos, posT=posT, keep=keep,
                keepT=keepT, y=obj.Y[0])


def _losses(ZL: Batch, y: FloatArray) -> Batch:
    if np.iscomplexobj(ZL):
        return complex_example_losses(ZL.astype(np.complex128), y)
    return example_losses(ZL.astype(np.float64), y)


def _relu_and_drop(net: _Net, q: int, Z: Batch, keep: BoolArray | None) -> Batch:
    A: Batch = np.where(Z.real > 0, Z, 0) if np.iscomplexobj(Z) else np.maximum(Z, 0)
    if keep is not None:
        A = A * keep
        A = A / net.obj.keep_probs[q - 1]
    return A


def _side_changed(net: _Net, Z: Batch, base_pos: BoolArray, keep: BoolArray | None,
                  axes: tuple[int, ...]) -> BoolArray:
    """Per batch entry: does some kept hidden ``Z`` entry cross (or, complex, sit on) the kink?"""
    if np.iscomplexobj(Z):
        crossed = (Z.real == 0) & (Z.imag != 0)
    else:
        crossed = (Z > 0) != base_pos
    if keep is not None:
        crossed = crossed & keep
    out: BoolArray = np.any(crossed, axis=axes)
    return out


def _row_delta_cost(net: _Net, l: int, i: int, delta: Batch) -> tuple[Batch, BoolArray]:
    """``(m·ΔJ_CE, kink)`` for the batch of changes ``delta: (P, m)`` of row ``i`` of ``Z[l]``."""
    L = len(net.Ws)
    m = delta.shape[1]
    P = delta.shape[0]
    base_losses = net.base.losses
    if l == L:
        ZL = net.base.Z[L][0][None, :] + delta
        return (_losses(ZL, net.y) - base_losses[None, :]).sum(axis=1), np.zeros(P, dtype=bool)
    z = net.base.Z[l][i][None, :] + delta
    D_l = net.keep[l]
    keep_row = None if D_l is None else D_l[i][None, :]
    kink = _side_changed(net, z, net.pos[l][i][None, :], keep_row, (1,))
    dA = _relu_and_drop(net, l, z, keep_row) - net.base.A[l][i][None, :]
    if l == L - 1:
        ZL = net.base.Z[L][0][None, :] + net.Ws[L - 1][0, i] * dA
        return (_losses(ZL, net.y) - base_losses[None, :]).sum(axis=1), kink
    affected = np.flatnonzero(np.any(dA != 0, axis=0))
    out = np.zeros(P, dtype=delta.dtype)
    if affected.size == 0:
        return out, kink
    dA = dA[:, affected]
    K = affected.size
    y = net.y[affected]
    base_aff = base_losses[affected]
    widest = max(net.Ws[q - 1].shape[0] for q in range(l + 1, L + 1))
    chunk = max(1, CHUNK_ELEMENTS // (K * widest))
    w_col = net.Ws[l][:, i]  # W[l+1][:, i]
    Z_next = net.ZT[l + 1][affected]
    upper: list[tuple[int, BoolArray, BoolArray | None]] = []
    for q in range(l + 1, L):
        D_q = net.keepT[q]
        upper.append((q, net.posT[q][affected], None if D_q is None else D_q[affected]))
    for p0 in range(0, P, chunk):
        p1 = min(P, p0 + chunk)
        T: Batch = dA[p0:p1, :, None] * w_col[None, None, :]
        T += Z_next[None]
        for q, base_pos, keep in upper:
            kink[p0:p1] |= _side_changed(net, T, base_pos[None], None if keep is None
                                         else keep[None], (1, 2))
            A = _relu_and_drop(net, q, T, None if keep is None else keep[None])
            n_q = A.shape[2]
            W_next = net.Ws[q]
            T = (A.reshape(-1, n_q) @ W_next.T).reshape(p1 - p0, K, W_next.shape[0])
            T += net.bs[q][:, 0][None, None, :]
        out[p0:p1] = (_losses(T[:, :, 0], y) - base_aff[None, :]).sum(axis=1)
    return out, kink


def batched_gradapprox(obj: NetworkObjective, theta: FloatArray, method: Method, epsilon: float
                       ) -> tuple[FloatArray, IntArray]:
    """The numerical gradient of ``obj`` at ``θ`` and the kink-crossing coordinates.

    Same definition as the per-coordinate loop — two-sided ``(J(θ+εe_k) − J(θ−εe_k))/2ε``,
    one-sided ``(J(θ+εe_k) − J(θ))/ε`` or complex-step ``Im J(θ+ihe_k)/h`` — with the
    perturbation applied to ``Z[l]`` directly (``±ε·A[l−1][j,:]``) rather than to a copy of ``θ``.

    Returns:
        ``(g̃: (n,), kinks: indices)``.
    """
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
        ones = np.ones((1, m))
        dirs = np.vstack([A_prev, ones])  # (n_prev + 1, m): W[l][i, :] then b[l][i]
        for i in range(bw.shape[0]):
            delta_parts = [s * dirs for s in steps]
            delta: Batch = np.concatenate(delta_parts, axis=0)
            dce, kink = _row_delta_cost(net, l, i, delta)
            dJ = dce.reshape(S, n_prev + 1) / m
            w = net.Ws[l - 1][i]
            if lam != 0.0:
                for s_idx, s in enumerate(steps):
                    dJ[s_idx, :n_prev] += (lam / (2 * m)) * ((2 * w + s) * s)
            if method == "two-sided":
                values = (dJ[0] - dJ[1]).real / (2 * epsilon)
            elif method == "one-sided":
                values = dJ[0].real / epsilon
            else:
                values = dJ[0].imag / epsilon
            k_w = bw.start + np.ravel_multi_index(
                (np.full(n_prev, i), np.arange(n_prev)), bw.shape, order=layout.order)
            k_b = bb.start + i
            numeric[k_w] = values[:n_prev]
            numeric[k_b] = values[n_prev]
            flags: BoolArray = np.any(kink.reshape(S, n_prev + 1), axis=0)
            kinks[k_w] = flags[:n_prev]
            kinks[k_b] = flags[n_prev]
    return numeric, np.flatnonzero(kinks)
