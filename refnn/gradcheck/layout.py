"""Parameters ↔ one vector ``θ``, for any ``layer_dims``, with a name for every coordinate.

The course's order (``gc_utils.dictionary_to_vector``) is the default: ``W1, b1, W2, b2, …, WL, bL``,
each block flattened row-major (C order), so for ``layer_dims = [4, 5, 3, 1]``::

    θ[0:20]  = W1 (5, 4)    θ[20:25] = b1 (5, 1)    θ[25:40] = W2 (3, 5)
    θ[40:43] = b2 (3, 1)    θ[43:46] = W3 (1, 3)    θ[46:47] = b3 (1, 1)

Coordinate ``k`` is named after the array entry it is, in numpy's 0-based indexing: ``"W2[1,3]"`` is
``params["W2"][1, 3]``, ``"b1[4,0]"`` is ``params["b1"][4, 0]``. The gradient dictionary
(``dW1, db1, …``) is vectorized in the same order, so ``grad[k]`` is ``∂J/∂θ[k]``.

Vectors are 1-D ``(n,)`` (the course uses a column ``(n, 1)``; both are accepted as input).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from refnn import validation
from refnn.kernel import S
from refnn.types import FlattenOrder as FlattenOrder
from refnn.types import FloatArray, GradsLike, Params, ParamsLike, RealArrayLike

_NAME = re.compile(r"^([Wb])(\d+)\[(\d+),(\d+)\]$")


@dataclass(frozen=True, slots=True)
class ParamBlock:
    """One parameter array's slice of ``θ``.

    Attributes:
        key: the parameter's key, ``"W2"`` or ``"b1"``.
        layer: its layer ``l`` (1-based).
        shape: ``(n[l], n[l-1])`` for ``W[l]``, ``(n[l], 1)`` for ``b[l]``.
        start, stop: ``θ[start:stop]`` holds the block.
    """

    key: str
    layer: int
    shape: tuple[int, int]
    start: int
    stop: int

    @property
    def size(self) -> int:
        """The number of coordinates in the block."""
        return self.stop - self.start

    @property
    def is_weight(self) -> bool:
        """``True`` for a ``W[l]`` block, ``False`` for ``b[l]``."""
        return self.key.startswith("W")


@dataclass(frozen=True, slots=True)
class ParamLayout:
    """Where every parameter entry lives in ``θ``, and what it is called.

    Build one with :meth:`course` (from ``layer_dims``) or :meth:`from_params`.

    Attributes:
        dims: ``(n[0], n[1], …, n[L])``.
        blocks: the blocks in vector order.
        order: ``"C"`` (row-major, the course) or ``"F"`` (column-major) flattening of each block.

    Example:
        >>> import numpy as np
        >>> lay = ParamLayout.course([4, 5, 3, 1])
        >>> lay.size, lay.name(0), lay.name(24), lay.name(46)
        (47, 'W1[0,0]', 'b1[4,0]', 'b3[0,0]')
        >>> [(b.key, b.start, b.stop) for b in lay.blocks][:3]
        [('W1', 0, 20), ('b1', 20, 25), ('W2', 25, 40)]
        >>> p = lay.to_params(np.arange(47.0))
        >>> float(p["W2"][1, 3]), lay.index("W2[1,3]")
        (33.0, 33)
    """

    dims: tuple[int, ...]
    blocks: tuple[ParamBlock, ...]
    order: FlattenOrder = "C"

    @classmethod
    def course(
        cls,
        layer_dims: Sequence[int],
        *,
        keys: Sequence[str] | None = None,
        order: FlattenOrder = "C",
    ) -> ParamLayout:
        """The layout for ``layer_dims = [n_x, n1, …, nL]``.

        Args:
            layer_dims: the layer sizes.
            keys: the block order, a permutation of ``W1, b1, …, WL, bL``; default the course's
                ``W1, b1, W2, b2, …``.
            order: ``"C"`` (row-major, default) or ``"F"`` flattening of each block.
        """
        func = "ParamLayout.course"
        dims = validation.layer_dims(func, layer_dims)
        L = len(dims) - 1
        default = [k for l in range(1, L + 1) for k in (f"W{l}", f"b{l}")]
        if keys is None:
            chosen = default
        else:
            if isinstance(keys, (str, bytes)) or not isinstance(keys, Sequence):
                raise validation.fail_type(func, "keys", f"a permutation of {default}", keys)
            chosen = list(keys)
            if sorted(chosen) != sorted(default):
                raise validation.fail_value(func, "keys", f"a permutation of {default}",
                                            repr(chosen))
        if order not in ("C", "F"):
            raise validation.fail_value(func, "order", "'C' (row-major) or 'F' (column-major)",
                                        repr(order))
        blocks: list[ParamBlock] = []
        start = 0
        for key in chosen:
            l = int(key[1:])
            shape = (dims[l], dims[l - 1]) if key[0] == "W" else (dims[l], 1)
            stop = start + shape[0] * shape[1]
            blocks.append(ParamBlock(key=key, layer=l, shape=shape, start=start, stop=stop))
            start = stop
        return cls(dims=dims, blocks=tuple(blocks), order=order)

    @classmethod
    def from_params(
        cls,
        params: ParamsLike,
        *,
        keys: Sequence[str] | None = None,
        order: FlattenOrder = "C",
        func: str = "ParamLayout.from_params",
        params_name: str = "parameters",
    ) -> ParamLayout:
        """The layout of a parameter dict ``{"W1", "b1", …}`` (its ``layer_dims`` are inferred)."""
        _, dims = validation.params(func, params, params_name)
        return cls.course(dims, keys=keys, order=order)

    @property
    def size(self) -> int:
        """``n``, the number of parameters: ``Σ_l n[l]·(n[l-1] + 1)``."""
        return self.blocks[-1].stop if self.blocks else 0

    @property
    def n_layers(self) -> int:
        """``L``."""
        return len(self.dims) - 1

    def block(self, key: str) -> ParamBlock:
        """The block of parameter ``key`` (``"W2"``)."""
        for b in self.blocks:
            if b.key == key:
                return b
        raise validation.fail_value("ParamLayout.block", "key",
                                    f"one of {[b.key for b in self.blocks]}", repr(key))

    def block_of(self, k: int) -> ParamBlock:
        """The block holding coordinate ``k``."""
        k = self._check_index("ParamLayout.block_of", k)
        for b in self.blocks:
            if b.start <= k < b.stop:
                return b
        raise AssertionError("unreachable")  # pragma: no cover

    def entry(self, k: int) -> tuple[ParamBlock, int, int]:
        """``(block, i, j)``: coordinate ``k`` is ``params[block.key][i, j]``."""
        b = self.block_of(k)
        i, j = np.unravel_index(k - b.start, b.shape, order=self.order)
        return b, int(i), int(j)

    def name(self, k: int) -> str:
        """The name of coordinate ``k``: ``"W2[1,3]"``, ``"b1[4,0]"``."""
        b, i, j = self.entry(k)
        return f"{b.key}[{i},{j}]"

    @property
    def names(self) -> tuple[str, ...]:
        """Every coordinate's name, in vector order."""
        out: list[str] = []
        for b in self.blocks:
            rows, cols = np.unravel_index(np.arange(b.size), b.shape, order=self.order)
            out += [f"{b.key}[{i},{j}]" for i, j in zip(rows.tolist(), cols.tolist())]
        return tuple(out)

    def index(self, name: str) -> int:
        """The coordinate called ``name`` (the inverse of :meth:`name`)."""
        match = _NAME.match(name) if isinstance(name, str) else None
        if match is None:
            raise validation.fail_value("ParamLayout.index", "name", "a name like 'W2[1,3]'",
                                        repr(name))
        key = match.group(1) + match.group(2)
        b = self.block(key)
        i, j = int(match.group(3)), int(match.group(4))
        if not (i < b.shape[0] and j < b.shape[1]):
            raise validation.fail_value("ParamLayout.index", "name",
                                        f"an entry of {key} with shape {b.shape}", repr(name))
        return b.start + int(np.ravel_multi_index((i, j), b.shape, order=self.order))

    def to_vector(self, params: ParamsLike, func: str = "ParamLayout.to_vector",
                  params_name: str = "parameters") -> FloatArray:
        """``θ: (n,)`` from ``{"W1", "b1", …}`` (a new array; extra keys are ignored)."""
        P, dims = validation.params(func, params, params_name)
        if dims != self.dims:
            raise validation.fail_value(func, "params", f"parameters of layer_dims {list(self.dims)}",
                                        f"layer_dims {list(dims)}")
        return self._concat({b.key: P[b.key] for b in self.blocks})

    def grads_to_vector(self, grads: GradsLike,
                        func: str = "ParamLayout.grads_to_vector", name: str = "grads"
                        ) -> FloatArray:
        """``∇J: (n,)`` from ``{"dW1", "db1", …}``, aligned with :meth:`to_vector`
        (``dZl``/``dAl`` entries are ignored). Errors name ``func`` (the public function the
        gradients were given to)."""
        if not isinstance(grads, Mapping):
            raise validation.fail_type(func, name, "a dict with keys dW1, db1, ...", grads)
        arrays: dict[str, FloatArray] = {}
        for b in self.blocks:
            key = "d" + b.key
            if key not in grads:
                raise validation.fail_value(func, name, f"a dict with a key {key!r}",
                                            f"keys {sorted(grads)}")
            arrays[b.key] = validation.float_array(
                func, f"{name}[{key!r}]", grads[key], ndim=2, shape=b.shape,
                shape_text=f"{b.shape} like {b.key}",
            )
        return self._concat(arrays)

    def to_params(self, theta: RealArrayLike, func: str = "ParamLayout.to_params") -> Params:
        """``{"W1", "b1", …}`` from ``θ`` of shape ``(n,)`` or ``(n, 1)`` (new arrays, no views)."""
        t = self.check_vector(func, "theta", theta)
        out: Params = {}
        for b in sorted(self.blocks, key=lambda blk: (blk.layer, blk.key[0] == "b")):
            out[b.key] = np.reshape(t[b.start:b.stop], b.shape, order=self.order).copy()
        return out

    def weights(self, theta: NDArray[S]) -> tuple[list[NDArray[S]], list[NDArray[S]]]:
        """``([W1, …, WL], [b1, …, bL])`` from a checked ``θ: (n,)``, real or complex, unchecked
        (C-contiguous; views where the layout is row-major)."""
        def part(key: str) -> NDArray[S]:
            b = self.block(key)
            return np.ascontiguousarray(np.reshape(theta[b.start:b.stop], b.shape,
                                                   order=self.order))

        L = self.n_layers
        return ([part(f"W{l}") for l in range(1, L + 1)],
                [part(f"b{l}") for l in range(1, L + 1)])

    def check_vector(self, func: str, name: str, value: object) -> FloatArray:
        """``value`` as a ``(n,)`` float64 array (``(n, 1)`` is flattened); shape errors name it."""
        if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == 1:
            value = value[:, 0]
        return validation.float_array(func, name, value, ndim=1, shape=(self.size,),
                                      shape_text=f"({self.size},) or ({self.size}, 1)")

    def _concat(self, arrays: Mapping[str, FloatArray]) -> FloatArray:
        return np.concatenate([np.ravel(arrays[b.key], order=self.order) for b in self.blocks])

    def _check_index(self, func: str, k: object) -> int:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise validation.fail_type(func, "k", "an int", k)
        if not 0 <= int(k) < self.size:
            raise validation.fail_value(func, "k", f"an index in [0, {self.size})", repr(k))
        return int(k)
