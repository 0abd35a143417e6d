"""The target as the properties see it: :class:`Subject` looks the target's functions up by the
protocol's names and hands them out as :class:`~refnn.conformance.judge.TargetFunction` objects
(called with copies, under a time limit). A property that needs a function the target lacks is
skipped, naming it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from refnn.conformance import judge
from refnn.conformance.protocol import Kind, kind_of
from refnn.conformance.target import Target, lookup, namespace_of


class Subject:
    """The target as the properties see it: its functions, looked up by the protocol's names."""

    def __init__(self, loaded: Target, timeout: float) -> None:
        self.loaded = loaded
        self.timeout = timeout

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
        """The target's function ``name``; skips the property (naming it) when it is missing."""
        func = lookup(self.module, name)
        if func is None:
            pytest.skip(f"target {self.spec} does not provide {name}()")
        if kind is not None:
            found = kind_of(name, func)
            if found != kind:
                pytest.skip(_kind_reason(self.spec, name, func, kind, found))
        return judge.TargetFunction(name, func, self.timeout)

    def require_scalar_pair(self) -> tuple[judge.TargetFunction, judge.TargetFunction, str]:
        """The Gradient-Checking notebook's 1-D pair ``forward_propagation(x, theta)`` /
        ``backward_propagation(x, theta)``: the target's own, or the pair its ``gradient_check``
        calls (found in that function's namespace). Skips when there is none."""
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
        func = self.require(name)
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
