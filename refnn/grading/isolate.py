"""Judging submissions each in its own process: :func:`judge_isolated` (one) and :func:`judge_many`
(a batch on ``workers`` processes at a time).

The parent is *prepared* once (:func:`prepare`): NumPy, SciPy, Hypothesis, pytest, matplotlib
(Agg), refnn and the course's helper stand-ins are imported and the suite's property modules are
imported and collected; during that collection it also memoizes Hypothesis's per-property digests
and draws each property's first example (:mod:`refnn.grading.warm`,
:mod:`refnn.grading.preflight`: a child skips a property whose first example would skip before
Hypothesis generates anything), and its objects are frozen out of the garbage collector's reach
(:func:`gc.freeze`). Each submission is then judged in a fresh :func:`os.fork` of it (POSIX),
which inherits the imports but none of another submission's side effects, and which
(:mod:`refnn.grading.child`) confines itself (:class:`~refnn.grading.limits.Limits`) and streams
its records back one JSON line at a time (:mod:`refnn.grading.channel`).

The parent enforces the wall clock (``SIGKILL`` to the child's process group at the deadline) and
classifies how each child ended (:class:`Ending`): finished, timed out, killed at the memory
limit, crashed on a signal, ended by the submission (``os._exit``), interrupted, or the judge
failing inside the child. Whatever happened, the records finished before it are kept, and the
ending names what was being judged.
"""

from __future__ import annotations

import collections
import os
import selectors
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from refnn.conformance.outcome import PropertyRecord
from refnn.grading.channel import Reader
from refnn.grading.limits import Limits

EndingKind = Literal["finished", "timeout", "memory", "crashed", "exited", "interrupted",
                     "usage", "judge_error", "flooded", "running"]

_SIGNALS: dict[int, str] = {
    signal.SIGSEGV: "segmentation fault",
    signal.SIGBUS: "bus error",
    signal.SIGFPE: "floating-point exception",
    signal.SIGILL: "illegal instruction",
    signal.SIGABRT: "aborted",
    signal.SIGKILL: "killed (SIGKILL, not by the judge: the system's out-of-memory killer?)",
    signal.SIGXCPU: "CPU time limit",
    signal.SIGTERM: "terminated",
}


@dataclass(frozen=True)
class Ending:
    """How a judging process ended.

    Attributes:
        kind: ``finished`` (the suite ran to its end) or what stopped it.
        text: one sentence for the report ("killed at the 768 MB memory limit while judging
            forward_propagation"); empty when finished.
        judging: the property being judged when it ended ("" before the first one).
        function: the submission's function that was running, when known.
        where: ``file:line`` in the submission, when known.
        status: the exit status, or ``None`` when it ended on a signal.
        signal: the signal that ended it, if any.
    """

    kind: EndingKind
    text: str = ""
    judging: str = ""
    function: str = ""
    where: str = ""
    status: int | None = None
    signal: int | None = None

    @property
    def finished(self) -> bool:
        return self.kind == "finished"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "judging": self.judging,
                "function": self.function, "where": self.where, "status": self.status,
                "signal": self.signal}


@dataclass(frozen=True)
class IsolatedResult:
    """One submission judged in its own process: the records it finished and how it ended.

    Attributes:
        spec: the submission (a path or a dotted module name).
        records: every record received ("one bug, one rule" applied), in the order run.
        ending: how the process ended.
        seconds: wall clock from the fork to the end.
        pytest_exit: pytest's exit status, when the run reached its end.
        defines: the top-level functions the file defines (parsed, not run); ``None`` if unknown.
        applied: the limits in force in the child (``memory``, ``network``, ``cpu``).
        peak_rss_mb: the largest resident memory the child reported.
        cpu_seconds: CPU time (user + system) of the judging process, from :func:`os.wait4`
            (0 where unknown): the load-independent measure of what one submission costs.
    """

    spec: str
    records: tuple[PropertyRecord, ...]
    ending: Ending
    seconds: float
    pytest_exit: int | None = None
    defines: tuple[str, ...] | None = None
    applied: dict[str, str] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    cpu_seconds: float = 0.0


# ------------------------------------------------------------------------------------- prepare

_PREPARED: dict[tuple[str, ...], float] = {}

PREIMPORTS = ("numpy", "scipy", "scipy.stats", "scipy.io", "scipy.special", "hypothesis",
              "pytest", "nbformat", "refnn", "refnn.course", "refnn.notebook",
              "refnn.conformance.conform",
              "refnn.conformance.plugin", "refnn.conformance.report", "refnn.grading.child",
              *(f"refnn.course.{m}" for m in ("init_utils", "reg_utils", "gc_utils",
                                              "standins.testCases", "standins.public_tests")),
              "sklearn", "sklearn.datasets")
