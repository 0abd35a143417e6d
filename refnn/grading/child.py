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


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    """A property whose first example would skip skips here, before Hypothesis generates any
    (:mod:`refnn.grading.preflight`); otherwise the call goes on as usual."""
    from refnn.grading.preflight import probe

    found = probe(pyfuncitem)
    if found is not None:
        raise found


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
