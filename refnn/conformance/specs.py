"""What a call of a target function must return (:class:`Spec` and its kinds), and how values are
described in messages (:func:`describe`, :func:`format_array`, :func:`full_text`).

:meth:`Spec.validate` returns the value normalized (``float64`` arrays, ``float`` scalars) or raises
:class:`Malformed`, which :class:`refnn.conformance.judge.TargetFunction` turns into the rule
violation "the value returned …". Numbers are never cut in a message.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


# ----------------------------------------------------------------------------------- describing


def describe(value: object, limit: int = 60) -> str:
    """A short description of an argument or a returned value."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            with np.printoptions(precision=6, suppress=True):
                body = np.array2string(value, separator=", ").replace("\n", "")
            return f"array{value.shape} {body}"
        return f"array{value.shape} {value.dtype}"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k}: {_shape_of(v)}" for k, v in list(value.items())[:8])
        more = ", …" if len(value) > 8 else ""
        return "{" + inner + more + "}"
    if isinstance(value, (tuple, list)):
        kind = "tuple" if isinstance(value, tuple) else "list"
        return f"{kind} of {len(value)}"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    text = repr(value)
    if len(text) <= limit:
        return text
    cut = max(text.rfind(", ", 0, limit), text.rfind(" ", 0, limit))
    return (text[:cut] if cut > 0 else text[:limit]) + " …"


def _shape_of(value: object) -> str:
    if isinstance(value, np.ndarray):
        return str(value.shape)
    return type(value).__name__


def format_array(a: object, precision: int = 8) -> str:
    """An array (or scalar) printed compactly on one or a few lines (large arrays summarized with
    ``...``; entries at ``precision`` significant digits)."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        return repr(float(arr)) if arr.dtype.kind in "fiub" else repr(arr.item())
    with np.printoptions(precision=precision, threshold=30, edgeitems=3, linewidth=100,
                         suppress=False):
        return np.array2string(arr, separator=", ")


def full_text(a: object) -> str:
    """An array (or scalar) with every entry at full precision (the shortest text that reads back
    as the same float), never summarized."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        return repr(float(arr)) if arr.dtype.kind in "fiub" else repr(arr.item())
    return np.array2string(arr, separator=", ", threshold=arr.size + 1, floatmode="unique",
                           max_line_width=10**9)


# --------------------------------------------------------------------------------- return specs


class Spec:
    """What a call must return; :meth:`validate` returns the value normalized or raises."""

    def validate(self, value: object, where: str) -> Any:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError


class Malformed(Exception):
    """A returned value that does not match its :class:`Spec` (``where``: which part; ``problem``)."""

    def __init__(self, where: str, problem: str, rule: str = "") -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
        self.rule = rule


@dataclass(frozen=True)
class Anything(Spec):
    """Any value (returned as is)."""

    def validate(self, value: object, where: str) -> Any:
        return value

    def text(self) -> str:
        return "anything"


@dataclass(frozen=True)
class Scalar(Spec):
    """A real number: a Python or NumPy scalar, or an array holding exactly one number."""

    finite: bool = True

    def validate(self, value: object, where: str) -> float:
        if isinstance(value, (str, bytes)) or value is None:
            raise Malformed(where, f"expected a number, got {describe(value)}")
        arr = np.asarray(value) if not isinstance(value, Mapping) else None
        if arr is None or arr.dtype.kind not in "fiub" or arr.size != 1:
            raise Malformed(where, f"expected a number, got {describe(value)}")
        x = float(arr.reshape(()))
        if math.isnan(x):
            raise Malformed(where, "is NaN")
        if self.finite and math.isinf(x):
            raise Malformed(where, f"is {x} (expected a finite number)")
        return x

    def text(self) -> str:
        return "a number"


