"""Calling the target and judging what comes back: the suite's one place for failure messages.

Every property calls the target through :meth:`TargetFunction.call`, which

* gives the target copies of its arguments (a target that writes into its inputs cannot corrupt the
  property's data), unless the property asks to see the writes;
* stops a call that does not return within :data:`CALL_TIMEOUT` seconds (``SIGALRM``, on the main
  thread of POSIX systems), and never calls a function that hung before again;
* turns an exception raised by the target into a :class:`RuleViolation` ("raised ..."), unless its
  cause is not a broken rule (:func:`refnn.conformance.causes.classify`): an unfinished template
  (:class:`~refnn.conformance.outcome.UnfinishedCode`), code for an older NumPy/Python
  (:class:`~refnn.conformance.outcome.PortabilityProblem`: ``np.int``, a NumPy-2 change, a Python 2
  builtin) or a missing helper module or data file
  (:class:`~refnn.conformance.outcome.TargetEnvironmentError`);
* remembers the last call of each function (its argument values), so that a failing property can
  end with a snippet that reproduces it (:func:`repro_snippet`; :func:`reset_calls` at each
  property's start);
* checks the returned value against a :class:`Spec` — type, length, keys, shape, NaN — and
  returns it normalized (``float64`` arrays, ``float`` scalars).

Values are then compared with :func:`check_close` / :func:`check` / :func:`check_statistic`, which
raise :class:`RuleViolation` with the expected and the actual values (also as attributes, at full
precision: :attr:`RuleViolation.expected`, :attr:`~RuleViolation.actual`, the constant factor
:attr:`~RuleViolation.ratio`, the statistical :attr:`~RuleViolation.evidence`). No message cuts a
number. The plugin prefixes each message
with the rule(s) the property checks, and Hypothesis adds its minimal counterexample.
"""

from __future__ import annotations

import copy as copy_module
import inspect
import math
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, NoReturn

import numpy as np
from numpy.typing import NDArray

from refnn.conformance import causes
from refnn.conformance.outcome import (
    PortabilityProblem,
    TargetProblem,
    UnfinishedCode,
)
from refnn.conformance.repro import record_call, repro_snippet, reset_calls
from refnn.conformance.specs import (
    Anything,
    Array,
    Dict,
    Malformed,
    Scalar,
    Spec,
    Strings,
    Tuple,
    describe,
    format_array,
    full_text,
)

FloatArray = NDArray[np.float64]

CALL_TIMEOUT = 20.0
"""Seconds one call of a target function may take (the plugin's ``--refnn-target-timeout``)."""


class RuleViolation(AssertionError):
    """The target broke a rule: it raised, returned something malformed, or returned wrong values.

    The attributes are empty (``None``) when the failure is not a comparison.

    Attributes:
        what: what was compared ("dW1 of backward_propagation_with_regularization(λ=0.7)").
        expected: the expected value as text, at full precision (``repr`` of each float).
        actual: the target's value, likewise.
        ratio: the constant factor ``actual / expected`` wherever ``expected ≠ 0``, when there is
            one (``2.0`` for a doubled gradient, ``0.5`` for λ/(2m) written λ/m inverted, …).
        evidence: the statistical test behind the failure (:func:`check_statistic`).
        hint: the likely cause, when the suite knows it.
        rule: the rule the failure breaks when it is not the property's own (a malformed return
            value breaks the rule of the protocol that shapes it: a non-0/1 mask, DROP-1).
    """

    def __init__(self, message: str, *, what: str = "", expected: str = "", actual: str = "",
                 ratio: float | None = None, evidence: Evidence | None = None,
                 hint: str = "", rule: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.what = what
        self.expected = expected
        self.actual = actual
        self.ratio = ratio
        self.evidence = evidence
        self.hint = hint


TargetEnvironmentError = TargetProblem
"""Kept for the plugin: any :class:`~refnn.conformance.outcome.TargetProblem` (environment,
portability, unfinished — never a broken rule). New code names the outcome classes."""

__all__ = [
    "CALL_TIMEOUT", "Anything", "Array", "Dict", "Evidence", "PortabilityProblem",
    "RuleViolation", "Scalar", "Spec", "Strings", "TargetEnvironmentError", "TargetFunction",
    "TargetProblem", "Tuple", "UnfinishedCode", "check", "check_close", "check_statistic",
    "describe", "fail", "format_array", "repro_snippet", "reset", "reset_calls",
]


class _CallTimeout(BaseException):
    """Raised by the alarm inside a target call (a ``BaseException``: ``except Exception`` in the
    target does not swallow it)."""


_HUNG: dict[int, str] = {}
"""Functions (by ``id``) that did not return in time, with the call that hung."""


def _fail_call(message: str, cause: BaseException | None = None, *, what: str = "",
               hint: str = "", rule: str = "") -> NoReturn:
    """Raise the :class:`RuleViolation` about a call. Every such failure is raised here, so that
    Hypothesis sees one origin for them (a hang, then fast failures of the same function, is one
    bug, not a flaky test)."""
    error = RuleViolation(message + (f"\n  hint: {hint}" if hint else ""), what=what, hint=hint,
                          rule=rule)
    error.__cause__ = cause
    error.__suppress_context__ = True
    raise error


def reset() -> None:
    """Forget which functions hung (the plugin calls this at the start of every session)."""
    _HUNG.clear()


# ------------------------------------------------------------------------------------- calling


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0  # nobody else (pytest-timeout) armed it
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise _CallTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0.0)
        signal.signal(signal.SIGALRM, previous)


