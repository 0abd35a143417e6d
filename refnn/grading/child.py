"""What runs inside one submission's judging process (a fresh fork of the prepared parent).

:func:`child_main` confines the process (:func:`refnn.grading.limits.confine`), loads nothing of the
submission itself but hands it to the conformance suite (:func:`refnn.conformance.conform.conform`)
and streams every event to the parent (:mod:`refnn.grading.channel`). It never returns: the
process ends with :func:`os._exit`, so no thread, ``atexit`` handler or buffered output the
submission left behind can keep it alive or change what was sent.

This module is also the pytest plugin of that run (``-p refnn.grading.child``): it sends a
``start`` event when a property starts and a ``record`` event when it has its record, resets
NumPy's floating-point error state before every property (a submission that called
``np.seterr(all="raise")`` affects at most the property that called it), and turns a
``MemoryError`` into the end of the process, naming the learner's function that was running.

A ``.py`` submission is judged like a notebook — its imports, functions and constants only, its
top-level code never run (unless the request's ``run_top_level``): the conformance suite loads
it so (:func:`refnn.conformance.target.load`).
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, NoReturn

import numpy as np
import pytest

from refnn.grading.channel import Writer
from refnn.grading.limits import Limits, confine, resident_mb

EXIT_DONE = 0
EXIT_MEMORY = 86
EXIT_USAGE = 87
EXIT_CRASH = 88
"""The child's own exit statuses (anything else was the submission's doing)."""

_NP_ERR = np.geterr()
"""NumPy's floating-point error state of the prepared parent (restored before every property)."""


@dataclass
class _State:
    writer: Writer | None = None
    current: str = ""
    learner: tuple[str, ...] = ()
    """Filenames (prefixes) of the submission's code, as its frames show them."""
    rename: tuple[tuple[str, str], ...] = ()
    """``(temporary text, shown text)`` pairs applied to every record's text."""
    sent: set[str] = field(default_factory=set)


STATE = _State()


# ------------------------------------------------------------------------------ learner frames


def _learner_frame(frames: list[tuple[FrameType, int]]) -> tuple[str, str]:
    """``(function, where)`` of the innermost frame of the submission's code, or ``("", "")``."""
    for frame, line in reversed(frames):
        name = frame.f_code.co_filename
        if any(name.startswith(p) for p in STATE.learner):
            return frame.f_code.co_name, _shown(f"{name}:{line}")
    return "", ""


def _frames_of_traceback(tb: TracebackType | None) -> list[tuple[FrameType, int]]:
    out: list[tuple[FrameType, int]] = []
    while tb is not None:
        out.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return out


def _frames_of_stack(frame: FrameType | None) -> list[tuple[FrameType, int]]:
    out: list[tuple[FrameType, int]] = []
    while frame is not None:
        out.append((frame, frame.f_lineno))
        frame = frame.f_back
    return out[::-1]


def _shown(text: str) -> str:
    for temporary, shown in STATE.rename:
        text = text.replace(temporary, shown)
    return text


def _find(exc: BaseException | None, kind: type[BaseException],
          seen: set[int] | None = None) -> BaseException | None:
    """``exc`` or the first exception of ``kind`` among its causes, contexts and group members."""
    seen = set() if seen is None else seen
    if exc is None or id(exc) in seen:
        return None
    seen.add(id(exc))
    if isinstance(exc, kind):
        return exc
    for sub in getattr(exc, "exceptions", ()) or ():
        if isinstance(sub, BaseException):
            found = _find(sub, kind, seen)
            if found is not None:
                return found
    return _find(exc.__cause__, kind, seen) or _find(exc.__context__, kind, seen)


def _send(event: str, **fields: Any) -> None:
    if STATE.writer is not None:
        STATE.writer.send(event, **fields)


# -------------------------------------------------------------------------------- pytest hooks


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    STATE.current = nodeid.rsplit("::", 1)[-1]
    _send("start", property=STATE.current)


def pytest_runtest_setup(item: pytest.Item) -> None:
    np.seterr(**_NP_ERR)


