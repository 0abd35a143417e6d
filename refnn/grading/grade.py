"""From one submission's :class:`~refnn.grading.isolate.IsolatedResult` to its grade: a verdict
(``pass`` | ``fail`` | ``error``) with its reason, a score out of the assignment's points, and a
result per rule.

Verdicts:

* ``error`` — the submission could not be judged to the end: its process did not finish (timed
  out, killed at the memory limit, crashed, exited, interrupted), the suite did not run to its end,
  nothing was judged (an empty file, or none of the graded functions), or the only failures are
  the environment's or the suite's. A person should look; the score counts what was judged.
* ``fail`` — judged, and a rule is broken or a function is unfinished or unportable.
* ``pass`` — judged, every property that judged the learner's code passed.

Everything is computed from the records (:class:`~refnn.conformance.outcome.PropertyRecord`); no
report text is parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from refnn.conformance import report, rules
from refnn.conformance.outcome import TARGET_PROBLEMS, PropertyRecord
from refnn.conformance.recording import root_rules
from refnn.grading.isolate import IsolatedResult
from refnn.grading.points import Assignment, Points

Verdict = Literal["pass", "fail", "error"]
RuleStatus = Literal["passed", "broken", "consequence", "unfinished", "portability",
                     "environment", "suite_error"]

_STATUS_ORDER: tuple[RuleStatus, ...] = ("unfinished", "portability", "broken", "suite_error",
                                         "environment", "consequence", "passed")


@dataclass(frozen=True)
class RuleResult:
    """One rule, as judged in one submission.

    Attributes:
        rule: the rule id; statement: its text (docs/SPEC.md).
        status: ``passed`` when every property citing it passed, else the worst outcome.
        functions: the learner's functions its properties judged.
        score, max_score: its share of those functions' points.
        output: the learner-facing report of its failing properties (evidence, likely cause,
            Hypothesis's counterexample, a snippet that reproduces it).
        caused_by: for a consequence, the root rules that explain it.
    """

    rule: str
    statement: str
    status: RuleStatus
    functions: tuple[str, ...]
    score: float
    max_score: float
    output: str
    caused_by: tuple[str, ...] = ()
    properties: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "statement": self.statement, "status": self.status,
                "functions": list(self.functions), "score": self.score,
                "max_score": self.max_score, "output": self.output,
                "caused_by": list(self.caused_by), "properties": self.properties}


@dataclass(frozen=True)
class SubmissionGrade:
    """One submission's grade (see the module's docstring for the verdicts)."""

    path: str
    verdict: Verdict
    reason: str
    score: float
    max_score: float
    rules_broken: tuple[str, ...]
    functions: dict[str, str]
    rules: tuple[RuleResult, ...]
    assignment: str
    ending: dict[str, Any]
    seconds: float
    records: tuple[PropertyRecord, ...] = ()
    defines: tuple[str, ...] | None = None
    hints: tuple[str, ...] = field(default_factory=tuple)
    cpu_seconds: float = 0.0
    """CPU time (user + system) of its judging process (0 where unknown)."""

    def to_dict(self, *, with_records: bool = False) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "path": self.path, "verdict": self.verdict, "reason": self.reason,
            "score": self.score, "max_score": self.max_score,
            "rules_broken": list(self.rules_broken), "assignment": self.assignment,
            "functions": dict(self.functions), "hints": list(self.hints),
            "rules": [r.to_dict() for r in self.rules], "ending": dict(self.ending),
            "seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
            "defines": list(self.defines) if self.defines is not None else None,
        }
        if with_records:
            doc["records"] = [r.to_dict() for r in self.records]
        return doc


def _ran(records: Sequence[PropertyRecord]) -> list[PropertyRecord]:
    return [r for r in records if report.ran(r)]


def _rule_status(recs: Sequence[PropertyRecord]) -> RuleStatus:
    outcomes = {r.outcome for r in recs}
    for status in _STATUS_ORDER:
        if status in outcomes:
            return status
    return "passed"


def _record_output(r: PropertyRecord) -> str:
    parts = [f"{r.name}: {r.outcome.replace('_', ' ')}"]
    body = r.message or r.summary
    if body:
        parts.append(body.rstrip())
    if r.hint and r.hint not in body:
        parts.append(f"likely cause: {r.hint}")
    if r.counterexample and r.counterexample not in body:
        parts.append("Hypothesis's minimal counterexample:\n  "
                     + r.counterexample.rstrip().replace("\n", "\n  "))
    if r.repro and r.repro not in body:
        parts.append("reproduce it:\n  " + r.repro.rstrip().replace("\n", "\n  "))
    if r.caused_by:
        parts.append(f"(a consequence of {', '.join(r.caused_by)}, not counted again)")
    return "\n".join(parts)


def rule_results(records: Sequence[PropertyRecord], points: Points,
                 assignment: Assignment | None) -> list[RuleResult]:
    """Every rule judged in ``records`` with its status and points (see :mod:`.points`)."""
    by_rule: dict[str, list[PropertyRecord]] = {}
    for r in _ran(records):
        for rid in r.rules:
            by_rule.setdefault(rid, []).append(r)
    graded = dict(assignment.functions) if assignment is not None else {}
    rule_functions = {rid: tuple(sorted({f for r in recs for f in r.functions}))
                      for rid, recs in by_rule.items()}
    any_functions = any(rule_functions.values())
    # each graded function's points, shared among the rules that judged it, by weight
    share: dict[str, float] = dict.fromkeys(by_rule, 0.0)
    if any_functions:
        for f, pts in graded.items():
            judged = [rid for rid, fs in rule_functions.items() if f in fs]
            total = sum(points.weight(rid) for rid in judged)
            for rid in judged:
                share[rid] += pts * points.weight(rid) / total if total else 0.0
    elif graded:  # the records name no functions: the assignment's points over the rules
        total = sum(points.weight(rid) for rid in by_rule)
        for rid in by_rule:
            share[rid] = (assignment.max_score if assignment else 0.0) * points.weight(rid) / total
    out: list[RuleResult] = []
    for rid in sorted(by_rule, key=_rule_key):
        recs = by_rule[rid]
        status = _rule_status(recs)
        kept = {"passed": 1.0, "consequence": points.consequence_credit}.get(status, 0.0)
        failing = [r for r in recs if r.outcome != "passed"]
        caused = tuple(sorted({c for r in recs for c in r.caused_by}))
        out.append(RuleResult(
            rule=rid, statement=rules.statement(rid), status=status,
            functions=rule_functions[rid], score=round(share[rid] * kept, 4),
            max_score=round(share[rid], 4),
            output="\n\n".join(_record_output(r) for r in failing),
            caused_by=caused if status == "consequence" else (), properties=len(recs)))
    return out


def _rule_key(rid: str) -> tuple[str, int, str]:
    family, _, number = rid.rpartition("-")
    return (family, int(number), rid) if number.isdigit() else (rid, 0, rid)


def _reason(result: IsolatedResult, records: Sequence[PropertyRecord],
            assignment: Assignment | None) -> tuple[Verdict, str]:
    counts: dict[str, int] = {}
    for r in records:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    judged = len(_ran(records))
    before = f" ({judged} propert{'y' if judged == 1 else 'ies'} judged before)" if judged else ""
    if not result.ending.finished:
        return "error", result.ending.text + before
    if result.pytest_exit not in (0, 1):
        return "error", f"the suite did not run to its end (pytest exit status " \
                        f"{result.pytest_exit}){before}"
    if judged == 0:
        if result.defines is not None and not result.defines:
            return "error", "nothing judged: the submission defines no function"
        wanted = f" (expected {', '.join(assignment.functions)})" if assignment else ""
        return "error", ("nothing judged: the submission provides none of the graded functions"
                         + wanted)
    text = report.verdict(list(records)).text
    if root_rules(records) or any(counts.get(k, 0) for k in ("unfinished", "portability")):
        return "fail", text
    if any(counts.get(k, 0) for k in ("environment", "suite_error")):
        return "error", text
    return "pass", text


def grade(result: IsolatedResult, points: Points, assignment: str | None = None,
          path: str | None = None) -> SubmissionGrade:
    """The grade of one judged submission.

    Args:
        result: what :func:`refnn.grading.isolate.judge_many` returned for it.
        points: the points table.
        assignment: the assignment's id; ``None``: the one grading most of the functions it
            defines (or that were judged).
        path: how to name the submission (default ``result.spec``).
    """
    records = list(result.records)
    if assignment is not None:
        chosen: Assignment | None = points.assignment(assignment)
    else:
        seen = set(result.defines or ()) | {f for r in _ran(records) for f in r.functions}
        chosen = points.detect(seen)
    verdict, reason = _reason(result, records, chosen)
    per_rule = rule_results(records, points, chosen)
    functions = dict(report.function_verdicts(records))
    named = bool(functions)  # the records name the functions they judged
    if chosen is not None:
        for f in chosen.functions:
            if f not in functions:
                defined = result.defines is None or f in result.defines
                functions[f] = ("missing" if not defined else
                                "not judged" if named else "defined")
    hints = tuple(dict.fromkeys(r.hint for r in records if r.hint and r.outcome in
                                ("broken", *TARGET_PROBLEMS)))
    return SubmissionGrade(
        path=path or result.spec, verdict=verdict, reason=reason,
        score=round(sum(r.score for r in per_rule), 2),
        max_score=chosen.max_score if chosen is not None else 0.0,
        rules_broken=tuple(root_rules(records)), functions=functions, rules=tuple(per_rule),
        assignment=chosen.id if chosen is not None else "", ending=result.ending.to_dict(),
        seconds=result.seconds, records=tuple(records), defines=result.defines, hints=hints,
        cpu_seconds=result.cpu_seconds)
