"""Array aliases and the named records that flow between refnn's modules.

Shapes follow the course's notation throughout:

* ``X``: ``(n_x, m)`` — one column per example;
* ``Y``: ``(1, m)`` — labels in {0, 1};
* ``W[l]``: ``(n[l], n[l-1])`` and ``b[l]``: ``(n[l], 1)``, stored under the keys ``"W1"``, ``"b1"``, …;
* ``Z[l]``, ``A[l]``, ``D[l]``: ``(n[l], m)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, get_args

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

# What public functions accept. refnn returns float64 (the aliases above) and accepts what it can
# convert exactly: arrays of bool, int or float dtype, and (nested) lists or tuples of numbers.
# ``numpy.typing.ArrayLike`` is wider than that on purpose (it admits ``str``, ``bytes`` and scalars,
# which numpy turns into 0-d or string arrays), so ``forward(params, "not an array")`` would pass the
# type checker with it; the aliases below reject a ``str`` where an array is meant. They say nothing
# about shapes: the runtime checks (:mod:`refnn.validation`) still catch those, and every argument of
# an untyped caller.

RealArray: TypeAlias = NDArray[np.bool_ | np.integer[Any] | np.floating[Any]]
"""A numpy array of real numbers (bool, int or float dtype); refnn converts it to float64."""

RealArrayLike: TypeAlias = (
    RealArray
    | Sequence[float]
    | Sequence[Sequence[float]]
    | Sequence[Sequence[Sequence[float]]]
    | Sequence[Sequence[Sequence[Sequence[float]]]]
)
"""An array argument: a :data:`RealArray`, or nested lists/tuples of numbers up to 4-D (not a str)."""

ParamsLike: TypeAlias = Mapping[str, RealArrayLike]
"""A parameter argument ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …}`` (e.g. a :data:`Params`)."""

GradsLike: TypeAlias = Mapping[str, RealArrayLike]
"""A gradient argument ``{"dW1": …, "db1": …, …}`` (e.g. a :data:`Grads`; other keys are ignored)."""

MaskArray: TypeAlias = RealArray
"""A dropout mask argument: a boolean array, or a numeric one with entries in {0, 1}."""

# The option names. Each is a ``Literal`` for the type checker and, derived from it with
# ``typing.get_args`` (so the two cannot diverge), a tuple for the runtime checks and messages;
# ``tests/core/test_typing.py`` holds each tuple equal to the names its function accepts at run time.

InitScheme: TypeAlias = Literal["zeros", "random", "he", "xavier", "glorot"]
"""The presets of :func:`refnn.init.initialize` (see :data:`refnn.init.PRESETS`)."""
INIT_SCHEMES: tuple[InitScheme, ...] = get_args(InitScheme)

CourseInitialization: TypeAlias = Literal["zeros", "random", "he"]
"""The ``initialization`` names of the course's ``model`` (:mod:`refnn.course.initialization`)."""
COURSE_INITIALIZATIONS: tuple[CourseInitialization, ...] = get_args(CourseInitialization)

Distribution: TypeAlias = Literal["normal", "uniform"]
"""The unit draws of :func:`refnn.init.initialize`: ``randn``, or a uniform of the same variance."""
DISTRIBUTIONS: tuple[Distribution, ...] = get_args(Distribution)

FanMode: TypeAlias = Literal["constant", "fan_in", "fan_avg"]
"""How :class:`refnn.init.VarianceScaling` computes the fan."""
FAN_MODES: tuple[FanMode, ...] = get_args(FanMode)

DifferenceMethod: TypeAlias = Literal["two-sided", "one-sided"]
"""The finite differences of :mod:`refnn.gradcheck` (a real cost suffices)."""
DIFFERENCE_METHODS: tuple[DifferenceMethod, ...] = get_args(DifferenceMethod)

Method: TypeAlias = Literal["two-sided", "one-sided", "complex-step"]
"""Every numerical-derivative method of :mod:`refnn.gradcheck` (complex-step needs a complex cost)."""
METHODS: tuple[Method, ...] = get_args(Method)

Engine: TypeAlias = Literal["rank1", "batched", "loop"]
"""How :func:`refnn.gradcheck.check_network` evaluates its perturbed forward passes."""
ENGINES: tuple[Engine, ...] = get_args(Engine)

BatchEngine: TypeAlias = Literal["rank1", "batched"]
"""The vectorized engines among :data:`Engine`."""
BATCH_ENGINES: tuple[BatchEngine, ...] = get_args(BatchEngine)

FlattenOrder: TypeAlias = Literal["C", "F"]
"""How :class:`refnn.gradcheck.ParamLayout` flattens each block: row-major (the course) or column-major."""
FLATTEN_ORDERS: tuple[FlattenOrder, ...] = get_args(FlattenOrder)

Optimizer: TypeAlias = Literal["sgd", "adam"]
"""The optimizers of :func:`refnn.weight_decay.optimizer_step`."""
OPTIMIZERS: tuple[Optimizer, ...] = get_args(Optimizer)

InterpolationOrder: TypeAlias = Literal[0, 1]
"""The resampling of :mod:`refnn.augmentation`: 0 = nearest neighbour, 1 = bilinear."""
INTERPOLATION_ORDERS: tuple[InterpolationOrder, ...] = get_args(InterpolationOrder)

Decay: TypeAlias = Literal["l2", "decoupled"]
"""How :func:`refnn.weight_decay.optimizer_step` applies ``λ``: in the gradient, or decoupled (AdamW)."""
DECAYS: tuple[Decay, ...] = get_args(Decay)


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
