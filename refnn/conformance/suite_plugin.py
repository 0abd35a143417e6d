"""The conformance suite's pytest plugin: registered by the suite's own ``conftest.py``, so it
acts only in a session that runs the suite (the options come from the light entry-point plugin
:mod:`refnn.conformance.plugin`).

It provides:

* the Hypothesis profiles ``refnn-dev``, ``refnn-ci`` and ``refnn-thorough`` (and ``refnn-catalog``), chosen with
  Hypothesis's own ``--hypothesis-profile``; nothing is loaded unless asked for;
* the ``target`` fixture (a :class:`Subject`), the ``rule(...)`` and ``golden`` markers;
* one :class:`~refnn.conformance.outcome.PropertyRecord` per property (in the report's
  ``user_properties``, so it travels from pytest-xdist's workers), and the learner-facing report
  of a failure built from it;
* a header line naming the target and a closing summary made from the records.
"""

from __future__ import annotations

import functools
import os
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

from refnn.conformance import judge, recording, rules
from refnn.conformance.plugin import CALL_TIMEOUT
from refnn.conformance.outcome import (
    TARGET_PROBLEMS,
    NotJudged,
    OutcomeClass,
    PropertyRecord,
    TargetProblem,
)
from refnn.conformance import subject as subject_module
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
    "refnn-dev", max_examples=10, deadline=None, phases=_PHASES, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "refnn-ci",
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    phases=_PHASES,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "refnn-thorough", max_examples=400, deadline=None, phases=_PHASES, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "refnn-catalog",
    parent=settings.get_profile("refnn-ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
)
"""``refnn-catalog``: the ``refnn-ci`` examples without shrinking — for killing mutants fast (``-x``)."""

PROFILES = ("refnn-dev", "refnn-ci", "refnn-thorough", "refnn-catalog")
"""refnn's Hypothesis profiles (namespaced: a session that loads them by name is running refnn's
suite; ``refnn conform --profile ci`` means ``refnn-ci``)."""
RULES_KEY = "refnn_rules"
RECORD_KEY = "refnn_record"
"""The key of the :class:`PropertyRecord` (as a dict) in a property's ``report.user_properties``
(user properties travel from pytest-xdist's workers to the controller)."""
_RECORDED = pytest.StashKey[bool]()


# --------------------------------------------------------------------------------------- state


@dataclass
class _State:
    spec: str
    source: str
    timeout: float
    rule_filter: list[str]
    loaded: Target | None = None
    import_problem: TargetProblem | None = None
    """Why the target could not be imported (raised again by every property)."""
    env_messages: list[str] = field(default_factory=list)
    """One line per distinct problem of the target's (environment, portability, unfinished)."""
    subject: Subject | None = None
    """The :class:`Subject` of :attr:`loaded` (:func:`subject_of`)."""


_STATE_KEY = pytest.StashKey[_State]()


def _state(config: pytest.Config) -> _State:
    return config.stash[_STATE_KEY]


