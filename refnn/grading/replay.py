"""Replaying each property's examples in a judging child, without Hypothesis, when they all pass.

Under the derandomized ``ci`` profile every judging child generates the same examples for a
property as long as the property's outcome on each example is the same: Hypothesis's engine is
seeded from the property (:mod:`refnn.grading.warm`) and decides what to try next from the
choices it drew and from each example's *status* only — valid (the body returned), invalid
(``assume`` failed) or interesting (it raised). Generating those examples (the engine, its
mutations and the strategies' draws) costs about three times as much as running the bodies on
them, in every child again.

So the prepared parent generates them once (:func:`capture_sequences`, from its collection run):
Hypothesis runs each property with a body that records a copy of the example, then runs the real
body against a *capture subject* — a stand-in for the ``target`` fixture whose functions end the
example as soon as the body would call the learner's code (as the preflight's probe does,
:mod:`refnn.grading.preflight`). An example is recorded as *rejected* when the body's ``assume``
failed before it reached the learner's code (the condition depends on the example alone), and
*valid* otherwise. A property whose body raised anything else, drew interactively
(``st.data()``), takes positional draws or has explicit ``@example`` cases is not captured.

A judging child (:func:`replay`) then runs the property's body on a copy of each recorded example,
in order, with the real subject, under Hypothesis's per-example PRNG seeding
(``deterministic_PRNG``): every recorded-valid example must return ``None`` and every
recorded-rejected one must fail its ``assume``. If so, each example had the status the parent's
run gave it, so Hypothesis's own run would have generated exactly this sequence and ended in a
pass: the property passed. On anything else — a failure, a skip, an exception of any kind, a
rejection where the parent saw none (an ``assume`` on the learner's results), a hang — the replay
leaves no trace (the judged-function list and the recorded calls are restored) and the property
runs under Hypothesis as usual, which finds, shrinks and reports the failure itself. The replay
never decides anything but a pass that Hypothesis would have reached on the same examples.

The recorded examples live in the parent's memory and reach each child by the fork; a
submission can change its own child's copy only.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import pickle
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from refnn.grading.preflight import _ProbeStop, _stopped, given_free_names, hypothesis_handle


@dataclass(frozen=True)
class Example:
    """One example Hypothesis passed to a property's body in the parent's capture run."""

    drawn: dict[str, Any]
    """The keyword arguments Hypothesis drew (fixtures excluded), as a private copy."""
    rejected: bool
    """The body's ``assume`` failed before it reached the learner's code."""


SEQUENCES: dict[str, tuple[Example, ...]] = {}
"""node id → the property's examples, in Hypothesis's order (the parent's capture)."""

TARGET_FIXTURE = "target"
"""The only fixture a property may take to be captured (the suite's ``target`` fixture)."""


class _Abort(pytest.skip.Exception):  # type: ignore[misc, name-defined]
    """Ends a capture run that cannot be used (Hypothesis re-raises skips as they are, without
    shrinking)."""


def _never(*_args: Any, **_kwargs: Any) -> Any:
    raise _ProbeStop


class _Unwanted(BaseException):
    """The property judges a function outside the capture's ``wanted`` set."""


class _CaptureSubject:
    """Stands in for the ``target`` fixture in the capture run: every protocol function exists
    and is the learner's, and any use of one (or of anything else of the target's) ends the
    example as *valid* — the parent never runs target code. With ``wanted``, judging a function
    outside it (:meth:`require`) ends the capture of the property (no submission of the class
    is graded on it: not worth capturing)."""

    spec = "<capture>"

    def __init__(self, wanted: frozenset[str] | None = None) -> None:
        self._wanted = wanted

    def __repr__(self) -> str:
        return "<target capture>"

    def _fn(self, name: str) -> Any:
        from refnn.conformance.judge import TargetFunction

        return _stopped(TargetFunction(name, _never))

    def _judged(self, name: str) -> Any:
        if self._wanted is not None and name not in self._wanted:
            raise _Unwanted(name)
        return self._fn(name)

    def get(self, name: str, kind: Any = None) -> Any:
        return self._fn(name)

    def helper(self, name: str, kind: Any = None) -> Any:
        return self._fn(name)

    def require(self, name: str, kind: Any = None) -> Any:
        return self._judged(name)

    def require_scalar_pair(self) -> Any:
        return (self._judged("forward_propagation"), self._judged("backward_propagation"),
                self.spec)

    def helper_scalar_pair(self) -> Any:
        return self.require_scalar_pair()

    def __getattr__(self, name: str) -> Any:  # module, loaded, namespace, whose, …: stop
        raise _ProbeStop


@contextlib.contextmanager
def outside_hypothesis() -> Iterator[None]:
    """Run a property's body on one example as Hypothesis would — its per-example seeding of the
    global random streams (``deterministic_PRNG``) — but outside its run: ``assume`` raises as
    usual (Hypothesis deprecates calling it there; that one warning is silenced), while
    ``note``, ``event`` and ``target`` raise (no build context), which ends a replay or probe
    (they record into, or steer, the run the replay stands in for)."""
    from hypothesis.errors import HypothesisDeprecationWarning
    from hypothesis.internal.entropy import deterministic_PRNG

    with warnings.catch_warnings(), deterministic_PRNG():
        warnings.filterwarnings("ignore", message="Using `assume` outside a property-based test",
                                category=HypothesisDeprecationWarning)
        yield


def _is_data_object(value: Any) -> bool:
    return type(value).__name__ == "DataObject"


def _digest_key(item: pytest.Item) -> bytes | None:
    """The key Hypothesis's pytest plugin adds to a parametrized property's digest (its seed)."""
    return item.nodeid.encode() if hasattr(item, "callspec") else None


def _capture_one(item: pytest.Item, wanted: frozenset[str] | None = None
                 ) -> tuple[Example, ...] | None:
    from hypothesis.errors import UnsatisfiedAssumption

    handle = hypothesis_handle(item)
    wrapped = getattr(item, "obj", None)
    if handle is None or not callable(wrapped) or getattr(
            wrapped, "hypothesis_explicit_examples", None):
        return None
    names = given_free_names(item)
    callspec = getattr(item, "callspec", None)
    params = dict(callspec.params) if callspec is not None else {}
    if names is None or any(n != TARGET_FIXTURE and n not in params for n in names):
        return None
    given = {n: None if n == TARGET_FIXTURE else params[n] for n in names}
    inner = handle.inner_test
    seen: list[Example] = []
    usable = [True]

    def recorder(*args: Any, **kwargs: Any) -> None:
        drawn = {k: v for k, v in kwargs.items() if k not in names}
        if args or any(_is_data_object(v) for v in drawn.values()):
            usable[0] = False
            raise _Abort("not replayable: positional or interactive draws")
        try:
            kept = copy.deepcopy(drawn)
        except Exception:  # noqa: BLE001 - not copyable: not replayable
            usable[0] = False
            raise _Abort("not replayable: the example cannot be copied") from None
        body_kwargs = {**drawn, **given}
        if TARGET_FIXTURE in body_kwargs:
            body_kwargs[TARGET_FIXTURE] = _CaptureSubject(wanted)
        try:
            inner(**body_kwargs)
        except _ProbeStop:
            pass
        except UnsatisfiedAssumption:
            seen.append(Example(kept, True))
            raise
        except BaseException:  # noqa: BLE001 - a body the capture cannot run: not replayable
            usable[0] = False
            raise _Abort("not replayable: the body raised before reaching the target") from None
        seen.append(Example(kept, False))

    functools.update_wrapper(recorder, inner)
    key = _digest_key(item)
    if key is not None:
        setattr(recorder, "_hypothesis_internal_add_digest", key)
    handle.inner_test = recorder
    try:
        wrapped(**given)
    except BaseException:  # noqa: BLE001 - (an _Abort, a health check, …): not replayable
        return None
    finally:
        handle.inner_test = inner
    return tuple(seen) if usable[0] and seen else None


def capture_sequences(items: list[pytest.Item], wanted: frozenset[str] | None = None,
                      processes: int = 1) -> int:
    """Fill :data:`SEQUENCES` for every replayable Hypothesis property among ``items`` (in the
    prepared parent, inside its collection run, under the profile of the children's runs);
    returns how many. Only a derandomized profile is captured (otherwise every run draws its
    own examples). ``wanted``: capture only the properties that judge none but these functions
    (the graded ones; ``None``: all). ``processes`` > 1: a forked helper captures every other
    property at the same time (:func:`_helper`; it runs refnn's suite only, never a submission)
    and hands its sequences back pickled; whatever it cannot hand back is captured here."""
    from hypothesis import settings

    eligible = [item for item in items if getattr(
        getattr(getattr(item, "obj", None), "_hypothesis_internal_use_settings",
                settings.default), "derandomize", False)]
    helped = eligible[1::2] if processes > 1 and len(eligible) > 1 else []
    helper = _helper(helped, wanted) if helped else None
    if helper is None:
        helped = []
    found: dict[str, tuple[Example, ...]] = {}
    for item in eligible:
        if item not in helped:
            sequence = _capture_one(item, wanted)
            if sequence is not None:
                found[item.nodeid] = sequence
    if helper is not None:
        handed = _collect(*helper)
        for item in helped:
            if item.nodeid in handed:
                found[item.nodeid] = handed[item.nodeid]
            elif item.nodeid not in handed.get("", ()):  # ("": the ones it found unreplayable)
                sequence = _capture_one(item, wanted)
                if sequence is not None:
                    found[item.nodeid] = sequence
    SEQUENCES.update({i.nodeid: found[i.nodeid] for i in eligible if i.nodeid in found})
    _forget_global_random()
    return len(found)


def _helper(items: list[pytest.Item], wanted: frozenset[str] | None) -> tuple[int, int] | None:
    """Fork a process that captures ``items`` and writes ``{node id: sequence}`` (and, under
    ``""``, the node ids it found unreplayable) pickled to a pipe; ``(pid, read end)``, or
    ``None`` where it cannot fork."""
    if not hasattr(os, "fork"):
        return None
    try:
        read, write = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the helper: capture, hand back, end (no pytest teardown, no atexit)
        status = 1
        try:
            os.close(read)
            out: dict[str, Any] = {"": []}
            for item in items:
                sequence = _capture_one(item, wanted)
                if sequence is None:
                    out[""].append(item.nodeid)
                    continue
                try:
                    pickle.dumps(sequence)
                except Exception:  # noqa: BLE001 - not picklable: the parent captures it
                    continue
                out[item.nodeid] = sequence
            data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write, view):]
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> dict[str, Any]:
    """What the helper handed back (empty when it failed: the parent captures its share)."""
    chunks: list[bytes] = []
    try:
        while True:
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if status != 0:
        return {}
    try:
        handed = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001
        return {}
    return handed if isinstance(handed, dict) else {}


