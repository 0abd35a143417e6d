"""Bad inputs by class, for tests/core/test_bad_input.py.

An argument has a *kind* (an array tied to a shape, a parameter dict, a size, a hyperparameter, an
option string, a generator, ...). :func:`bad_values` turns a valid value of a kind into the bad
values of every class that applies to it, each with what a correct function must do with it:

* ``RAISE``: refuse it with a ValueError/TypeError naming the argument;
* ``Equiv(v)``: give the same answer as for ``v`` (e.g. an ``np.matrix`` or nested lists holding
  the same numbers), or refuse it clearly;
* ``FINITE``: give a finite answer (the stable formula) or refuse it clearly;
* ``ANY``: give any answer without crashing (e.g. m = 0 where the empty answer is right), or
  refuse it clearly.

:func:`bad_value` is the Hypothesis strategy over the same classes, varying where the damage goes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from hypothesis import strategies as st


class _Tag:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


RAISE = _Tag("RAISE")
RAISE_TIED = _Tag("RAISE_TIED")
"""Refuse it, naming this argument or the one it conflicts with (any argument of the function)."""
FINITE = _Tag("FINITE")
ANY = _Tag("ANY")


@dataclass(frozen=True)
class Equiv:
    """Must answer as for ``value`` (or refuse clearly)."""

    value: Any


Expect = Any  # RAISE | FINITE | ANY | Equiv


# --- kinds ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Arr:
    """An array argument. ``tied``: axes whose length is fixed by another argument (wrong-shape);
    ``any_rank``: every rank is valid; ``labels``: entries in {0, 1}; ``elementwise``: nan/inf are
    legitimate input (relu, sigmoid, a split);
    ``empty_axis``: the axis of the examples (m = 0), ``None`` for no empty class;
    ``empty``: what m = 0 must give; ``probs``: entries in [0, 1]; ``finite_only``: non-finite
    entries must be refused."""

    tied: tuple[int, ...] = ()
    any_rank: bool = False
    labels: bool = False
    elementwise: bool = False
    empty_axis: int | None = 1
    empty: Any = ANY
    probs: bool = False
    huge: Any = FINITE


@dataclass(frozen=True)
class Dict:
    """A parameter dict ``W1, b1, ...`` (``prefix='d'``: a gradient dict ``dW1, db1, ...``)."""

    prefix: str = ""
    huge: Any = FINITE


@dataclass(frozen=True)
class Int:
    """An integer; ``positive``: 0 is refused; ``alloc``: it sizes an allocation (2**70 refused)."""

    positive: bool = True
    alloc: bool = True


@dataclass(frozen=True)
class Real:
    """A finite real hyperparameter in an interval; ``optional``: None is valid."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Opt:
    """One of some option strings."""

    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rng:
    """A random source; ``legacy_ok``: a RandomState is accepted too."""

    legacy_ok: bool = False


@dataclass(frozen=True)
class Obj:
    """Any other object argument (a cache, stats, a diagnosis, a callable, a bool, a path):
    ``bad`` maps class names to bad values (all must be refused); ``foreign`` builds a value that
    belongs to other arguments (a cache of another network)."""

    bad: Mapping[str, Any] = field(default_factory=dict)
    foreign: Callable[[random.Random], Any] | None = None


Kind = Arr | Dict | Int | Real | Opt | Rng | Obj


# --- the classes --------------------------------------------------------------------------------

def _ragged(a: np.ndarray) -> list[Any]:  # type: ignore[type-arg]
    rows = a.tolist() if a.ndim > 1 else [a.tolist(), a.tolist()]
    if len(rows) < 2:
        rows = rows + rows
    rows = [list(r) if isinstance(r, list) else [r] for r in rows]
    rows[-1] = rows[-1] + [0.0]
    return rows


def _huge(a: np.ndarray, r: random.Random) -> np.ndarray:  # type: ignore[type-arg]
    out = a.astype(np.float64)
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    scale = r.choice([1e300, 1e307, 1.7e308])
    if peak == 0.0:
        return np.full_like(out, scale)
    return out / peak * scale


def _poke(a: np.ndarray, r: random.Random, value: float) -> np.ndarray:  # type: ignore[type-arg]
    out = a.astype(np.float64).copy()
    if out.size:
        out.flat[r.randrange(out.size)] = value
    return out


def _grow(a: np.ndarray, axis: int) -> np.ndarray:  # type: ignore[type-arg]
    take = np.take(a, [0], axis=axis)
    return np.concatenate([a, take], axis=axis)


