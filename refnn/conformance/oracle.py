"""refnn's core as the suite's oracle, in the course's shapes, plus the suite's own finite differences.

Properties compare a target with refnn only where the rule is "the same numbers" (forward values,
gradients); elsewhere they check the invariant itself. The finite differences here are the suite's
own (central differences, one coordinate at a time), independent of ``refnn.gradcheck``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


def network_cost(params: Mapping[str, FloatArray], X: FloatArray, Y: FloatArray, *,
                 keep_prob: float = 1.0, masks: Sequence[NDArray[Any]] | None = None,
                 lambd: float = 0.0) -> float:
    """``J(θ)``: the mean cross-entropy of the forward pass (masks held fixed) plus the L2 term.

    Written out here in plain numpy (not through refnn), for the finite differences.
    """
    A = X
    L = len(params) // 2
    for l in range(1, L + 1):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        if l == L:
            A = 1.0 / (1.0 + np.exp(-Z))
        else:
            A = np.maximum(Z, 0.0)
            if masks is not None:
                A = A * masks[l - 1] / keep_prob
    m = X.shape[1]
    ce = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    return ce + (l2_term(params, lambd, m) if lambd else 0.0)


def numeric_gradient(J: Callable[[Params], float], params: Mapping[str, FloatArray],
                     epsilon: float = 1e-6) -> Params:
    """Central differences ``(J(θ + ε e_i) − J(θ − ε e_i)) / 2ε`` for every entry of every parameter."""
    base = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    out: Params = {}
    for name, value in base.items():
        g = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in base.items()}
            minus = {k: v.copy() for k, v in base.items()}
            plus[name][idx] += epsilon
            minus[name][idx] -= epsilon
            g[idx] = (J(plus) - J(minus)) / (2 * epsilon)
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
