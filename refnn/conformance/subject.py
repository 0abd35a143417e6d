"""The target as the properties see it: :class:`Subject` looks the target's functions up by the
protocol's names and hands them out as :class:`~refnn.conformance.judge.TargetFunction` objects
(called with copies, under a time limit). A property that needs a function the target lacks is
skipped, naming it.

A property asks for the function it *judges* with :meth:`Subject.require`: when that function is not
the learner's (code the course hands out, or refnn's stand-in for a helper module:
:meth:`refnn.conformance.target.Target.whose`), the property is *not judged*
(:class:`~refnn.conformance.outcome.NotJudged`, a skip the plugin records as ``not_judged``). A
function a property only uses to build its inputs is asked for with :meth:`Subject.helper`, which
hands it out whoever wrote it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from refnn.conformance import judge
from refnn.conformance.course_functions import PLANTED_BUGS
from refnn.conformance.outcome import NotJudged
from refnn.conformance.protocol import Kind, kind_of
from refnn.conformance.target import Target, lookup, namespace_of


_JUDGED: list[str] = []
"""The functions the running property judged (:meth:`Subject.require`), in order."""


def reset_judged() -> None:
    """Forget the judged functions (the plugin calls this when a property starts)."""
    _JUDGED.clear()


def judged_functions() -> tuple[str, ...]:
    """The target functions the running property judged so far."""
    return tuple(_JUDGED)


class Subject:
    """The target as the properties see it: its functions, looked up by the protocol's names."""

    def __init__(self, loaded: Target, timeout: float) -> None:
        self.loaded = loaded
        self.timeout = timeout
        self._notes: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<target {self.loaded.spec}>"

    @property
    def module(self) -> ModuleType:
        return self.loaded.module

    @property
    def spec(self) -> str:
        return self.loaded.spec

    def get(self, name: str, kind: Kind | None = None) -> judge.TargetFunction | None:
        """The target's function ``name`` (of ``kind``, when given), or ``None``."""
        func = lookup(self.module, name)
        if func is None:
            return None
        if kind is not None and kind_of(name, func) != kind:
            return None
        return judge.TargetFunction(name, func, self.timeout)

    def require(self, name: str, kind: Kind | None = None) -> judge.TargetFunction:
        """The target's function ``name``, which the property judges.

        Skips the property (naming it) when the target lacks it; raises
        :class:`~refnn.conformance.outcome.NotJudged` when it is not the learner's (given code, or
        refnn's stand-in)."""
        fn = self.helper(name, kind)
        self._judge(name, fn.func, kind or kind_of(name, fn.func))
        return fn

    def helper(self, name: str, kind: Kind | None = None) -> judge.TargetFunction:
        """The target's function ``name``, used by the property only to build the inputs of the
        function it judges (handed out whoever wrote it). Skips when the target lacks it."""
        func = lookup(self.module, name)
        if func is None:
            pytest.skip(f"target {self.spec} does not provide {name}()")
        if kind is not None:
            found = kind_of(name, func)
            if found != kind:
                pytest.skip(_kind_reason(self.spec, name, func, kind, found))
        return judge.TargetFunction(name, func, self.timeout)

    def whose(self, name: str, func: Callable[..., Any], kind: str = "network") -> str:
        """``judged``, ``given`` or ``stand-in`` (:meth:`refnn.conformance.target.Target.whose`)."""
        return self.loaded.whose(name, func, kind)

    def _judge(self, name: str, func: Callable[..., Any], kind: str) -> None:
        whose = self.whose(name, func, kind)
        if whose == "judged":
            if name not in _JUDGED:
                _JUDGED.append(name)
            return
        if whose == "stand-in":
            raise NotJudged(f"{name}() is refnn's (its stand-in for the course's helper modules, "
                            "or imported from refnn), not the target's own code (not judged)",
                            function=name, whose=whose)
        note = self.given_note(name, func)
        raise NotJudged(f"{name}() is code the course hands out, not the learner's (not judged)"
                        + (f"; {note}" if note else ""), function=name, whose="given", note=note)

    def given_note(self, name: str, func: Callable[..., Any]) -> str:
        """An informational line about the given function ``name`` (empty when there is none):
        for ``backward_propagation_n``, whether it still has the course's planted bugs."""
        if name != "backward_propagation_n":
            return ""
        if name not in self._notes:
            self._notes[name] = _planted_bugs_note(func)
        return self._notes[name]

    def require_scalar_pair(self) -> tuple[judge.TargetFunction, judge.TargetFunction, str]:
        """The Gradient-Checking notebook's 1-D pair ``forward_propagation(x, theta)`` /
        ``backward_propagation(x, theta)``: the target's own, or the pair its ``gradient_check``
        calls (found in that function's namespace). Skips when there is none; not judged when the
        pair is not the learner's (:meth:`require`)."""
        fwd, bwd, where = self.helper_scalar_pair()
        self._judge("forward_propagation", fwd.func, "scalar")
        self._judge("backward_propagation", bwd.func, "scalar")
        return fwd, bwd, where

    def helper_scalar_pair(self) -> tuple[judge.TargetFunction, judge.TargetFunction, str]:
        """The pair of :meth:`require_scalar_pair`, whoever wrote it (for a property judging
        ``gradient_check``)."""
        fwd = self.get("forward_propagation", "scalar")
        bwd = self.get("backward_propagation", "scalar")
        if fwd is not None and bwd is not None:
            return fwd, bwd, self.spec
        check = lookup(self.module, "gradient_check")
        ns = namespace_of(check) if check is not None else None
        if ns is not None:
            f, b = ns.get("forward_propagation"), ns.get("backward_propagation")
            if (callable(f) and callable(b) and kind_of("forward_propagation", f) == "scalar"
                    and kind_of("backward_propagation", b) == "scalar"):
                where = str(ns.get("__name__", "gradient_check's module"))
                return (judge.TargetFunction("forward_propagation", f, self.timeout),
                        judge.TargetFunction("backward_propagation", b, self.timeout), where)
        pytest.skip(f"target {self.spec} provides no 1-D forward_propagation(x, theta) / "
                    "backward_propagation(x, theta) pair (the Gradient-Checking notebook's J = θx)")

    def namespace(self, name: str) -> dict[str, Any]:
        """The global namespace the target's function ``name`` runs in (skips if it has none)."""
        func = self.helper(name)
        ns = namespace_of(func.func)
        if ns is None:
            pytest.skip(f"target's {name}() has no Python namespace to substitute functions in")
        assert isinstance(ns, dict)
        return ns


