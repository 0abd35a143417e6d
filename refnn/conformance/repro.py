"""Counterexamples a learner can run: the last call of each target function, as a Python snippet.

:meth:`refnn.conformance.judge.TargetFunction.call` records every call here (a copy of its argument
values, taken before the target sees them); the plugin calls :func:`reset_calls` when a property
starts and :func:`repro_snippet` when it fails. Hypothesis replays the minimal failing example
last, so the recorded calls are those of the counterexample.

The snippet is runnable where the learner's functions are defined (their notebook)::

    import numpy as np
    X = np.array([[0.5, -1.25], [2.0, 3.0]])
    parameters = {"W1": np.array([[...]]), ...}
    forward_propagation_with_dropout(X, parameters, keep_prob=0.25)

Floats are written at full precision (the shortest text that reads back as the same number), so
the snippet reproduces the call exactly.
"""

from __future__ import annotations

import copy
import inspect
import keyword
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Call:
    """One recorded call: the function's name, its parameter names (when known) and the values."""

    name: str
    parameters: tuple[str, ...]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


_CALLS: list[Call] = []
"""The calls of target functions since :func:`reset_calls` (the plugin resets it at the start of
every example Hypothesis runs, so after a failure it holds the failing example's calls)."""

MAX_CALLS = 6
"""At most this many calls are kept (the latest)."""


def reset_calls() -> None:
    """Forget the recorded calls (the plugin calls this when a property starts)."""
    _CALLS.clear()


def _snapshot(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, Mapping):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_snapshot(v) for v in value)
    if isinstance(value, list):
        return [_snapshot(v) for v in value]
    try:
        return copy.copy(value)
    except Exception:  # noqa: BLE001 - an uncopyable value is recorded as it is
        return value


def _parameters(func: Callable[..., Any]) -> tuple[str, ...]:
    try:
        return tuple(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return ()


def record_call(name: str, func: Callable[..., Any], args: Sequence[object],
                kwargs: Mapping[str, object]) -> None:
    """Record a call of the target function ``name`` (the latest replaces an earlier one)."""
    call = Call(name, _parameters(func), tuple(_snapshot(a) for a in args),
                {k: _snapshot(v) for k, v in kwargs.items()})
    _CALLS.append(call)
    del _CALLS[:-MAX_CALLS]


def recorded_calls() -> tuple[Call, ...]:
    """The recorded calls, oldest first."""
    return tuple(_CALLS)


def literal(value: object) -> str:
    """``value`` as Python source (numpy arrays as ``np.array([...])`` at full precision)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            body = repr(_plain(value.tolist()))  # Python floats: the shortest exact text
            body = body.replace("inf", "np.inf").replace("nan", "np.nan")
            default = {"b": np.bool_, "i": np.int64, "u": np.int64, "f": np.float64}
            if value.dtype == default[value.dtype.kind]:
                return f"np.array({body})"
            return f"np.array({body}, dtype=np.{value.dtype.name})"
        return f"np.array({value.tolist()!r})"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if x != x:
            return "float('nan')"
        if x in (float("inf"), float("-inf")):
            return "float('inf')" if x > 0 else "-float('inf')"
        return repr(x)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if value is None or isinstance(value, (str, bytes)):
        return repr(value)
    return f"None  # {type(value).__name__} value, not reproducible as a literal"


def _plain(value: object) -> object:
    """Nested lists of numbers with floats as Python floats (whose repr is exact)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _simple(value: object) -> bool:
    if isinstance(value, (bool, int, float, np.integer, np.floating, str)) or value is None:
        return True
    if isinstance(value, (list, tuple)) and len(value) <= 8:
        return all(isinstance(v, (bool, int, float, np.integer, np.floating)) for v in value)
    return False


def _variable(name: str, taken: set[str]) -> str:
    base = name if name.isidentifier() and not keyword.iskeyword(name) else "arg"
    out, i = base, 2
    while out in taken:
        out, i = f"{base}_{i}", i + 1
    taken.add(out)
    return out


def snippet_of(calls: Sequence[Call]) -> str:
    """The snippet for ``calls`` (see :func:`repro_snippet`)."""
    if not calls:
        return ""
    lines = ["import numpy as np", ""]
    taken: set[str] = {"np"}
    defined: dict[tuple[str, str], str] = {}  # (parameter name, literal) -> variable

    def name_for(pname: str, value: object) -> str:
        text = literal(value)
        if (pname, text) in defined:
            return defined[(pname, text)]
        var = _variable(pname, taken)
        defined[(pname, text)] = var
        lines.append(f"{var} = {text}")
        return var

    for call in calls:
        parts: list[str] = []
        for i, value in enumerate(call.args):
            pname = call.parameters[i] if i < len(call.parameters) else f"arg{i}"
            parts.append(literal(value) if _simple(value) else name_for(pname, value))
        for key, value in call.kwargs.items():
            parts.append(f"{key}={literal(value) if _simple(value) else name_for(key, value)}")
        lines.append(f"{call.name}({', '.join(parts)})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def repro_snippet() -> str:
    """A short runnable snippet reproducing the recorded calls: ``import numpy as np``, the inputs
    as numpy literals at full precision, and the calls of the failing example in order. Empty
    when nothing was called."""
    return snippet_of(recorded_calls())