def _forget_global_random() -> None:
    import hypothesis.core

    # (the runs above may have created Hypothesis's process-wide Random; forget it, so that each
    # child creates its own as before)
    local = getattr(hypothesis.core, "threadlocal", None)
    if local is not None and hasattr(local, "_hypothesis_global_random"):
        local._hypothesis_global_random = None


def replay(item: pytest.Item) -> bool | BaseException:
    """Run ``item``'s recorded examples on the real target.

    Returns:
        ``True`` when every example had the status the capture gave it (the property passed, as
        Hypothesis's run would have); the skip (a ``pytest.skip`` exception, e.g.
        :class:`~refnn.conformance.outcome.NotJudged`) an example raised after every earlier one
        had its recorded status (Hypothesis re-raises a skip at once: the property's outcome);
        ``False`` when the property must run under Hypothesis (nothing the replay did is kept).
    """
    sequence = SEQUENCES.get(item.nodeid)
    handle = hypothesis_handle(item)
    funcargs = getattr(item, "funcargs", None)
    names = given_free_names(item) if sequence is not None else None
    if sequence is None or handle is None or funcargs is None or names is None:
        return False
    if any(n not in funcargs for n in names):
        return False
    from hypothesis.errors import UnsatisfiedAssumption

    from refnn.conformance import judge
    from refnn.conformance import subject as subject_module

    fixtures = {n: funcargs[n] for n in names}
    judged = list(subject_module._JUDGED)
    inner = handle.inner_test
    try:
        for example in sequence:
            kwargs = {**copy.deepcopy(example.drawn), **fixtures}
            try:
                with outside_hypothesis():
                    result = inner(**kwargs)
            except UnsatisfiedAssumption:
                if example.rejected:
                    continue
                raise
            except pytest.skip.Exception as skipped:
                if isinstance(skipped, _Abort):
                    raise
                return skipped
            if example.rejected or result is not None:
                raise _ProbeStop
    except BaseException:  # noqa: BLE001 - anything but the recorded statuses: run Hypothesis
        subject_module._JUDGED[:] = judged
        judge.reset_calls()
        return False
    return True


__all__ = ["SEQUENCES", "Example", "capture_sequences", "replay"]