def array_classes(kind: Arr, a: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    a = np.asarray(a)
    out: list[tuple[str, Any, Expect]] = []
    if a.ndim == 2:
        out.append(("matrix-subclass", np.matrix(a), Equiv(a)))
    out.append(("nested-list", a.tolist(), Equiv(a)))
    out.append(("ragged-list", _ragged(a), RAISE))
    out.append(("non-numeric", np.full(a.shape, "x"), RAISE))
    out.append(("complex", a.astype(np.complex128) + 1j, RAISE))
    out.append(("not-an-array", object(), RAISE))
    if not kind.any_rank:
        out.append(("wrong-rank", a[None], RAISE))
    for axis in kind.tied:
        out.append((f"wrong-shape(axis {axis})", _grow(a, axis), RAISE_TIED))
    if kind.empty_axis is not None:
        sl = [slice(None)] * a.ndim
        sl[kind.empty_axis] = slice(0, 0)
        out.append(("empty(m=0)", a[tuple(sl)], kind.empty))
    if not kind.elementwise:
        out.append(("nan-entry", _poke(a, r, float("nan")), RAISE))
        out.append(("inf-entry", _poke(a, r, r.choice([np.inf, -np.inf])), RAISE))
    if kind.labels:
        out.append(("non-label", _poke(a, r, 0.5), RAISE))
    elif kind.probs:
        out.append(("out-of-range", _poke(a, r, 1.5), RAISE))
    else:
        out.append(("huge-finite", _huge(a, r), kind.huge))
    return out


def dict_classes(kind: Dict, d: Mapping[str, Any], r: random.Random) -> list[tuple[str, Any, Expect]]:
    p = kind.prefix
    keys = sorted(d)
    L = max(int(k[len(p) + 1:]) for k in keys if k.startswith(p + "W"))
    W = f"{p}W"
    b = f"{p}b"
    out: list[tuple[str, Any, Expect]] = []
    gap = {k: v for k, v in d.items() if k not in (f"{W}{L}", f"{b}{L}")}
    gap[f"{W}{L + 1}"] = d[f"{W}{L}"]
    gap[f"{b}{L + 1}"] = d[f"{b}{L}"]
    out.append(("dict-gap", gap, RAISE))
    extra = dict(d)
    extra[r.choice([f"{W}{L + 2}", f"{b}{L + 1}"] + (["foo"] if not p else []))] = np.zeros((1, 1))
    out.append(("dict-extra-key", extra, RAISE))
    missing = dict(d)
    del missing[f"{b}{r.randint(1, L)}"]
    out.append(("dict-missing-key", missing, RAISE))
    chain = dict(d)
    k = f"{W}2" if f"{W}2" in d else f"{W}1"
    chain[k] = np.zeros((d[k].shape[0], d[k].shape[1] + 1))
    out.append(("dict-wrong-shape", chain, RAISE_TIED))
    out.append(("dict-not-a-dict", list(d.values()), RAISE))
    mat = dict(d)
    mat[f"{W}1"] = np.matrix(d[f"{W}1"])
    out.append(("dict-matrix-entry", mat, Equiv(dict(d))))
    nan = dict(d)
    nan[f"{W}1"] = _poke(d[f"{W}1"], r, float("nan"))
    out.append(("dict-nan-entry", nan, RAISE))
    huge = dict(d)
    huge[f"{W}1"] = _huge(d[f"{W}1"], r)
    out.append(("dict-huge-entry", huge, kind.huge))
    return out


def int_classes(kind: Int, v: int, r: random.Random) -> list[tuple[str, Any, Expect]]:
    out: list[tuple[str, Any, Expect]] = [
        ("int-negative", -r.randint(1, 5), RAISE),
        ("int-bool", True, RAISE),
        ("int-float", float(v) + 0.5, RAISE),
        ("int-str", str(v), RAISE),
        ("int-none", None, RAISE),
    ]
    if kind.positive:
        out.append(("int-zero", 0, RAISE))
    if kind.alloc:
        out.append(("int-huge", r.choice([2**62, 2**70, 10**12]), RAISE))
    return out


def real_classes(kind: Real, v: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    out: list[tuple[str, Any, Expect]] = [
        ("real-nan", float("nan"), RAISE),
        ("real-inf", r.choice([np.inf, -np.inf]), RAISE),
        ("real-str", "0.1", RAISE),
        ("real-bool", True, RAISE),
    ]
    if not kind.optional:
        out.append(("real-none", None, RAISE))
    if kind.low is not None:
        out.append(("real-below", kind.low if kind.low_open else kind.low - r.choice([1e-3, 1.0]),
                    RAISE))
    if kind.high is not None:
        out.append(("real-above", kind.high if kind.high_open else kind.high + r.choice([1e-3, 1.0]),
                    RAISE))
    return out


def opt_classes(kind: Opt, v: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    return [("option-unknown", r.choice(["bogus", "", v.upper() + "x"]), RAISE),
            ("option-type", 3, RAISE)]


def rng_classes(kind: Rng, v: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    out: list[tuple[str, Any, Expect]] = [("rng-none", None, RAISE), ("rng-int-seed", 0, RAISE)]
    if not kind.legacy_ok:
        out.append(("rng-legacy", np.random.RandomState(0), RAISE))
    return out


def obj_classes(kind: Obj, v: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    out = [(name, value, RAISE) for name, value in kind.bad.items()]
    if kind.foreign is not None:
        out.append(("foreign", kind.foreign(r), RAISE))
    return out


def bad_values(kind: Kind, valid: Any, r: random.Random) -> list[tuple[str, Any, Expect]]:
    """Every class's bad value for an argument of ``kind`` whose valid value is ``valid``."""
    if isinstance(kind, Arr):
        return array_classes(kind, valid, r)
    if isinstance(kind, Dict):
        return dict_classes(kind, valid, r)
    if isinstance(kind, Int):
        return int_classes(kind, valid, r)
    if isinstance(kind, Real):
        return real_classes(kind, valid, r)
    if isinstance(kind, Opt):
        return opt_classes(kind, valid, r)
    if isinstance(kind, Rng):
        return rng_classes(kind, valid, r)
    return obj_classes(kind, valid, r)


def class_names(kind: Kind, valid: Any) -> list[str]:
    """The class names :func:`bad_values` gives for this argument."""
    return [name for name, _, _ in bad_values(kind, valid, random.Random(0))]


@st.composite
def bad_value(draw: st.DrawFn, kind: Kind, valid: Any) -> tuple[str, Any, Expect]:
    """A Hypothesis strategy: one class (drawn) and its bad value, damage placed by a drawn seed."""
    seed = draw(st.integers(0, 2**32 - 1))
    options = bad_values(kind, valid, random.Random(seed))
    return options[draw(st.integers(0, len(options) - 1))]


__all__ = ["ANY", "FINITE", "RAISE", "RAISE_TIED", "Arr", "Dict", "Equiv", "Int", "Obj", "Opt", "Real", "Rng",
           "bad_value", "bad_values", "class_names", "replace"]