_QUICK_FIXTURES = frozenset({"target", "_deterministic_global_streams", "request"})
"""The fixtures a property may use to be skipped without its set-up (:func:`_quick_skip`)."""
_QUICK_MARKS = frozenset({"rule", "hypothesis", "parametrize"})


def _quick_skip(item: pytest.Item) -> BaseException | None:
    """The skip ``item`` would end in at its first example (:func:`~refnn.grading.preflight.probe`
    with the run's subject), found before its set-up; ``None`` when it must run as usual."""
    from refnn.conformance import judge
    from refnn.conformance import subject as subject_module
    from refnn.conformance.suite_plugin import subject_of
    from refnn.grading.preflight import FIRST, probe

    if item.nodeid not in FIRST:
        return None
    if not callable(getattr(getattr(item.session, "_setupstate", None), "teardown_exact", None)):
        return None  # (another pytest: the usual protocol)
    callspec = getattr(item, "callspec", None)
    params = set(callspec.params) if callspec is not None else set()
    if not set(getattr(item, "fixturenames", ())) <= _QUICK_FIXTURES | params:
        return None
    if any(m.name not in _QUICK_MARKS for m in item.iter_markers()):
        return None
    # (the first call loads the submission: a hang or a memory blow-up there is reported while
    # judging this property, as in the usual protocol's set-up)
    STATE.current = item.nodeid.rsplit("::", 1)[-1]
    try:
        subject = subject_of(item.config)
    except BaseException:  # noqa: BLE001 - the target did not load: the usual protocol says so
        return None
    judge.reset_calls()
    subject_module.reset_judged()
    np.seterr(**_NP_ERR)
    return probe(item, subject)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """A property whose first example would skip (:func:`_quick_skip`) is reported skipped without
    pytest's set-up, call and teardown — most properties of a run skip (a notebook has a few of
    the protocol's functions), and that cycle cost more than the probe. Its record is made by the
    suite's own report hook from the same skip, so it is the record the usual protocol gives."""
    found = _quick_skip(item)
    if found is None:
        return None

    def skipped() -> None:
        raise found

    ihook = item.ihook
    ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    call = pytest.CallInfo.from_call(skipped, when="call")
    ihook.pytest_runtest_logreport(report=ihook.pytest_runtest_makereport(item=item, call=call))
    # pytest's own teardown of what earlier items set up and the next one does not need (its
    # teardown hook would also undo this item's set-up, which did not happen)
    setup_state = item.session._setupstate
    teardown = pytest.CallInfo.from_call(lambda: setup_state.teardown_exact(nextitem),
                                         when="teardown")
    if teardown.excinfo is not None:
        ihook.pytest_runtest_logreport(report=ihook.pytest_runtest_makereport(item=item,
                                                                              call=teardown))
    ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A property whose first example would skip skips here, before Hypothesis generates any
    (:mod:`refnn.grading.preflight`); one whose recorded examples all have their recorded status
    passes (or skips) here (:mod:`refnn.grading.replay`); otherwise Hypothesis runs it as usual."""
    from refnn.grading.preflight import probe
    from refnn.grading.replay import replay

    found = probe(pyfuncitem)
    if found is not None:
        raise found
    replayed = replay(pyfuncitem)
    if isinstance(replayed, BaseException):
        raise replayed
    return True if replayed else None


def pytest_runtest_call(item: pytest.Item) -> None:
    _send("call", property=STATE.current)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    from refnn.conformance.suite_plugin import RECORD_KEY

    # the record as the suite's plugin attached it (a dict already: no round trip through
    # PropertyRecord, which costs more than a skipped property)
    doc = next((v for k, v in getattr(report, "user_properties", ())
                if k == RECORD_KEY and isinstance(v, dict)), None)
    if doc is None or doc.get("nodeid") in STATE.sent:
        return
    STATE.sent.add(str(doc.get("nodeid")))
    _send("record", record=renamed(dict(doc)), rss_mb=round(resident_mb(), 1))


def pytest_exception_interact(node: Any, call: pytest.CallInfo[Any], report: Any) -> None:
    exc = call.excinfo.value if call.excinfo is not None else None
    memory = _find(exc, MemoryError)
    if memory is None:
        return
    function, where = _learner_frame(_frames_of_traceback(memory.__traceback__))
    _send("memory", property=STATE.current, function=function, where=where,
          rss_mb=round(resident_mb(), 1))
    os._exit(EXIT_MEMORY)


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    exc = excinfo.value
    function, where = _learner_frame(_frames_of_traceback(exc.__traceback__))
    _send("interrupted", property=STATE.current, exception=type(exc).__name__,
          function=function, where=where)


# ----------------------------------------------------------------------------------- the child


def renamed(doc: dict[str, Any]) -> dict[str, Any]:
    """A record's dict with the temporary paths replaced in its text fields."""
    if not STATE.rename:
        return doc
    return {k: _shown(v) if isinstance(v, str) else v for k, v in doc.items()}