def _call_timeout(config: pytest.Config) -> float:
    """``--refnn-target-timeout``, else ``$REFNN_TARGET_TIMEOUT``, else the default (20 s)."""
    value = float(config.getoption("--refnn-target-timeout"))
    env = os.environ.get("REFNN_TARGET_TIMEOUT")
    if env and value == CALL_TIMEOUT:
        try:
            value = float(env)
        except ValueError:
            raise pytest.UsageError(f"$REFNN_TARGET_TIMEOUT must be a number of seconds, got "
                                    f"{env!r}") from None
    return value


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rule(*ids): the lecture rule(s) of docs/SPEC.md that a property checks"
    )
    config.addinivalue_line(
        "markers", "golden: needs the course's exact numbers (its seeds or its exact arithmetic)"
    )
    spec, source = resolve_spec(config.getoption("--refnn-target"))
    config.stash[_STATE_KEY] = _State(
        spec=spec,
        source=source,
        timeout=_call_timeout(config),
        rule_filter=list(config.getoption("--refnn-rule") or []),
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
    """``--refnn-rule DROP-3`` selects DROP-3; ``--refnn-rule DROP`` (a family) selects DROP-1, DROP-2, …"""
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
    for item in keep:
        if _is_property(item):
            _reset_per_example(item)
    items[:] = upstream_first(keep)


class TargetProblemFound(BaseException):
    """Carries a :class:`TargetProblem` out of Hypothesis's run at the first example that shows it.

    A target problem (an unfinished function, Python-2 or NumPy-2 code, a missing helper) is not a
    property of the example — every input shows it — so shrinking it would only spend time (about
    half a second per property) to find a smaller input for the same verdict. Not being an
    :class:`Exception`, this wrapper is not caught by Hypothesis, which stops at once; the suite
    raises the problem itself again around the call (:func:`pytest_pyfunc_call`), so its record is
    the problem's, with the call that showed it and no minimal counterexample."""

    def __init__(self, problem: TargetProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _reset_per_example(item: pytest.Item) -> None:
    """Forget the recorded calls at the start of every example of a Hypothesis property (through
    ``inner_test``, which Hypothesis lets plugins wrap), so that a failure's snippet replays the
    failing example's calls and no earlier one's; end the run at the first target problem
    (:class:`TargetProblemFound`)."""
    hypothesis_handle = getattr(getattr(item, "obj", None), "hypothesis", None)
    inner = getattr(hypothesis_handle, "inner_test", None)
    if hypothesis_handle is None or inner is None or getattr(inner, "_refnn_resets", False):
        return

    @functools.wraps(inner)
    def each_example(*args: Any, **kwargs: Any) -> Any:
        judge.reset_calls()
        try:
            return inner(*args, **kwargs)
        except TargetProblem as problem:
            raise TargetProblemFound(problem) from None

    each_example._refnn_resets = True  # type: ignore[attr-defined]
    hypothesis_handle.inner_test = each_example


def upstream_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` with the properties of rules that others depend on first (docs/SPEC.md's
    ``Depends on:``; a stable sort by dependency depth), so that a run stopped at its first
    failure (``-x``) stops at a root cause, not at one of its consequences."""
    spec = rules.spec()
    depth: dict[str, int] = {}

    def depth_of(rid: str) -> int:
        if rid not in depth:
            depth[rid] = 1 + max((depth_of(d) for d in spec.depends.get(rid, ())), default=-1)
        return depth[rid]

    def key(item: pytest.Item) -> int:
        ids = _rule_ids(item) if _is_property(item) else []
        return max((depth_of(r) for r in ids), default=0)

    return sorted(items, key=key)


# ------------------------------------------------------------------------------------- fixture



def subject_of(config: pytest.Config) -> Subject:
    """The run's :class:`Subject` (the target loaded once, on first use), as the ``target``
    fixture hands it to every property.

    Raises:
        TargetProblem: the target could not be imported (again at every call).
    """
    state = _state(config)
    if state.import_problem is not None:
        raise state.import_problem
    if state.loaded is None:
        try:
            state.loaded = load(state.spec if state.source == "--refnn-target" else None,
                                run_top_level=bool(config.getoption("--refnn-run-top-level")))
        except TargetImportError as exc:
            state.import_problem = exc.problem
            raise exc.problem from None
    if state.subject is None or state.subject.loaded is not state.loaded:
        state.subject = Subject(state.loaded, state.timeout)
    return state.subject


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Subject:
    """The implementation under test (see :class:`Subject`)."""
    return subject_of(request.config)


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


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _is_property(item):
        judge.reset_calls()
        subject_module.reset_judged()


def _render(item: pytest.Item, record: PropertyRecord, state: _State) -> str:
    """The learner-facing report of a failed property (pytest's ``longrepr``)."""
    lines: list[str] = []
    for rid in record.rules:
        text = rules.statement(rid)
        lines.append(f"RULE {rid}" + (f": {text}" if text else ""))
    doc = " ".join((getattr(getattr(item, "obj", None), "__doc__", None) or "").split())
    if doc:
        lines.append(f"property: {doc}")
    lines.append(f"target: {state.loaded.describe() if state.loaded else state.spec}")
    lines.append(f"outcome: {recording.label(record.outcome)}")
    lines += ["", record.message]
    if record.hint and record.hint not in record.message:
        lines.append(f"likely cause: {record.hint}")
    if record.counterexample:
        lines.append("Hypothesis's minimal counterexample:")
        lines.append("  " + record.counterexample.replace("\n", "\n  "))
    if record.repro:
        lines.append("reproduce it:")
        lines.append("  " + record.repro.rstrip().replace("\n", "\n  "))
    return "\n".join(lines)


def _nodeid(item: pytest.Item) -> str:
    """The property's id relative to the suite's folder (``test_l2.py::test_…``): the same
    wherever the run starts."""
    path = Path(str(item.path))
    return f"{path.name}::{item.nodeid.split('::', 1)[1]}" if "::" in item.nodeid else item.nodeid


@pytest.hookimpl(wrapper=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> Any:
    try:
        return (yield)
    except TargetProblemFound as found:
        raise found.problem from found.problem.__cause__


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report: pytest.TestReport = yield
    if not _is_property(item) or item.stash.get(_RECORDED, False):
        return report
    if call.when == "teardown" or (call.when == "setup" and report.passed):
        return report
    state = _state(item.config)
    excs: list[BaseException] = []
    skip_reason = ""
    if report.passed:
        outcome: OutcomeClass = "passed"
    elif report.skipped:
        exc = call.excinfo.value if call.excinfo is not None else None
        outcome = "not_judged" if isinstance(exc, NotJudged) else "skipped"
        excs = [exc] if exc is not None else []
        if isinstance(exc, NotJudged):
            skip_reason = str(exc.msg)
        elif isinstance(report.longrepr, tuple):
            skip_reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    else:
        outcome = "broken"
        excs = recording.flatten(call.excinfo.value) if call.excinfo is not None else []
    record = recording.record_for(
        nodeid=_nodeid(item), name=item.name, rules_cited=_rule_ids(item), outcome=outcome,
        excs=excs, skip_reason=skip_reason, seconds=float(report.duration),
        functions=subject_module.judged_functions(),
        repro=judge.repro_snippet() if outcome == "broken" else "",
    )
    item.stash[_RECORDED] = True
    report.user_properties.append((RECORD_KEY, record.to_dict()))
    if report.failed:
        report.longrepr = _render(item, record, state)
        if record.outcome in TARGET_PROBLEMS and record.summary not in state.env_messages:
            state.env_messages.append(record.summary)
    return report


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    record = record_of(report)
    if record is None or not report.failed:
        return None
    if record.outcome in TARGET_PROBLEMS:
        word = record.outcome.upper()
        return record.outcome, record.outcome[0].upper(), (word, {"yellow": True})
    return None


def record_of(report: pytest.TestReport) -> PropertyRecord | None:
    """The :class:`PropertyRecord` the plugin attached to ``report`` (``None`` if none)."""
    for key, value in getattr(report, "user_properties", ()):
        if key == RECORD_KEY and isinstance(value, dict):
            return PropertyRecord.from_dict(value)
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    stats: dict[str, list[Any]] = terminalreporter.stats
    found: dict[str, PropertyRecord] = {}
    for reports in stats.values():
        for rep in reports:
            if isinstance(rep, pytest.TestReport):
                record = record_of(rep)
                if record is not None:
                    found.setdefault(record.nodeid, record)
    if not found:
        return
    records = recording.resolve_consequences(found.values())
    state = _state(config)
    tr = terminalreporter
    tr.write_sep("=", "refnn conformance summary")
    tr.write_line(f"target: {state.loaded.describe() if state.loaded else state.spec}")
    from refnn.conformance import report as text_report

    for line in text_report.summary_lines(records):
        tr.write_line(line)