def _copy_arg(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy_arg(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_copy_arg(v) for v in value)
    if isinstance(value, list):
        return [_copy_arg(v) for v in value]
    return copy_module.copy(value) if isinstance(value, (set, bytearray)) else value


def _target_frames(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "refnn/conformance" not in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    shown = frames[-3:]
    return "\n".join(f"    {f.filename}:{f.lineno} in {f.name}: {(f.line or '').strip()}"
                     for f in shown)


@dataclass(frozen=True)
class TargetFunction:
    """A function of the target, called through :meth:`call`."""

    name: str
    func: Callable[..., Any]
    timeout: float = field(default=CALL_TIMEOUT)

    def call_text(self, args: Sequence[object], kwargs: Mapping[str, object]) -> str:
        """``name(arg=description, …)`` with the target's own argument names where known."""
        parts: list[str] = []
        try:
            bound = inspect.signature(self.func).bind_partial(*args, **kwargs)
            parts = [f"{k}={describe(v)}" for k, v in bound.arguments.items()]
        except (TypeError, ValueError):
            parts = [describe(a) for a in args] + [f"{k}={describe(v)}" for k, v in kwargs.items()]
        return f"{self.name}({', '.join(parts)})"

    def call(self, *args: Any, expect: Spec | None = None, copy: bool = True,
             **kwargs: Any) -> Any:
        """Call the target's function; return its result, validated against ``expect``.

        Raises:
            RuleViolation: it raised, hung, or returned something that does not match ``expect``.
            TargetProblem: it raised (or returned nothing) for a cause that is not a broken rule
                (:mod:`refnn.conformance.causes`: unfinished, portability, environment).
        """
        key = id(self.func)
        record_call(self.name, self.func, args, kwargs)
        if key in _HUNG:
            _fail_call(f"{self.call_text(args, kwargs)} was not called: {self.name} did not "
                       f"return within {self.timeout:g} s earlier in this run ({_HUNG[key]})")
        call_args = [_copy_arg(a) for a in args] if copy else list(args)
        call_kwargs = {k: _copy_arg(v) for k, v in kwargs.items()} if copy else dict(kwargs)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with _time_limit(self.timeout):
                    result = self.func(*call_args, **call_kwargs)
            except _CallTimeout:
                text = self.call_text(args, kwargs)
                _HUNG[key] = text
                _fail_call(
                    f"{text} did not return within {self.timeout:g} s (the suite's per-call limit, "
                    "--refnn-target-timeout); later calls of it in this run are skipped and fail"
                )
            except TargetProblem:
                raise  # a stand-in for a function that could not be loaded (refnn.notebook)
            except (Exception, SystemExit) as exc:
                text = self.call_text(args, kwargs)
                frames = _target_frames(exc)
                where = f"\n  raised at:\n{frames}" if frames else ""
                noted = "".join(f"\n  warning: {w.category.__name__}: {w.message}"
                                for w in caught[:3])
                cause = causes.classify(exc, function=self.name, func=self.func)
                if isinstance(cause, TargetProblem):
                    cause.message = (f"{cause.message}\n  (the call: {text} raised "
                                     f"{type(exc).__name__}: {exc}){where}")
                    cause.function = cause.function or self.name
                    cause.args = (str(cause),)  # reports that print args[0] show place and hint
                    raise cause from exc
                _fail_call(f"{text} raised {type(exc).__name__}: {exc}{where}{noted}", exc,
                           what=text, hint=cause or "")
        if expect is None:
            return result
        try:
            return expect.validate(result, "the value returned")
        except Malformed as bad:
            self._unfinished(f"{self.call_text(args, kwargs)}: {bad.where} {bad.problem}")
            _fail_call(f"{self.call_text(args, kwargs)}: {bad.where} {bad.problem}",
                       what=self.call_text(args, kwargs), rule=bad.rule)

    def _unfinished(self, problem: str) -> None:
        """Raise :class:`UnfinishedCode` when the function that returned something malformed is
        still the course's template."""
        code = getattr(getattr(self.func, "__wrapped__", self.func), "__code__", None)
        if code is None:
            return
        left = causes.template_left(code)
        if left is not None:
            error = UnfinishedCode(f"{self.name}() is unfinished: {left.reason} ({problem})",
                                   where=f"{code.co_filename}:{left.line}", function=self.name,
                                   hint="fill in the code between '# YOUR CODE STARTS HERE' and "
                                        "'# YOUR CODE ENDS HERE'")
            error.args = (str(error),)
            raise error


# ---------------------------------------------------------------------------------- comparisons


def fail(message: str) -> None:
    """Raise a :class:`RuleViolation` with ``message``."""
    raise RuleViolation(message)


def check(condition: bool | np.bool_, message: str | Callable[[], str]) -> None:
    """Raise a :class:`RuleViolation` unless ``condition`` holds (``message`` may be lazy)."""
    if not condition:
        raise RuleViolation(message() if callable(message) else message)


def constant_ratio(actual: FloatArray, expected: FloatArray) -> float | None:
    """The factor ``r ≠ 1`` with ``actual = r · expected`` wherever ``expected ≠ 0`` (to 1e-6), or
    ``None`` when there is none."""
    nz = (np.abs(expected) > 1e-12) & (np.abs(actual) > 1e-12)
    if nz.sum() < 1 or nz.sum() != np.count_nonzero(np.abs(expected) > 1e-12):
        return None
    ratios = actual[nz] / expected[nz]
    r = float(np.median(ratios))
    if np.allclose(ratios, r, rtol=1e-6) and not math.isclose(r, 1.0, rel_tol=1e-6):
        return r
    return None


def _ratio_hint(ratio: float | None) -> str:
    return "" if ratio is None else f" (actual = {ratio:.6g} × expected wherever expected ≠ 0)"


def check_close(actual: object, expected: object, what: str, *, rtol: float = 1e-7,
                atol: float = 1e-10) -> None:
    """Raise a :class:`RuleViolation` unless ``|actual − expected| ≤ atol + rtol·|expected|``.

    The message gives ``what``, the expected and actual values, the worst entry and, when the two
    differ by a constant factor, that factor (``λ/m`` for ``λ/(2m)``, a sum for a mean, …).
    """
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if a.shape != e.shape:
        raise RuleViolation(f"{what}: expected shape {e.shape}, got shape {a.shape}", what=what,
                            expected=f"shape {e.shape}", actual=f"shape {a.shape}")
    bad = ~(np.abs(a - e) <= atol + rtol * np.abs(e))
    if not bad.any():
        return
    ratio = constant_ratio(a, e)
    hint = _ratio_hint(ratio)
    fields: dict[str, Any] = {"what": what, "expected": full_text(e), "actual": full_text(a),
                              "ratio": ratio}
    if e.ndim == 0:
        raise RuleViolation(f"{what}:\n  expected {format_array(e, 17)}\n  actual   "
                            f"{format_array(a, 17)}{hint}", **fields)
    worst = np.unravel_index(int(np.argmax(np.where(bad, np.abs(a - e), -1.0))), e.shape)
    idx = tuple(int(i) for i in worst)
    raise RuleViolation(
        f"{what}: {int(bad.sum())} of {e.size} entries differ{hint}; worst at index {idx}: "
        f"expected {float(e[idx])!r}, actual {float(a[idx])!r}"
        f"\n  expected {format_array(e)}\n  actual   {format_array(a)}", **fields
    )


@dataclass(frozen=True)
class Evidence:
    """The outcome of one statistical test (built by :mod:`refnn.conformance.significance`)."""

    what: str
    """What was tested, e.g. "keep rate of D1 at keep_prob=0.25"."""
    test: str
    """The scipy.stats test and its null hypothesis."""
    observed: str
    expected: str
    pvalue: float
    alpha: float
    alternative: str
    """The named alternative the test is sized against, with its power."""

    @property
    def rejected(self) -> bool:
        return self.pvalue < self.alpha


def check_statistic(evidence: Evidence) -> None:
    """Raise a :class:`RuleViolation` when the test rejects its null hypothesis."""
    if evidence.rejected:
        raise RuleViolation(
            f"{evidence.what}: expected {evidence.expected}, observed {evidence.observed}\n"
            f"  {evidence.test}: p = {evidence.pvalue!r} < α = {evidence.alpha!r} "
            f"(false-alarm rate α; sized for {evidence.alternative})",
            what=evidence.what, expected=evidence.expected, actual=evidence.observed,
            evidence=evidence,
        )
