"""Read the course's published numbers from ``golden/*.json``.

Each file holds one assignment (``initialization``, ``regularization``, ``gradient_checking``) as
a list of entries; ``golden/README.md`` documents the schema. This module only reads those files
and compares values against them; it never computes a golden value.

The directory is ``$REFNN_GOLDEN_DIR`` if set, else the copy installed inside the package
(``refnn/data/golden/``, found with :mod:`importlib.resources`), else ``golden/`` at the top of
the checkout holding this package (:func:`refnn.resources.resource`).

Example:
    >>> e = entry("regularization", "compute_cost_with_regularization")
    >>> e.scalar("cost")
    1.7864859451590758
    >>> e.tolerance("cost").rel
    1e-15
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np

from refnn.resources import resource

from refnn.types import FloatArray

JSONValue: TypeAlias = (
    "None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]"
)
"""A value parsed from a golden file."""

ENV_VAR = "REFNN_GOLDEN_DIR"
NAMES = ("initialization", "regularization", "gradient_checking")
"""The golden files, one per assignment of the course's week 1."""

SCHEMA = "refnn-golden/1"

_NON_FINITE = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def golden_dir() -> Path:
    """The directory holding the golden files: ``$REFNN_GOLDEN_DIR``, else the installed package's
    ``refnn/data/golden/``, else the checkout's ``golden/``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return resource("golden")


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How closely a result must match a golden value, and why that much.

    A result passes when ``|actual - expected| <= abs + rel * |expected|`` elementwise (the
    ``numpy.isclose`` rule); non-finite expected values must be matched exactly.
    """

    abs: float
    rel: float
    why: str

    def bound(self, expected: FloatArray) -> FloatArray:
        """The allowed deviation for each element of ``expected``."""
        return self.abs + self.rel * np.abs(expected)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of :meth:`Entry.compare`."""

    key: str
    ok: bool
    max_abs: float
    """Largest ``|actual - expected|`` over the finite expected elements (0.0 if none)."""
    message: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One golden entry: a course call, its recipe, and the published results.

    ``raw`` is the parsed JSON object; the methods read it with clear errors.
    """

    file: str
    raw: Mapping[str, JSONValue]

    @property
    def id(self) -> str:
        return _as_str(self.raw["id"], f"{self.file}: id")

    @property
    def title(self) -> str:
        return _as_str(self.raw.get("title", ""), f"{self.where}.title")

    @property
    def where(self) -> str:
        return f"golden/{self.file}.json[{self.raw.get('id')!r}]"

    def get(self, path: str) -> JSONValue:
        """The value at a dotted ``path`` such as ``"expected.cache.A1"`` or ``"call.args.lambd"``."""
        node: JSONValue = dict(self.raw)
        walked: list[str] = []
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                keys = sorted(node) if isinstance(node, dict) else []
                at = ".".join(walked) or "<entry>"
                raise KeyError(f"{self.where}: no '{part}' under '{at}' (keys there: {keys})")
            node = node[part]
            walked.append(part)
        return node

    def has(self, path: str) -> bool:
        try:
            self.get(path)
        except KeyError:
            return False
        return True

    def expected(self, key: str) -> JSONValue:
        """``expected[key]`` (dotted keys reach inside)."""
        return self.get(f"expected.{key}")

    def array(self, path: str) -> FloatArray:
        """A numeric value at ``path`` (default section ``expected``) as a float64 array.

        A prediction row (a string of ``'0'``/``'1'``) becomes a ``(1, m)`` array, as in :meth:`bits`;
        a cost trajectory ``{iteration: cost}`` becomes its costs in increasing iteration order.
        """
        value = self.get(_in_expected(path))
        if isinstance(value, str) and value not in _NON_FINITE:
            return self.bits(path)
        if isinstance(value, dict):
            costs = self.costs(path)
            return np.array([costs[i] for i in sorted(costs)], dtype=np.float64)
        return to_array(value, f"{self.where}.{_in_expected(path)}")

    def scalar(self, path: str) -> float:
        """A numeric scalar at ``path`` (default section ``expected``); ``"inf"`` etc. become floats."""
        return to_float(self.get(_in_expected(path)), f"{self.where}.{_in_expected(path)}")

    def costs(self, path: str = "costs") -> dict[int, float]:
        """A cost trajectory ``{iteration: cost}`` at ``path`` (default section ``expected``)."""
        value = self.get(_in_expected(path))
        where = f"{self.where}.{_in_expected(path)}"
        if not isinstance(value, dict):
            raise ValueError(f"{where}: expected an object {{iteration: cost}}, got {type(value).__name__}")
        return {int(k): to_float(v, f"{where}[{k!r}]") for k, v in value.items()}

    def bits(self, path: str) -> FloatArray:
        """A prediction row stored as a string of ``'0'``/``'1'``, as a ``(1, m)`` float64 array."""
        where = f"{self.where}.{_in_expected(path)}"
        text = _as_str(self.get(_in_expected(path)), where)
        if not text or set(text) - {"0", "1"}:
            raise ValueError(f"{where}: expected a non-empty string of '0'/'1'")
        return np.array([[float(c) for c in text]], dtype=np.float64)

    def tolerance(self, key: str) -> Tolerance:
        """The tolerance for ``expected[key]``: the most specific of ``key``, its dotted prefixes, ``"*"``."""
        table = self.get("tolerance")
        if not isinstance(table, dict):
            raise ValueError(f"{self.where}.tolerance: expected an object")
        parts = key.split(".")
        candidates = [".".join(parts[:i]) for i in range(len(parts), 0, -1)] + ["*"]
        for name in candidates:
            if name in table:
                spec = table[name]
                where = f"{self.where}.tolerance[{name!r}]"
                if not isinstance(spec, dict):
                    raise ValueError(f"{where}: expected an object with abs, rel, why")
                return Tolerance(
                    abs=to_float(spec.get("abs", 0.0), f"{where}.abs"),
                    rel=to_float(spec.get("rel", 0.0), f"{where}.rel"),
                    why=_as_str(spec.get("why", ""), f"{where}.why"),
                )
        raise KeyError(f"{self.where}: no tolerance for '{key}' (and no '*')")

    def compare(self, key: str, actual: object, expected: object | None = None) -> Comparison:
        """Compare ``actual`` with ``expected[key]`` (or the given ``expected``) under :meth:`tolerance`.

        Shapes must match exactly; NaN/inf in the expected value must appear at the same places
        in ``actual``. The message reads ``"got X, but should be Y"`` with the largest deviation,
        the tolerance and its reason.
        """
        want = self.array(key) if expected is None else to_array(expected, f"{self.where}: {key}")
        tol = self.tolerance(key)
        got = np.asarray(actual, dtype=np.float64)
        title = f"{self.where} {key}"
        if got.shape != want.shape:
            return Comparison(key, False, math.inf, f"{title}: got shape {got.shape}, but should be {want.shape}")
        finite = np.isfinite(want)
        same_nonfinite = bool(
            np.all((got[~finite] == want[~finite]) | (np.isnan(got[~finite]) & np.isnan(want[~finite])))
        )
        diff = np.abs(got[finite] - want[finite])
        max_abs = float(np.max(diff)) if diff.size else 0.0
        ok = same_nonfinite and bool(np.all(diff <= tol.bound(want[finite])))
        if diff.size and np.any(~np.isfinite(diff)):
            ok = False
        msg = (
            f"{title}: got {_short(got)}, but should be {_short(want)} "
            f"(max |deviation| {max_abs:.3g}; tolerance abs {tol.abs:g} + rel {tol.rel:g}: {tol.why})"
        )
        return Comparison(key, ok, max_abs, msg)


