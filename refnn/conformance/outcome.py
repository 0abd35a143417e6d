"""The one outcome record of the conformance suite, and the exceptions that classify a failure.

Every property's result is recorded once, as data (:class:`PropertyRecord`), by the plugin; the
terminal table, the JSON report, the catalog runner and anything built later (grading, the
frameworks matrix) *format* that record and never re-parse text.

Outcome classes (:data:`OUTCOMES`), by cause rather than by exception type:

===============  ==========================================================================
``passed``       the property ran and the target kept the rule
``broken``       the target broke the rule (a root cause: no broken rule it depends on explains it)
``consequence``  the property failed, but a rule it depends on (docs/SPEC.md, "depends on") is broken
                 too: reported as that rule's consequence, not as another broken rule
``unfinished``   the function is an unfilled template (``None`` where code belongs,
                 ``# YOUR CODE HERE``, a cell that does not parse because it is unfinished)
``portability``  code written for an older NumPy/Python (``np.int``, NumPy-2 changes, Python 2
                 syntax): the line and the one-line fix
``environment``  the target's environment: a helper module or data file is missing
``not_judged``   the function is not the learner's: code the course hands out, or refnn's stand-in
                 for a helper module (never counted for or against the learner)
``skipped``      the target does not provide the function (or the topic)
``suite_error``  the suite itself failed (a bug in refnn, never the target's fault)
===============  ==========================================================================

A property raises one of the :class:`TargetProblem` subclasses (through
:meth:`refnn.conformance.judge.TargetFunction.call`) or a
:class:`refnn.conformance.judge.RuleViolation`; the plugin turns that into the record.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Final, Literal

import pytest

OutcomeClass = Literal[
    "passed", "broken", "consequence", "unfinished", "portability", "environment",
    "not_judged", "skipped", "suite_error",
]
OUTCOMES: Final[tuple[OutcomeClass, ...]] = (
    "passed", "broken", "consequence", "unfinished", "portability", "environment",
    "not_judged", "skipped", "suite_error",
)
"""Every outcome class, in the order reports list them."""

FAILING: Final[frozenset[str]] = frozenset({"broken", "unfinished", "portability", "environment",
                                            "suite_error"})
"""Outcomes that make a run fail (a consequence fails the run through its root cause)."""

TARGET_PROBLEMS: Final[tuple[OutcomeClass, ...]] = ("unfinished", "portability", "environment")

LABELS: Final[dict[str, str]] = {
    "passed": "passed",
    "broken": "broken rule",
    "consequence": "consequence of a broken rule",
    "unfinished": "unfinished code",
    "portability": "portability (runs on an older NumPy/Python)",
    "environment": "environment (not a broken rule)",
    "not_judged": "not judged (not the learner's code)",
    "skipped": "skipped",
    "suite_error": "suite error (a bug in refnn)",
}
"""How each outcome class is named in reports (the one place that spells them)."""


class TargetProblem(Exception):
    """The target could not be judged for a reason that is not a broken rule.

    Attributes:
        kind: the outcome class (``environment``, ``portability`` or ``unfinished``).
        hint: the one-line fix or explanation ("np.int was removed in NumPy 1.24; use int").
        where: ``file:line`` (or ``notebook [code cell N]:line``) of the cause, when known.
        function: the target function concerned, when known.
    """

    kind: ClassVar[OutcomeClass] = "environment"

    def __init__(self, message: str, *, hint: str = "", where: str = "",
                 function: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where
        self.function = function

    def __str__(self) -> str:
        text = self.message
        if self.where:
            text += f"\n  at {self.where}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class TargetEnvironmentError(TargetProblem):
    """A helper module, a name a helper module should provide, or a data file is missing."""

    kind: ClassVar[OutcomeClass] = "environment"


class PortabilityProblem(TargetProblem):
    """Code written for another NumPy or Python (``np.int``, a NumPy-2 change, ``print x``)."""

    kind: ClassVar[OutcomeClass] = "portability"


class UnfinishedCode(TargetProblem):
    """A function left as the course's template (``None`` placeholders, ``# YOUR CODE HERE``)."""

    kind: ClassVar[OutcomeClass] = "unfinished"


class NotJudged(pytest.skip.Exception):  # type: ignore[misc, name-defined]
    """Raised (like :func:`pytest.skip`) when a property's function is not the learner's.

    ``reason`` says whose it is: ``"given"`` (code the course hands out) or ``"stand-in"``
    (refnn's stand-in for a course helper module).
    """

    def __init__(self, message: str, *, function: str, whose: str, note: str = "") -> None:
        super().__init__(msg=message)
        self.function = function
        self.whose = whose
        self.note = note


@dataclass(frozen=True)
class PropertyRecord:
    """One property's outcome, recorded once by the plugin (JSON-serializable with :meth:`to_dict`).

    Attributes:
        nodeid: ``properties/test_l2.py::test_…[…]``, relative to the suite's folder (stable
            wherever the run starts).
        name: the test function's name (with its parameters).
        rules: the rule ids the property cites (docs/SPEC.md).
        topic: the lecture topic of its first rule (SPEC.md's section).
        outcome: the outcome class (:data:`OUTCOMES`).
        functions: the target functions the property judged.
        summary: the evidence on one line (never cut inside a number).
        message: the whole learner-facing report.
        expected, actual: the compared values as text, when the failure is a comparison.
        counterexample: Hypothesis's minimal failing example, as it printed it.
        repro: a short runnable snippet that reproduces the failure.
        hint: the likely cause, where the suite knows the shape of the mistake.
        caused_by: for a ``consequence``, the broken rules that explain it.
        seconds: the property's run time.
    """

    nodeid: str
    name: str
    rules: tuple[str, ...]
    topic: str
    outcome: OutcomeClass
    functions: tuple[str, ...] = ()
    summary: str = ""
    message: str = ""
    expected: str = ""
    actual: str = ""
    counterexample: str = ""
    repro: str = ""
    hint: str = ""
    caused_by: tuple[str, ...] = ()
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> bool:
        return self.outcome in FAILING

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["rules"] = list(self.rules)
        doc["functions"] = list(self.functions)
        doc["caused_by"] = list(self.caused_by)
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> PropertyRecord:
        values = dict(doc)
        for key in ("rules", "functions", "caused_by"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)
