"""refnn's core as the suite's oracle, in the course's shapes, plus the suite's own complex step.

Properties compare a target with refnn only where the rule is "the same numbers" (forward values,
gradients); elsewhere they check the invariant itself. Where a property asks "is this the gradient
of the cost?" it uses :func:`complex_step_gradient` of the suite's own :func:`network_cost`
(independent of refnn's backward pass and exact to rounding) or refnn's analytic gradient with the
same masks — never a finite difference, whose truncation and cancellation errors would need a
loose tolerance. The tolerances come from :mod:`refnn.conformance.rounding`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from refnn import cost as refnn_cost
from refnn import network
from refnn.conformance.protocol import LAYERS, cache_tuple
from refnn.types import ForwardCache

FloatArray = NDArray[np.float64]
Params = dict[str, FloatArray]


def forward(params: Mapping[str, FloatArray], X: FloatArray, *, keep_prob: float = 1.0,
            masks: Sequence[NDArray[np.bool_]] | None = None
            ) -> tuple[FloatArray, tuple[NDArray[Any], ...], ForwardCache]:
    """``(A3, course cache tuple, refnn cache)``; the dropout layout when ``masks`` are given."""
    if masks is not None and keep_prob == 1.0:
        # refnn draws no mask at keep_prob = 1; apply the given ones (all kept) through keep_prob≈1
        AL, cache = network.forward(dict(params), X)
    else:
        AL, cache = network.forward(dict(params), X, keep_prob=keep_prob,
                                    masks=None if masks is None else list(masks))
    Z = [layer.Z for layer in cache.layers]
    A = [layer.A for layer in cache.layers]
    return AL, cache_tuple(X, params, Z, A, masks), cache


def gradients(params: Mapping[str, FloatArray], X: FloatArray, Y: FloatArray, *,
              keep_prob: float = 1.0, masks: Sequence[NDArray[np.bool_]] | None = None,
              lambd: float = 0.0) -> Params:
    """``{"dW1", "db1", …}`` of ``J = CE + λ/(2m)ΣW²`` (with the masks held fixed)."""
    _, _, cache = forward(params, X, keep_prob=keep_prob, masks=masks)
    grads = network.backward(dict(params), cache, Y, lambd=lambd)
    return {k: grads[k] for k in grad_keys(params)}


def grad_keys(params: Mapping[str, FloatArray]) -> list[str]:
    """``dW1, db1, …`` for the layers of ``params``."""
    L = len(params) // 2
    return [f"d{kind}{l}" for l in range(1, L + 1) for kind in ("W", "b")]


def cost(A3: FloatArray, Y: FloatArray) -> float:
    """The mean cross-entropy ``−(1/m) Σ [y log a + (1 − y) log(1 − a)]``."""
    return refnn_cost.cross_entropy(A3, Y)


def l2_term(params: Mapping[str, FloatArray], lambd: float, m: int) -> float:
    """``λ/(2m) Σ_l ‖W[l]‖²_F`` (computed here, not by refnn: a plain sum of squares)."""
    total = sum(float(np.sum(np.square(params[f"W{l}"]))) for l in range(1, len(params) // 2 + 1))
    return lambd / (2.0 * m) * total


def _softplus(z: NDArray[Any]) -> NDArray[Any]:
    """``log(1 + e^z)`` without overflow or cancellation, for real or complex ``z`` (branch on the
    real part): ``z + log1p(e^{−z})`` where ``Re z > 0``, else ``log1p(e^z)``."""
    pos = z.real > 0
    safe_neg = np.where(pos, -z, z)  # the exponent is never positive: no overflow
    return np.where(pos, z, 0.0) + np.log1p(np.exp(safe_neg))


def network_cost(params: Mapping[str, NDArray[Any]], X: FloatArray, Y: FloatArray, *,
                 keep_prob: float = 1.0, masks: Sequence[NDArray[Any]] | None = None,
                 lambd: float = 0.0) -> NDArray[Any]:
    """``J(θ)``: the mean cross-entropy of the forward pass (masks held fixed) plus the L2 term.

    Written out here in plain numpy (not through refnn), from the logits: per example
    ``y·softplus(−z) + (1 − y)·softplus(z)`` (``= −y log σ(z) − (1 − y) log(1 − σ(z))``), which
    keeps full relative accuracy where the output saturates — ``log(1 − σ(z))`` formed from
    ``σ(z)`` loses ``u/(1 − σ(z))``. Works on complex parameters too (ReLU branches on the real
    part), for :func:`complex_step_gradient`; returns a 0-d array (real or complex).
    """
    A: NDArray[Any] = np.asarray(X, dtype=np.float64)
    L = len(params) // 2
    Z: NDArray[Any] = A
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        if l < L:
            A = np.where(Z.real > 0, Z, 0.0)
            if masks is not None:
                A = A * (np.asarray(masks[l - 1]) != 0) / keep_prob
    m = X.shape[1]
    y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    ce = np.sum(y * _softplus(-Z) + (1 - y) * _softplus(Z)) / m
    if lambd:
        ce = ce + lambd / (2.0 * m) * sum(np.sum(params[f"W{l}"] * params[f"W{l}"])
                                          for l in range(1, L + 1))
    return np.asarray(ce)


COMPLEX_STEP = 1e-150
"""The imaginary step ``h`` of :func:`complex_step_gradient`: ``Im J(θ + ih e_i)/h = ∂J/∂θ_i +
O(h²)``, and ``h²`` underflows — no truncation error, and no subtraction (so no cancellation)."""


def complex_step_gradient(params: Mapping[str, FloatArray], X: FloatArray, Y: FloatArray, *,
                          keep_prob: float = 1.0, masks: Sequence[NDArray[Any]] | None = None,
                          lambd: float = 0.0) -> Params:
    """``{"dW1", "db1", …}`` of :func:`network_cost` by the complex step, one entry at a time.

    Exact to rounding (the same error model as an analytic backward pass: see
    :func:`refnn.conformance.rounding.network_bounds`); at ReLU's kink ``Z = 0`` exactly it takes
    ``relu'(0) = 0``, the course's convention. Independent of refnn's backward pass.
    """
    base = {k: np.asarray(v, dtype=np.complex128) for k, v in params.items()}
    out: Params = {}
    for name, value in base.items():
        g = np.zeros(value.shape, dtype=np.float64)
        for idx in np.ndindex(value.shape):
            value[idx] += 1j * COMPLEX_STEP
            g[idx] = float(network_cost(base, X, Y, keep_prob=keep_prob, masks=masks,
                                        lambd=lambd).imag) / COMPLEX_STEP
            value[idx] = value[idx].real
        out[f"d{name}"] = g
    return out


def pre_activations(params: Mapping[str, FloatArray], X: FloatArray, *, keep_prob: float = 1.0,
                    masks: Sequence[NDArray[np.bool_]] | None = None) -> list[FloatArray]:
    """``[Z1, …, ZL]`` of the forward pass (used to keep inputs away from ReLU's kink)."""
    _, _, cache = forward(params, X, keep_prob=keep_prob, masks=masks)
    return [layer.Z for layer in cache.layers]


def kink_margin(params: Mapping[str, FloatArray], X: FloatArray, *, keep_prob: float = 1.0,
                masks: Sequence[NDArray[np.bool_]] | None = None) -> float:
    """``min |Z[l]|`` over the hidden layers: how far the inputs are from ReLU's kink."""
    Zs = pre_activations(params, X, keep_prob=keep_prob, masks=masks)[: LAYERS - 1]
    return float(min(np.min(np.abs(Z)) for Z in Zs))