def _in_expected(path: str) -> str:
    head = path.split(".", 1)[0]
    if head in ("expected", "inputs", "recipe", "call", "alternatives", "tolerance", "verification"):
        return path
    return f"expected.{path}"


def _short(a: FloatArray) -> str:
    with np.printoptions(precision=17, threshold=12, edgeitems=3, linewidth=1000):
        return np.array2string(a, separator=", ") if a.ndim else repr(float(a))


def _as_str(value: JSONValue, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def to_float(value: JSONValue, where: str = "value") -> float:
    """A golden number: a JSON number or one of the strings ``"inf"``, ``"-inf"``, ``"nan"``."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    raise ValueError(f"{where}: expected a number (or 'inf'/'-inf'/'nan'), got {value!r}")


def to_array(value: JSONValue | object, where: str = "value") -> FloatArray:
    """A golden array (nested lists of numbers or booleans) as float64; ``True``/``False`` become 1/0."""

    def convert(v: object) -> object:
        if isinstance(v, list):
            return [convert(i) for i in v]
        if isinstance(v, (bool, int, float, str)):
            return to_float(v, where)
        if isinstance(v, np.ndarray):
            return v.astype(np.float64)
        raise ValueError(f"{where}: expected numbers, got {type(v).__name__}")

    try:
        return np.array(convert(value), dtype=np.float64)
    except ValueError as exc:
        if str(exc).startswith(where):
            raise
        raise ValueError(f"{where}: not a rectangular array of numbers ({exc})") from exc


def _read(path: Path) -> dict[str, JSONValue]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no golden file '{path}': the golden data is installed with refnn (refnn/data/golden/; "
            f"golden/ in a checkout): reinstall refnn, or set ${ENV_VAR} to the directory "
            f"holding {', '.join(n + '.json' for n in NAMES)}"
        ) from None
    doc = json.loads(text)
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("entries"), list):
        raise ValueError(f"'{path}' is not a golden file of schema {SCHEMA!r}")
    return doc


def document(name: str) -> dict[str, JSONValue]:
    """The whole golden file ``name`` (header, sources and entries), as parsed JSON."""
    if name not in NAMES:
        raise ValueError(f"golden: argument 'name' must be one of {', '.join(NAMES)}, got {name!r}")
    return _read(golden_dir().resolve() / f"{name}.json")


def load(name: str) -> dict[str, Entry]:
    """The entries of golden file ``name``, keyed by id, in file order."""
    entries = document(name)["entries"]
    assert isinstance(entries, list)
    out: dict[str, Entry] = {}
    for raw in entries:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ValueError(f"golden/{name}.json: every entry needs a string 'id'")
        e = Entry(name, raw)
        if e.id in out:
            raise ValueError(f"golden/{name}.json: duplicate id {e.id!r}")
        out[e.id] = e
    return out


def entry(name: str, id: str) -> Entry:
    """The entry ``id`` of golden file ``name``."""
    entries = load(name)
    if id not in entries:
        raise KeyError(f"golden/{name}.json has no entry {id!r} (ids: {', '.join(entries)})")
    return entries[id]


def all_entries() -> list[Entry]:
    """Every entry of every golden file."""
    return [e for name in NAMES for e in load(name).values()]
