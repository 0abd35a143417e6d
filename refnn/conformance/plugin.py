"""The pytest plugin (entry point ``pytest11: refnn``) that runs the conformance suite.

It adds, for ``pytest properties``:

* ``--target=SPEC`` (a dotted module or a ``.py`` path; default ``$REFNN_TARGET``, else
  ``refnn.course``), ``--target-timeout=SECONDS`` (per call of a target function) and
  ``--rule=ID`` (run only the properties citing rule ``ID``, or a family such as ``L2``;
  repeatable);
* the Hypothesis profiles ``dev``, ``ci`` and ``thorough`` (and ``catalog``), chosen with
  Hypothesis's own ``--hypothesis-profile``; nothing is loaded unless asked for;
* the ``target`` fixture (a :class:`Subject`), the ``rule(...)`` and ``golden`` markers;
* the report: a header line naming the target, failures rendered as "rule, expected, actual,
  Hypothesis's minimal counterexample", environment errors shown apart from rule failures
  (category ``environment``), and a closing summary of how many properties ran and were skipped.

It is an entry-point plugin rather than a ``conftest.py`` so that the options also work when the
suite is started from an installed package (a ``conftest.py`` below ``--pyargs`` cannot add options).
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import DeadlineExceeded

from refnn.conformance import judge, rules
from refnn.conformance.subject import Subject
from refnn.conformance.target import (
    Target,
    TargetImportError,
    is_path_spec,
    load,
    resolve_spec,
)

__all__ = ["Subject"]

# ------------------------------------------------------------------------------------ profiles

_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
"""Hypothesis's phases without ``explain`` (its "lines run only by failing cases" point into the
suite, not into the target)."""

settings.register_profile(
    "dev", max_examples=10, deadline=None, phases=_PHASES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    phases=_PHASES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough", max_examples=400, deadline=None, phases=_PHASES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "catalog",
    parent=settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
)
"""``catalog``: the ``ci`` examples without shrinking — for killing mutants fast (``-x``)."""

PROFILES = ("dev", "ci", "thorough", "catalog")
RULES_KEY = "refnn_rules"
OUTCOME_KEY = "refnn_outcome"


# --------------------------------------------------------------------------------------- state


@dataclass
class _State:
    spec: str
    source: str
    timeout: float
    rule_filter: list[str]
    loaded: Target | None = None
    import_error: str | None = None
    env_messages: list[str] = field(default_factory=list)


_STATE_KEY = pytest.StashKey[_State]()


def _state(config: pytest.Config) -> _State:
    return config.stash[_STATE_KEY]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("refnn", "refnn conformance suite")
    group.addoption(
        "--target",
        action="store",
        default=None,
        metavar="SPEC",
        help="implementation under test: a dotted module name, a path to a .py file, or a "
        "Jupyter notebook (.ipynb: its imports and top-level functions only) "
        "(default: $REFNN_TARGET, else refnn.course)",
    )
    group.addoption(
        "--target-timeout",
        action="store",
        type=float,
        default=judge.CALL_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a call of a target function after this long (default {judge.CALL_TIMEOUT:g})",
    )
    group.addoption(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the properties citing rule ID, or any rule of a family (repeatable), "
        "e.g. --rule L2 --rule DROP-3",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rule(*ids): the lecture rule(s) of docs/SPEC.md that a property checks"
    )
    config.addinivalue_line(
        "markers", "golden: needs the course's exact numbers (its seeds or its exact arithmetic)"
    )
    spec, source = resolve_spec(config.getoption("--target"))
    config.stash[_STATE_KEY] = _State(
        spec=spec,
        source=source,
        timeout=float(config.getoption("--target-timeout")),
        rule_filter=list(config.getoption("--rule") or []),
    )


def _is_property(item: pytest.Item) -> bool:
    return item.get_closest_marker("rule") is not None


def _rule_ids(item: pytest.Item) -> list[str]:
    ids: list[str] = []
    for mark in item.iter_markers("rule"):
        ids += [str(a) for a in mark.args]
    return ids


def _where(spec: str) -> str:
    if is_path_spec(spec):
        return str(Path(spec).expanduser().resolve())
    try:
        import importlib.util

        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        return "not importable"
    return str(found.origin) if found is not None and found.origin else "?"


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = _state(config)
    profile = settings.get_current_profile_name()
    return [
        f"refnn conformance: target {state.spec} ({_where(state.spec)}; from {state.source}); "
        f"hypothesis profile {profile!r}"
    ]


def pytest_sessionstart(session: pytest.Session) -> None:
    judge.reset()


def _rule_matches(rule_id: str, wanted: str) -> bool:
    """``--rule DROP-3`` selects DROP-3; ``--rule DROP`` (a family) selects DROP-1, DROP-2, …"""
    wanted = wanted.strip().rstrip("-")
    return rule_id == wanted or rule_id.split("-")[0] == wanted


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    state = _state(config)
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if not _is_property(item):
            keep.append(item)
            continue
        ids = _rule_ids(item)
        item.user_properties.append((RULES_KEY, " ".join(ids)))
        if state.rule_filter and not any(
            _rule_matches(rid, f) for rid in ids for f in state.rule_filter
        ):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


# ------------------------------------------------------------------------------------- fixture



@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Subject:
    """The implementation under test (see :class:`Subject`)."""
    state = _state(request.config)
    if state.import_error is not None:
        raise judge.TargetEnvironmentError(state.import_error)
    if state.loaded is None:
        try:
            state.loaded = load(state.spec if state.source == "--target" else None)
        except TargetImportError as exc:
            state.import_error = f"ENVIRONMENT ERROR (not a broken rule): {exc}"
            raise judge.TargetEnvironmentError(state.import_error) from None
    return Subject(state.loaded, state.timeout)


@pytest.fixture(autouse=True)
def _deterministic_global_streams(request: pytest.FixtureRequest) -> Iterator[None]:
    """Seed numpy's and Python's global streams per property (from its id), so a target that
    draws from them unseeded gives the same result in every run and under pytest-xdist."""
    if not _is_property(request.node):
        yield
        return
    seed = zlib.crc32(request.node.nodeid.encode())
    np_state = np.random.get_state()
    py_state = random.getstate()
    np.random.seed(seed)
    random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(np_state)
        random.setstate(py_state)


# -------------------------------------------------------------------------------------- reports


def _flatten(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        out: list[BaseException] = []
        for sub in exc.exceptions:
            out += _flatten(sub)
        return out
    return [exc]


def _slow(exc: BaseException) -> judge.TargetEnvironmentError:
    return judge.TargetEnvironmentError(
        f"ENVIRONMENT ERROR (not a broken rule): too slow for Hypothesis's deadline — {exc}\n"
        "  hint: run with --hypothesis-profile=ci (or dev, thorough), which set no deadline"
    )


def _render(item: pytest.Item, excs: Sequence[BaseException], state: _State) -> str:
    ids = _rule_ids(item)
    lines: list[str] = []
    for rid in ids:
        text = rules.statement(rid)
        lines.append(f"RULE {rid}" + (f": {text}" if text else ""))
    doc = " ".join((getattr(getattr(item, "obj", None), "__doc__", None) or "").split())
    if doc:
        lines.append(f"property: {doc}")
    lines.append(f"target: {state.loaded.describe() if state.loaded else state.spec}")
    for exc in excs:
        lines.append("")
        lines.append(str(exc.args[0]) if exc.args else type(exc).__name__)
        for note in getattr(exc, "__notes__", []) or []:
            text = str(note)
            if text.startswith("Failing test case") or text.startswith("Falsifying example"):
                lines.append("Hypothesis's minimal counterexample:")
                lines.append("  " + text.replace("\n", "\n  "))
            else:
                lines.append(text)
    return "\n".join(lines)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if call.excinfo is None or not _is_property(item):
        return report
    state = _state(item.config)
    excs = _flatten(call.excinfo.value)
    excs = [_slow(e) if isinstance(e, DeadlineExceeded) else e for e in excs]
    env = [e for e in excs if isinstance(e, judge.TargetEnvironmentError)]
    violations = [e for e in excs if isinstance(e, judge.RuleViolation)]
    if env:
        report.user_properties.append((OUTCOME_KEY, "environment"))
        report.longrepr = _render(item, env, state)
        for e in env:
            message = str(e.args[0]) if e.args else ""
            if message not in state.env_messages:
                state.env_messages.append(message)
    elif violations and len(violations) == len(excs):
        report.user_properties.append((OUTCOME_KEY, "rule"))
        report.longrepr = _render(item, violations, state)
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    if report.failed and (OUTCOME_KEY, "environment") in report.user_properties:
        return "environment", "E", ("ENVIRONMENT", {"yellow": True})
    return None


def _prop(report: pytest.TestReport, key: str) -> str | None:
    for k, v in report.user_properties:
        if k == key:
            return str(v)
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    stats: dict[str, list[Any]] = terminalreporter.stats
    counts: Counter[str] = Counter()
    skip_reasons: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    env_messages: list[str] = []
    seen: set[tuple[str, str]] = set()
    for category, reports in stats.items():
        for rep in reports:
            if not isinstance(rep, pytest.TestReport) or _prop(rep, RULES_KEY) is None:
                continue
            if rep.when != "call" and not (rep.failed or rep.skipped):
                continue
            key = (rep.nodeid, category)
            if key in seen:
                continue
            seen.add(key)
            counts[category] += 1
            if rep.skipped and isinstance(rep.longrepr, tuple):
                reason = str(rep.longrepr[2]).removeprefix("Skipped: ")
                skip_reasons[reason] += 1
            if category == "failed":
                for rid in (_prop(rep, RULES_KEY) or "").split():
                    broken[rid] += 1
            if category == "environment":
                lines = rep.longreprtext.splitlines()
                for i, ln in enumerate(lines):
                    if "ENVIRONMENT ERROR" in ln and ln not in env_messages:
                        env_messages.append(ln)
                        hints = [h for h in lines[i + 1:i + 8] if h.strip().startswith("hint:")]
                        env_messages += [h for h in hints[:1]]
    total = sum(counts.values())
    if total == 0:
        return
    state = _state(config)
    tr = terminalreporter
    tr.write_sep("=", "refnn conformance summary")
    tr.write_line(f"target: {state.loaded.describe() if state.loaded else state.spec}")
    tr.write_line(
        f"{total} properties: {counts['passed']} passed, {counts['failed']} failed (broken rules), "
        f"{counts['environment']} environment errors, {counts['skipped']} skipped"
        + (f", {counts['error']} errors" if counts["error"] else "")
    )
    if broken:
        tr.write_line("rules broken: " + ", ".join(f"{r} ({n})" for r, n in sorted(broken.items())))
    if env_messages or state.env_messages:
        tr.write_line("environment errors (the target's environment, not a broken rule):")
        for msg in (env_messages or state.env_messages)[:8]:
            tr.write_line(f"  {msg.strip()}")
    if skip_reasons:
        tr.write_line("skipped:")
        for reason, n in skip_reasons.most_common(12):
            tr.write_line(f"  {n:3d} × {reason}")