"""Modules the prepared parent imports (those missing here are left out): refnn's, and those
the course's notebooks import (the Initialization notebook imports scikit-learn, ~0.4 s)."""

NOTEBOOK_MINORS = (4, 5)
"""The nbformat 4 minor versions whose schema validators the parent compiles (~0.13 s each;
the course's notebooks are 4.4 and 4.5)."""


def prepare(request: Any, functions: Iterable[str] | None = None, *,
            capture: bool = True, processes: int = 1) -> float:
    """Import what every judging process needs and collect the suite once, in this process, so
    that each fork starts warm.

    Args:
        request: the run (:class:`refnn.conformance.conform.Request`).
        functions: the graded functions: with ``capture``, the properties judging only these
            have their examples generated here once (:mod:`refnn.grading.replay`); ``None``:
            every property's.
        capture: generate examples for replay at all (worth its seconds for a batch only).
        processes: how many processes share the capture (the cores the batch will use).

    Cached per suite/tier/profile/capture; returns the seconds spent now."""
    from refnn.conformance import runner
    from refnn.conformance.conform import pytest_args, suite_path

    props = suite_path(request.properties)
    wanted = frozenset(functions) if functions is not None else None
    key = (str(props), str(request.tier), str(request.profile),
           "-" if not capture else ",".join(sorted(wanted)) if wanted is not None else "*")
    if key in _PREPARED:
        return 0.0
    t0 = time.monotonic()
    os.environ.setdefault("MPLBACKEND", "Agg")
    import importlib

    for name in (*PREIMPORTS, "matplotlib", "matplotlib.pyplot"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - an optional module (matplotlib) may be missing
            continue
    try:
        get_validator: Callable[..., Any] = getattr(
            importlib.import_module("nbformat.validator"), "get_validator")
        for minor in NOTEBOOK_MINORS:
            get_validator(version=4, version_minor=minor)
    except Exception:  # noqa: BLE001 - another nbformat: each child compiles its own
        pass
    from refnn.grading import warm

    warm.install_digest_memo()
    warm.CAPTURE = warm.Capture(on=capture, wanted=wanted, processes=max(1, processes))
    runner.run(None, [*pytest_args(request), "--collect-only", "-q", "-p", "refnn.grading.warm"],
               properties=props, quiet=True)
    warm.freeze()
    _PREPARED[key] = time.monotonic() - t0
    return _PREPARED[key]


# ------------------------------------------------------------------------------------ the pool

CAPTURE_MIN_PER_WORKER = 4
"""A batch captures examples for replay (:func:`prepare`) when it has more than this many
submissions per worker: the capture costs the parent ~4 s once and saves each child ~1 s (CPU),
so a few submissions are judged sooner without it."""


@dataclass
class _Child:
    index: int
    spec: str
    pid: int
    fd: int
    started: float
    deadline: float
    reader: Reader = field(default_factory=Reader)
    records: dict[str, PropertyRecord] = field(default_factory=dict)
    final: list[PropertyRecord] | None = None
    exit_code: int | None = None
    cpu: float = 0.0
    current: str = ""
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    defines: tuple[str, ...] | None = None
    applied: dict[str, str] = field(default_factory=dict)
    rss: list[tuple[str, float]] = field(default_factory=list)
    in_call: bool = False
    loaded: bool = False
    """A property's body has run (so the submission was loaded)."""
    timed_out: bool = False
    flooded: bool = False
    eof: bool = False


EventHook = Callable[[int, dict[str, Any]], None]
"""Called in the parent with ``(submission index, event)`` for every event as it arrives."""


def _kill(child: _Child) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:  # no such group (it never got its own): the child alone
        pass
    try:
        os.kill(child.pid, signal.SIGKILL)
    except OSError:
        pass


def _handle(child: _Child, event: dict[str, Any]) -> None:
    kind = event["event"]
    if kind == "record":
        try:
            record = PropertyRecord.from_dict(dict(event["record"]))
        except (KeyError, TypeError, ValueError):
            child.reader.malformed += 1
            return
        child.records[record.nodeid] = record
        child.loaded = child.loaded or record.outcome != "skipped"
        rss = event.get("rss_mb")
        if isinstance(rss, (int, float)):
            child.rss.append((record.name, float(rss)))
    elif kind == "start":
        child.current = str(event.get("property", ""))
        child.in_call = False
    elif kind == "call":
        child.in_call = True
        child.loaded = True
    elif kind == "hello":
        child.applied = {str(k): str(v) for k, v in dict(event.get("applied", {})).items()}
    elif kind == "defines":
        child.defines = tuple(str(f) for f in event.get("functions", []))
    elif kind == "done":
        try:
            child.final = [PropertyRecord.from_dict(dict(r)) for r in event["records"]]
            child.exit_code = int(event["exit_code"])
        except (KeyError, TypeError, ValueError):
            child.reader.malformed += 1
    else:
        child.events[kind] = event


def _what(prop: str, function: str, before: str) -> str:
    if function:
        return f"while judging {function}" + (f" (in {prop})" if prop else "")
    if prop:
        return f"while judging {prop}"
    return before


def _growth(child: _Child) -> tuple[str, float]:
    """The property in which the child's resident memory grew most, and by how much (MB)."""
    best, grown, previous = "", 0.0, None
    for name, rss in child.rss:
        if previous is not None and rss - previous > grown:
            best, grown = name, rss - previous
        previous = rss
    return best, grown


def _ending(child: _Child, status: int, limits: Limits) -> Ending:
    stuck = child.events.get("stuck", {})
    before = ("while loading the submission" if child.applied else
              "before the judge started")
    prop = child.current
    if child.applied and not child.loaded and not child.in_call:
        prop = ""  # it ended while the suite was loading the submission
    function = str(stuck.get("function", ""))
    where = str(stuck.get("where", ""))
    if child.flooded:
        return Ending("flooded", f"stopped: it sent more than 64 MB to the judge "
                      f"{_what(prop, function, before)}", prop, function, where)
    if child.timed_out:
        return Ending("timeout", f"timed out after {limits.timeout:g} s "
                      f"{_what(prop, function, before)}", prop, function, where,
                      signal=signal.SIGKILL)
    memory = child.events.get("memory")
    if memory is not None:
        prop = str(memory.get("property", prop))
        function, where = str(memory.get("function", "")), str(memory.get("where", ""))
        text = (f"killed at the {limits.memory_mb} MB memory limit "
                f"{_what(prop, function, before)}")
        grew, mb = _growth(child)
        if grew and grew != prop and mb >= 32:
            text += f"; its memory grew most (+{mb:.0f} MB) while judging {grew}"
        return Ending("memory", text, prop, function, where, status=os.WEXITSTATUS(status)
                      if os.WIFEXITED(status) else None)
    fatal = child.events.get("fatal")
    if fatal is not None and child.final is None:
        error = str(fatal.get("error", "?"))
        if fatal.get("kind") == "usage":
            return Ending("usage", f"the judge could not run: {error}", prop)
        return Ending("judge_error", f"the judge failed inside this submission's process "
                      f"{_what(prop, function, before)}: {error}", prop, function, where)
    interrupted = child.events.get("interrupted")
    if interrupted is not None:
        prop = str(interrupted.get("property", prop))
        function = str(interrupted.get("function", "")) or function
        where = str(interrupted.get("where", "")) or where
        return Ending("interrupted", f"the submission raised "
                      f"{interrupted.get('exception', 'KeyboardInterrupt')} "
                      f"{_what(prop, function, before)}; the judging stopped there",
                      prop, function, where)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        desc = _SIGNALS.get(sig, "killed")
        if sig == signal.SIGXCPU:
            desc = f"CPU time limit ({int(limits.timeout) + 10} s)"
        return Ending("crashed", f"crashed ({name}: {desc}) {_what(prop, function, before)}",
                      prop, function, where, signal=sig)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    if child.final is not None and code == 0:
        return Ending("finished", status=0)
    return Ending("exited", f"the submission ended the judging process (exit status {code}) "
                  f"{_what(prop, function, before)}", prop, function, where, status=code)


def _result(child: _Child, status: int, limits: Limits) -> IsolatedResult:
    from refnn.conformance.recording import resolve_consequences

    ending = _ending(child, status, limits)
    if child.final is not None:
        records = child.final
    else:
        records = resolve_consequences(child.records.values())
    peak = max((rss for _, rss in child.rss), default=0.0)
    return IsolatedResult(spec=child.spec, records=tuple(records), ending=ending,
                          seconds=time.monotonic() - child.started,
                          pytest_exit=child.exit_code, defines=child.defines,
                          applied=child.applied, peak_rss_mb=peak, cpu_seconds=child.cpu)


def _spawn(index: int, spec: str, request: Any, limits: Limits,
           others: Sequence[int]) -> _Child:
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_fd)
            for fd in others:
                try:
                    os.close(fd)
                except OSError:
                    pass
            from refnn.grading.child import child_main

            child_main(spec, request, limits, write_fd, started)
        finally:
            os._exit(89)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    os.set_blocking(read_fd, False)
    return _Child(index, spec, pid, read_fd, started, started + limits.timeout)