def _kind_reason(spec: str, name: str, func: Callable[..., Any], want: Kind, found: Kind) -> str:
    try:
        sig = str(inspect.signature(func))
    except (TypeError, ValueError):
        sig = "(?)"
    if found == "scalar":
        return (f"target {spec}'s {name}{sig} is the Gradient-Checking notebook's 1-D "
                f"J(x, θ) = θx, not the 3-layer network's (judged by the gradient-checking "
                "properties instead)")
    if found == "network":
        return (f"target {spec}'s {name}{sig} is the 3-layer network's, not the "
                "Gradient-Checking notebook's 1-D pair")
    return f"target {spec}'s {name}{sig}: cannot tell which of the course's {name} it is"


def _planted_bugs_note(func: Callable[..., Any]) -> str:
    """Whether the given ``backward_propagation_n`` has the course's planted bugs (``dW2 × 2``,
    ``db1`` with ``4/m``), found by comparing it with the true gradient on a fixed network."""
    from refnn.conformance import oracle

    state = np.random.RandomState(7)  # the suite's own inputs; no global stream
    dims = (4, 5, 3, 1)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = state.uniform(-1.0, 1.0, (dims[l], dims[l - 1]))
        params[f"b{l}"] = state.uniform(0.1, 0.5, (dims[l], 1))
    X = state.uniform(-1.0, 1.0, (4, 3))
    Y = np.array([[1.0, 0.0, 1.0]])
    _, cache, _ = oracle.forward(params, X)
    want = oracle.gradients(params, X, Y)
    try:
        got = func(X, Y, cache)
        values = {k: np.asarray(got[k], dtype=np.float64) for k in want}
    except Exception:  # noqa: BLE001 - whatever it raises, it is not judged
        return "given code: backward_propagation_n does not run on the suite's inputs"
    planted = {k: PLANTED_BUGS.get(k, 1.0) for k in want}
    if all(np.allclose(values[k], planted[k] * want[k], rtol=1e-9, atol=1e-12) for k in want):
        return "given code: backward_propagation_n keeps the course's planted bugs, as handed out"
    if all(np.allclose(values[k], want[k], rtol=1e-9, atol=1e-12) for k in want):
        return "given code: backward_propagation_n is the corrected one"
    return "given code: backward_propagation_n differs from both the handed-out and the true gradient"