def defined_functions(path: Path) -> list[str]:
    """The top-level functions a ``.py`` or ``.ipynb`` file defines (parsed only; cells that do
    not parse are left out)."""
    from refnn.notebook import code_cells, strip_ipython

    sources = [c.padded(strip_ipython(c.source)) for c in code_cells(path)]
    names: dict[str, None] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.pop(node.name, None)
                names[node.name] = None
    return list(names)


def _target_of(spec: str) -> str:
    """The spec the suite is given, with :data:`STATE`'s learner prefixes set."""
    from refnn.conformance.target import is_path_spec

    if not is_path_spec(spec):
        return spec
    path = Path(spec).expanduser().resolve()
    STATE.learner = (str(path),)
    return str(path)


def _watchdog(deadline: float, main: int) -> None:
    """Sleep until ``deadline`` (monotonic), then tell the parent what the main thread runs."""
    time.sleep(max(0.0, deadline - time.monotonic()))
    frame = sys._current_frames().get(main)
    function, where = _learner_frame(_frames_of_stack(frame))
    _send("stuck", property=STATE.current, function=function, where=where)


def child_main(spec: str, request: Any, limits: Limits, fd: int, started: float) -> NoReturn:
    """Judge ``spec`` with ``request`` (a :class:`refnn.conformance.conform.Request`) under
    ``limits``, sending the events to ``fd``; ``started`` is the parent's monotonic clock at the
    fork (the deadline counts from it). Never returns."""
    status = EXIT_CRASH
    try:
        try:
            os.setpgid(0, 0)
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(null, std)
        STATE.writer = Writer(fd)
        margin = min(3.0, 0.1 * limits.timeout)
        threading.Thread(target=_watchdog, args=(started + limits.timeout - margin,
                                                 threading.main_thread().ident or 0),
                         daemon=True, name="refnn-grade-watchdog").start()
        applied = confine(limits)
        _send("hello", pid=os.getpid(), applied=applied)
        target = _target_of(spec)
        if target != spec or Path(spec).suffix in (".py", ".ipynb"):
            try:
                _send("defines", functions=defined_functions(Path(spec).expanduser()))
            except (OSError, ValueError) as exc:
                _send("defines", functions=[], error=str(exc))
        from refnn.conformance.conform import ConformUsageError, conform

        try:
            result = conform(replace(request, target=target, quiet=True, progress=False,
                                     workers=None),
                             ["-p", "refnn.grading.child"])
        except ConformUsageError as exc:
            _send("fatal", kind="usage", error=str(exc))
            status = EXIT_USAGE
        else:
            _send("done", exit_code=result.exit_code,
                  records=[renamed(r.to_dict()) for r in result.records],
                  rss_mb=round(resident_mb(), 1))
            status = EXIT_DONE
    except MemoryError:
        _send("memory", property=STATE.current, function="", where="")
        status = EXIT_MEMORY
    except BaseException as exc:  # noqa: BLE001 - whatever happened, say so and end
        try:
            tail = "".join(traceback.format_exception(exc)[-3:])
            _send("fatal", kind="crash", error=f"{type(exc).__name__}: {exc}",
                  traceback=_shown(tail))
        except BaseException:  # noqa: BLE001
            pass
    os._exit(status)
