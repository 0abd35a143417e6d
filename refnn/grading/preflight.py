"""Skipping a property before Hypothesis generates its examples, when its first example would skip.

Most properties of the suite judge functions a given submission does not have (a Regularization
notebook has no initializers): the property asks the :class:`~refnn.conformance.subject.Subject`
for the function inside its body, and the first example skips (``does not provide``) or is not
judged (:class:`~refnn.conformance.outcome.NotJudged`). Reaching that first example costs
Hypothesis's set-up and the draw of a whole network — about half of a skip-heavy submission's
time.

The first example Hypothesis runs does not depend on the target: with no explicit examples and no
example database (refnn's profiles have none) it is the *simplest* one (the all-minimal choice
sequence), whatever the seed. So:

* the prepared parent draws it once per property (:func:`capture_first_examples`, from the
  parent's collection run: Hypothesis runs the property with its body replaced by a recorder);
* each judging child (:func:`probe`) runs the property's body once on a copy of that example,
  before Hypothesis, with a :class:`_ProbeSubject` in place of the ``target`` fixture: it looks
  functions up exactly as the real subject does (the same skips, the same ``NotJudged``, the
  same judged-function list), but the functions it hands out stop the probe
  (:class:`_ProbeStop`) instead of running the learner's code, and so does anything else that
  would reach the learner's module.

Where the parent also captured the property's whole example sequence (:mod:`refnn.grading.replay`)
and the first example failed an ``assume`` there before reaching the target, the probe goes on to
the next example while the body keeps failing its ``assume`` the same way (Hypothesis would have
rejected those examples too, and drawn the same next one).

If the probe ends in a skip, that skip is the property's outcome — the body's path up to it ran no
code of the learner's and saw the same example as Hypothesis's first call would have, so the run
under Hypothesis would have ended in the same skip. Anything else (the probe reached a call of the
learner's code, raised, returned, used Hypothesis's ``assume``/``note``) leaves no trace and the
property runs under Hypothesis as usual. Properties with explicit ``@example`` cases, positional
draws or interactive ``st.data()`` draws are never probed.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import pytest

FIRST: dict[str, dict[str, Any]] = {}
"""node id → the keyword arguments of the property's first (simplest) Hypothesis example."""


class _ProbeStop(BaseException):
    """The probe reached something that would run the learner's code (not an ``Exception``: no
    ``except Exception`` in a property's body can swallow it)."""


class _Captured(pytest.skip.Exception):  # type: ignore[misc, name-defined]
    """Ends the parent's capture run at the first example (Hypothesis re-raises skips as is)."""


def _handle(item: pytest.Item) -> Any:
    return getattr(getattr(item, "obj", None), "hypothesis", None)


def _given_free_names(item: pytest.Item) -> list[str] | None:
    """The arguments pytest passes to the Hypothesis-wrapped property (fixtures, parameters)."""
    try:
        return list(inspect.signature(getattr(item, "obj")).parameters)
    except (TypeError, ValueError):
        return None


def _is_data_object(value: Any) -> bool:
    return type(value).__name__ == "DataObject"


def capture_first_examples(items: list[pytest.Item]) -> int:
    """Fill :data:`FIRST` for every probe-able Hypothesis property among ``items`` (in the
    prepared parent, inside its collection run); returns how many."""
    done = 0
    for item in items:
        handle = _handle(item)
        wrapped = getattr(item, "obj", None)
        if handle is None or getattr(wrapped, "hypothesis_explicit_examples", None):
            continue
        names = _given_free_names(item)
        if names is None:
            continue
        seen: list[dict[str, Any]] = []

        def recorder(*args: Any, **kwargs: Any) -> None:
            if not args:
                seen.append({k: v for k, v in kwargs.items() if k not in names})
            raise _Captured("first example captured")

        inner = handle.inner_test
        handle.inner_test = recorder
        try:
            assert callable(wrapped)
            wrapped(**{n: None for n in names})
        except _Captured:
            pass
        except Exception:  # noqa: BLE001 - a property that cannot be captured is not probed
            seen.clear()
        finally:
            handle.inner_test = inner
        if len(seen) == 1 and not any(_is_data_object(v) for v in seen[0].values()):
            try:
                FIRST[item.nodeid] = copy.deepcopy(seen[0])
            except Exception:  # noqa: BLE001 - not copyable: not probed
                continue
            done += 1
    import hypothesis.core

    # (the runs above created Hypothesis's process-wide Random; forget it, so that each child
    # creates its own as before, and unseeded profiles stay unseeded per child)
    local = getattr(hypothesis.core, "threadlocal", None)
    if local is not None and hasattr(local, "_hypothesis_global_random"):
        local._hypothesis_global_random = None
    return done