def _drain(child: _Child, hook: EventHook | None) -> None:
    while not child.eof:
        try:
            data = os.read(child.fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            child.eof = True
            return
        if not data:
            child.eof = True
            return
        for event in child.reader.feed(data):
            _handle(child, event)
            if hook is not None:
                hook(child.index, event)
        if child.reader.flooded:
            child.flooded = True
            _kill(child)
            return


def judge_many(jobs: Sequence[tuple[str, Any]], limits: Limits = Limits(), workers: int = 1,
               on_event: EventHook | None = None,
               on_result: Callable[[int, IsolatedResult], None] | None = None,
               functions: Iterable[str] | None = None, capture: bool | None = None
               ) -> list[IsolatedResult]:
    """Judge every ``(spec, request)`` of ``jobs``, each in its own forked process, at most
    ``workers`` at a time; results in the order of ``jobs``.

    ``on_event`` sees every event as it arrives, ``on_result`` every result as it is complete;
    ``functions``: the graded functions, ``capture``: whether to capture examples for replay
    (:func:`prepare`; default: for a batch of more than :data:`CAPTURE_MIN_PER_WORKER`
    submissions per worker).
    """
    if not hasattr(os, "fork"):
        raise RuntimeError("refnn grade needs os.fork (a POSIX system)")
    if workers < 1:
        raise ValueError(f"workers: expected a number >= 1, got {workers!r}")
    for _, request in jobs[:1]:
        if capture is None:
            capture = len(jobs) > CAPTURE_MIN_PER_WORKER * workers
        prepare(request, functions, capture=capture, processes=workers)
    queue = collections.deque(enumerate(jobs))
    running: dict[int, _Child] = {}
    results: dict[int, IsolatedResult] = {}
    selector = selectors.DefaultSelector()
    try:
        while queue or running:
            while queue and len(running) < workers:
                index, (spec, request) = queue.popleft()
                child = _spawn(index, spec, request, limits, [c.fd for c in running.values()])
                running[child.fd] = child
                selector.register(child.fd, selectors.EVENT_READ, child)
            now = time.monotonic()
            wait = min([c.deadline - now for c in running.values()] + [0.1])
            for key, _ in selector.select(max(0.0, wait)):
                child = key.data
                _drain(child, on_event)
                if child.eof:
                    selector.unregister(child.fd)
            now = time.monotonic()
            for fd, child in list(running.items()):
                if now >= child.deadline and not child.timed_out:
                    child.timed_out = True
                    _kill(child)
                try:
                    peek = os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                except ChildProcessError:
                    peek = None
                if peek is None:
                    continue
                _kill(child)  # its process group: whatever it started
                _, status, usage = os.wait4(child.pid, 0)
                child.cpu = usage.ru_utime + usage.ru_stime
                _drain(child, on_event)
                if fd in selector.get_map():  # (the drain just above may have reached EOF)
                    selector.unregister(fd)
                os.close(fd)
                del running[fd]
                result = _result(child, status, limits)
                results[child.index] = result
                if on_result is not None:
                    on_result(child.index, result)
    finally:
        for child in running.values():
            _kill(child)
            try:
                os.waitpid(child.pid, 0)
            except ChildProcessError:
                pass
            os.close(child.fd)
        selector.close()
    return [results[i] for i in range(len(jobs))]


def judge_isolated(spec: str, request: Any, limits: Limits = Limits(),
                   on_event: EventHook | None = None) -> IsolatedResult:
    """Judge one target (``spec``: a path or a dotted module; it replaces ``request.target``) with
    ``request`` (:class:`refnn.conformance.conform.Request`) in its own process under ``limits``.

    The result holds the records received and how the process ended; a usage problem of the
    request (no property matched, an unknown tier) ends it as ``usage``.
    """
    return judge_many([(spec, request)], limits, 1, on_event=on_event)[0]


__all__ = ["Ending", "EventHook", "IsolatedResult", "judge_isolated", "judge_many", "prepare"]