@dataclass(frozen=True)
class Array(Spec):
    """A numpy array of the given shape (``None`` = any size) with real entries, no NaN.

    ``binary``: entries must be 0/1 (or booleans). The value is returned as a ``float64`` copy.
    """

    shape: tuple[int | None, ...] | None = None
    binary: bool = False
    rule: str = ""
    """The rule a malformed value of this part breaks whatever property met it (a dropout mask
    that is not 0/1 breaks DROP-1), so that one bug is blamed on one rule."""
    finite: bool = True

    def validate(self, value: object, where: str) -> FloatArray:
        if not isinstance(value, np.ndarray):
            raise Malformed(where, f"expected a numpy array{self._shape_text()}, got "
                                    f"{describe(value)}")
        if value.dtype.kind not in "fiub":
            raise Malformed(where, f"expected real numbers, got dtype {value.dtype}")
        if self.shape is not None and (
            value.ndim != len(self.shape)
            or any(w is not None and w != h for w, h in zip(self.shape, value.shape))
        ):
            raise Malformed(where, f"has shape {value.shape}, expected {self._want()}")
        arr = np.array(value, dtype=np.float64, copy=True)
        if np.isnan(arr).any():
            idx = tuple(int(i) for i in np.argwhere(np.isnan(arr))[0])
            raise Malformed(where, f"contains NaN ({int(np.isnan(arr).sum())} entries, "
                                    f"first at index {idx})")
        if self.finite and np.isinf(arr).any():
            raise Malformed(where, f"contains inf ({int(np.isinf(arr).sum())} entries)")
        if self.binary and not np.all((arr == 0) | (arr == 1)):
            odd = arr[(arr != 0) & (arr != 1)]
            raise Malformed(where, f"must hold only 0/1 (a mask), holds {odd.flat[0]!r}", self.rule)
        return arr

    def _want(self) -> str:
        assert self.shape is not None
        return "(" + ", ".join("?" if s is None else str(s) for s in self.shape) + (
            ",)" if len(self.shape) == 1 else ")")

    def _shape_text(self) -> str:
        return "" if self.shape is None else f" of shape {self._want()}"

    def text(self) -> str:
        return f"an array{self._shape_text()}"


@dataclass(frozen=True)
class Tuple(Spec):
    """A tuple (or list) whose entries match ``items``; ``names`` label them in messages."""

    items: tuple[Spec, ...]
    names: tuple[str, ...] | None = None
    label: str = "tuple"

    def validate(self, value: object, where: str) -> tuple[Any, ...]:
        if not isinstance(value, (tuple, list)):
            raise Malformed(where, f"expected a {self.label} of {len(self.items)}, got "
                                    f"{describe(value)}")
        if len(value) != len(self.items):
            layout = f" ({', '.join(self.names)})" if self.names else ""
            raise Malformed(where, f"has {len(value)} entries; the protocol's {self.label} has "
                                    f"{len(self.items)}{layout}")
        out = []
        for i, (spec, item) in enumerate(zip(self.items, value)):
            label = self.names[i] if self.names else str(i)
            out.append(spec.validate(item, f"{where}[{i}] ({label})" if self.names
                                     else f"{where}[{i}]"))
        return tuple(out)

    def text(self) -> str:
        return f"a {self.label} of {len(self.items)}"


@dataclass(frozen=True)
class Dict(Spec):
    """A mapping holding (at least) the given keys; other keys are ignored."""

    keys: Mapping[str, Spec]
    label: str = "dict"
    exact: bool = False
    """Whether other keys are an error."""
    optional: Mapping[str, Spec] = field(default_factory=dict)
    """Keys checked (and returned) only when present."""

    def validate(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise Malformed(where, f"expected a {self.label} with keys {', '.join(self.keys)}, "
                                    f"got {describe(value)}")
        missing = [k for k in self.keys if k not in value]
        if missing:
            raise Malformed(where, f"lacks the key(s) {', '.join(missing)} (has "
                                    f"{', '.join(map(str, value)) or 'no keys'})")
        extra = [str(k) for k in value if k not in self.keys and k not in self.optional]
        if self.exact and extra:
            raise Malformed(where, f"has key(s) {', '.join(extra)} besides "
                                    f"{', '.join(self.keys)}")
        out = {k: spec.validate(value[k], f"{where}[{k!r}]") for k, spec in self.keys.items()}
        for k, spec in self.optional.items():
            if k in value:
                out[k] = spec.validate(value[k], f"{where}[{k!r}]")
        return out

    def text(self) -> str:
        return f"a {self.label} with keys {', '.join(self.keys)}"


@dataclass(frozen=True)
class Strings(Spec):
    """A sequence of ``length`` strings (e.g. the keys ``dictionary_to_vector`` returns)."""

    length: int

    def validate(self, value: object, where: str) -> list[str]:
        if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
            raise Malformed(where, f"expected a list of {self.length} names, got "
                                    f"{describe(value)}")
        items = list(value)
        if len(items) != self.length:
            raise Malformed(where, f"has {len(items)} names, expected {self.length} (one per "
                                    "entry of theta)")
        return [str(v) for v in items]

    def text(self) -> str:
        return f"a list of {self.length} names"