def _stopper(*_args: Any, **_kwargs: Any) -> Any:
    raise _ProbeStop


def _stopped(fn: Any) -> Any:
    """A copy of a :class:`~refnn.conformance.judge.TargetFunction` whose ``call`` and ``func``
    stop the probe (``None`` and other values pass through)."""
    from refnn.conformance.judge import TargetFunction

    if not isinstance(fn, TargetFunction):
        return fn
    out = copy.copy(fn)
    object.__setattr__(out, "func", _stopper)
    object.__setattr__(out, "call", _stopper)
    return out


class _ProbeSubject:
    """Stands in for the ``target`` fixture during a probe: the real subject's look-ups (and
    their skips), functions that stop the probe when used, nothing else."""

    def __init__(self, real: Any) -> None:
        self._real = real

    @property
    def spec(self) -> str:
        return str(self._real.spec)

    def __repr__(self) -> str:
        return repr(self._real)

    def get(self, name: str, kind: Any = None) -> Any:
        return _stopped(self._real.get(name, kind))

    def helper(self, name: str, kind: Any = None) -> Any:
        return _stopped(self._real.helper(name, kind))

    def require(self, name: str, kind: Any = None) -> Any:
        return _stopped(self._real.require(name, kind))

    def require_scalar_pair(self) -> Any:
        fwd, bwd, where = self._real.require_scalar_pair()
        return _stopped(fwd), _stopped(bwd), where

    def helper_scalar_pair(self) -> Any:
        fwd, bwd, where = self._real.helper_scalar_pair()
        return _stopped(fwd), _stopped(bwd), where

    def __getattr__(self, name: str) -> Any:  # module, loaded, namespace, whose, …: stop
        raise _ProbeStop


def probe(item: pytest.Item, subject: Any = None) -> BaseException | None:
    """The skip the property's first example ends in, found without Hypothesis and without
    running the learner's code; ``None`` when the probe cannot tell (then nothing it did is
    kept). ``subject``: the ``target`` fixture's value, for a probe before the item's set-up
    (default: the item's own fixtures)."""
    drawn = FIRST.get(item.nodeid)
    handle = _handle(item)
    if subject is None:
        funcargs = getattr(item, "funcargs", None)
    else:
        callspec = getattr(item, "callspec", None)
        funcargs = {**(dict(callspec.params) if callspec is not None else {}),
                    "target": subject}
    names = _given_free_names(item) if drawn is not None else None
    if drawn is None or handle is None or funcargs is None or names is None:
        return None
    if any(n not in funcargs for n in names):
        return None
    from hypothesis.errors import UnsatisfiedAssumption

    from refnn.conformance import judge
    from refnn.conformance import subject as subject_module
    from refnn.conformance.subject import Subject

    from refnn.grading.replay import SEQUENCES, outside_hypothesis

    fixtures = {n: _ProbeSubject(funcargs[n]) if isinstance(funcargs[n], Subject)
                else funcargs[n] for n in names}
    # the first example; past it, while the body keeps failing its assume before it reaches the
    # learner's code as it did in the parent's capture, the next ones (refnn.grading.replay)
    sequence = SEQUENCES.get(item.nodeid)
    examples = ([(e.drawn, e.rejected) for e in sequence] if sequence else [(drawn, False)])
    judged = list(subject_module._JUDGED)
    inner: Callable[..., Any] = handle.inner_test
    found: BaseException | None = None
    for example, rejected in examples:
        try:
            kwargs = {**fixtures, **copy.deepcopy(example)}
        except Exception:  # noqa: BLE001
            break
        try:
            with outside_hypothesis():
                inner(**kwargs)
        except pytest.skip.Exception as exc:
            found = exc
        except (KeyboardInterrupt, SystemExit):
            raise
        except UnsatisfiedAssumption:
            if rejected:
                continue  # rejected, as in the capture: Hypothesis goes on to the next example
        except BaseException:  # noqa: BLE001 - inconclusive (_ProbeStop, a failure, pytest.fail)
            found = None
        break
    if found is None:
        subject_module._JUDGED[:] = judged
    judge.reset_calls()
    return found


given_free_names = _given_free_names
hypothesis_handle = _handle

__all__ = ["FIRST", "capture_first_examples", "given_free_names", "hypothesis_handle", "probe"]
