"""Hypothesis strategies for the conformance suite (import as ``from .strategies import ...``).

Values are drawn on coarse grids (multiples of 1/8 for weights and inputs, of 0.05 for keep_prob
and λ, of 0.01 for probabilities) so that Hypothesis's minimal counterexamples read well; every
array shrinks towards zeros and every size towards its minimum.

:class:`Net` holds a 3-layer network (the course's network functions hard-code three layers) with
its data; its ``repr`` is what a failure report shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Params = dict[str, FloatArray]

STEP = 1 / 8


def examples(fraction: float) -> Callable[[Any], Any]:
    """``@settings`` giving a property ``fraction`` of the active profile's ``max_examples``
    (for expensive properties); the profile itself is left alone."""
    current = settings.default
    base = current.max_examples if current is not None else 100
    n = max(2, round(base * fraction))
    return settings(max_examples=n)


def _grid_values(high: int, nonzero: bool) -> NDArray[np.int64]:
    # byte value → grid index: 0, 1, −1, 2, −2, … (or 1, −1, 2, −2, … when nonzero), so that
    # shrinking a byte towards 0 shrinks the entry towards 0 (or ±1)
    out = []
    for b in range(256):
        v = b % (2 * high + (0 if nonzero else 1))
        if nonzero:
            out.append((v // 2 + 1) * (1 if v % 2 == 0 else -1))
        else:
            out.append(((v + 1) // 2) * (1 if v % 2 == 1 else -1))
    return np.array(out, dtype=np.int64)


@lru_cache(maxsize=None)
def grid_arrays(shape: tuple[int, ...], low: float, high: float, *, step: float = STEP,
                nonzero: bool = False) -> st.SearchStrategy[FloatArray]:
    """Arrays of ``shape`` with entries ``k·step``, ``|k·step| ≤ max(|low|, high)`` (never 0 if
    ``nonzero``). One byte per entry: a single draw per array, shrinking entrywise towards 0."""
    top = int(round(max(abs(low), abs(high)) / step))
    table = _grid_values(top, nonzero) * step
    size = int(np.prod(shape)) if shape else 1

    def convert(b: bytes) -> FloatArray:
        return np.asarray(table[np.frombuffer(b, dtype=np.uint8)], dtype=np.float64).reshape(shape)

    return st.binary(min_size=size, max_size=size).map(convert)


def _show(a: FloatArray) -> str:
    with np.printoptions(precision=4, suppress=True, linewidth=200, threshold=40):
        return np.array2string(a, separator=", ").replace("\n", "")


class Net:
    """A 3-layer network ``[n_x, n1, n2, 1]``, its inputs ``X: (n_x, m)`` and labels ``Y: (1, m)``.

    (A plain class, not a dataclass, so that Hypothesis prints it with :meth:`__repr__`.)
    """

    __slots__ = ("params", "X", "Y")

    def __init__(self, params: Params, X: FloatArray, Y: FloatArray) -> None:
        self.params = params
        self.X = X
        self.Y = Y

    @property
    def dims(self) -> tuple[int, ...]:
        return (self.X.shape[0], self.params["W1"].shape[0], self.params["W2"].shape[0],
                self.params["W3"].shape[0])

    @property
    def m(self) -> int:
        return int(self.X.shape[1])

    def copy_params(self) -> Params:
        return {k: v.copy() for k, v in self.params.items()}

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={_show(v)}" for k, v in self.params.items())
        return (f"Net(dims={list(self.dims)}, m={self.m}, X={_show(self.X)}, Y={_show(self.Y)}, "
                f"{body})")


@lru_cache(maxsize=None)
def _params_for(dims: tuple[int, ...], weight: float, bias: float, nonzero_biases: bool
                ) -> st.SearchStrategy[Params]:
    return params_for(dims, weight=weight, bias=bias, nonzero_biases=nonzero_biases)


def params_for(dims: Sequence[int], *, weight: float = 1.0, bias: float = 1.0,
               nonzero_biases: bool = False) -> st.SearchStrategy[Params]:
    """Parameters ``W[l]: (n[l], n[l−1])`` with entries in ``[−weight, weight]``, ``b[l]: (n[l], 1)``."""
    parts: list[tuple[str, st.SearchStrategy[FloatArray]]] = []
    for l in range(1, len(dims)):
        parts.append((f"W{l}", grid_arrays((dims[l], dims[l - 1]), -weight, weight)))
        parts.append((f"b{l}", grid_arrays((dims[l], 1), -bias, bias, nonzero=nonzero_biases)))
    return st.tuples(*(s for _, s in parts)).map(
        lambda vals: {name: v for (name, _), v in zip(parts, vals)}
    )


@lru_cache(maxsize=None)
def _labels(m: int) -> st.SearchStrategy[FloatArray]:
    return st.binary(min_size=m, max_size=m).map(
        lambda b: (np.frombuffer(b, dtype=np.uint8) % 2).astype(np.float64).reshape(1, m))


@st.composite
def nets(draw: st.DrawFn, *, n_x: tuple[int, int] = (1, 4), n1: tuple[int, int] = (1, 5),
         n2: tuple[int, int] = (1, 4), m: tuple[int, int] = (1, 6), nonzero_biases: bool = False,
         dims: Sequence[int] | None = None) -> Net:
    """A 3-layer network with data; ``dims`` fixes ``[n_x, n1, n2, 1]``."""
    if dims is None:
        dims = (draw(st.integers(*n_x)), draw(st.integers(*n1)), draw(st.integers(*n2)), 1)
    mm = draw(st.integers(*m))
    params = draw(_params_for(tuple(dims), 1.0, 1.0, nonzero_biases))
    X = draw(grid_arrays((dims[0], mm), -2.0, 2.0))
    Y = draw(_labels(mm))
    return Net(params, X, Y)


def layer_dims(min_layers: int = 1, max_layers: int = 4, max_units: int = 7
               ) -> st.SearchStrategy[list[int]]:
    """``[n_x, n1, …, nL]`` with ``L`` in ``[min_layers, max_layers]``."""
    return st.lists(st.integers(1, max_units), min_size=min_layers + 1, max_size=max_layers + 1)


def keep_probs(low: float = 0.05, high: float = 0.95) -> st.SearchStrategy[float]:
    """keep_prob on a 0.05 grid in ``[low, high]``."""
    return st.integers(round(low / 0.05), round(high / 0.05)).map(lambda k: round(k * 0.05, 2))


def lambdas(low: float = 0.05, high: float = 3.0) -> st.SearchStrategy[float]:
    """λ on a 0.05 grid in ``[low, high]``."""
    return st.integers(round(low / 0.05), round(high / 0.05)).map(lambda k: round(k * 0.05, 2))


def learning_rates() -> st.SearchStrategy[float]:
    """α in ``{0.01, 0.02, …, 1}``."""
    return st.integers(1, 100).map(lambda k: k / 100)


@st.composite
def predictions(draw: st.DrawFn, m: tuple[int, int] = (1, 8)) -> tuple[FloatArray, FloatArray]:
    """``(A3, Y)``: probabilities in ``[0.01, 0.99]`` and labels, both ``(1, m)``."""
    mm = draw(st.integers(*m))
    a = draw(st.lists(st.integers(1, 99), min_size=mm, max_size=mm))
    y = draw(st.lists(st.integers(0, 1), min_size=mm, max_size=mm))
    return np.array([a], dtype=np.float64) / 100, np.array([y], dtype=np.float64)


@st.composite
def masks_for(draw: st.DrawFn, net: Net, *, all_kept: bool = False) -> list[FloatArray]:
    """Dropout masks ``D1: (n1, m)``, ``D2: (n2, m)`` of 0/1."""
    out = []
    for l in (1, 2):
        shape = (net.params[f"W{l}"].shape[0], net.m)
        if all_kept:
            out.append(np.ones(shape))
        else:
            size = shape[0] * shape[1]
            bits = draw(st.lists(st.integers(0, 1), min_size=size, max_size=size))
            out.append(np.array(bits, dtype=np.float64).reshape(shape))
    return out
