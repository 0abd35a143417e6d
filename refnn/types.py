"""Array aliases and the named records that flow between refnn's modules.

Shapes follow the course's notation throughout:

* ``X``: ``(n_x, m)`` — one column per example;
* ``Y``: ``(1, m)`` — labels in {0, 1};
* ``W[l]``: ``(n[l], n[l-1])`` and ``b[l]``: ``(n[l], 1)``, stored under the keys ``"W1"``, ``"b1"``, …;
* ``Z[l]``, ``A[l]``, ``D[l]``: ``(n[l], m)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

FloatArray: TypeAlias = NDArray[np.float64]
"""A float64 array of any shape."""

BoolArray: TypeAlias = NDArray[np.bool_]
"""A boolean array (dropout masks: ``True`` = unit kept)."""

IntArray: TypeAlias = NDArray[np.int64]

Params: TypeAlias = dict[str, FloatArray]
"""Network parameters keyed ``"W1", "b1", …, "WL", "bL"``."""

Grads: TypeAlias = dict[str, FloatArray]
"""Gradients keyed like the course: ``"dW1", "db1", …`` and the intermediate ``"dZl"``, ``"dAl"``."""


@dataclass(frozen=True, slots=True)
class LayerCache:
    """What the forward pass remembers about layer ``l`` (1-based).

    Attributes:
        Z: pre-activation ``W[l] A[l-1] + b[l]``, shape ``(n[l], m)``.
        A: activation after the nonlinearity *and* after dropout, i.e.
           ``relu(Z) * D / keep_prob`` for a dropped hidden layer, ``sigmoid(Z)`` for the output layer.
        D: the dropout mask of this layer (``True`` = kept), or ``None`` where no dropout is applied.
        keep_prob: the keep probability used with ``D`` (1.0 where there is no dropout).
    """

    Z: FloatArray
    A: FloatArray
    D: BoolArray | None
    keep_prob: float


@dataclass(frozen=True, slots=True)
class ForwardCache:
    """The named cache of one forward pass (the course's positional tuple, with names).

    Attributes:
        X: the input ``A[0]``, shape ``(n_x, m)``.
        layers: ``layers[l-1]`` is the :class:`LayerCache` of layer ``l``, for ``l = 1..L``.
    """

    X: FloatArray
    layers: tuple[LayerCache, ...]

    @property
    def AL(self) -> FloatArray:
        """The output activation ``A[L] = sigmoid(Z[L])``, shape ``(1, m)``."""
        return self.layers[-1].A

    def A(self, l: int) -> FloatArray:
        """``A[l]`` for ``l = 0..L`` (``A[0] = X``)."""
        return self.X if l == 0 else self.layers[l - 1].A

    @property
    def masks(self) -> tuple[BoolArray | None, ...]:
        """The dropout masks of layers ``1..L`` (``None`` where a layer has none)."""
        return tuple(layer.D for layer in self.layers)


@dataclass(frozen=True, slots=True)
class TrainResult:
    """What :func:`refnn.training.train` returns.

    Attributes:
        params: the parameters after the last iteration.
        costs: the cost (including the L2 term) at every iteration, *before* that iteration's update,
            shape ``(num_iterations,)``.
    """

    params: Params
    costs: FloatArray
