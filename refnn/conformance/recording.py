"""Turning what a property raised into its :class:`~refnn.conformance.outcome.PropertyRecord`,
and "one bug, one rule" over a whole run (:func:`resolve_consequences`).

The plugin calls :func:`record_for` once per property (from ``pytest_runtest_makereport``); the
terminal summary, :func:`refnn.conformance.run`, the JSON report and the catalog runner all read
the records it makes. Nothing downstream parses the text of a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from hypothesis.errors import DeadlineExceeded

from refnn.conformance import hints, judge, rules
from refnn.conformance.outcome import (
    LABELS,
    NotJudged,
    OutcomeClass,
    PropertyRecord,
    TargetEnvironmentError,
    TargetProblem,
)

_COUNTEREXAMPLE_NOTES = ("Falsifying example", "Failing test case", "Falsifying explicit example")


def flatten(exc: BaseException) -> list[BaseException]:
    """The leaf exceptions of ``exc`` (Hypothesis reports several bugs as an exception group)."""
    if isinstance(exc, BaseExceptionGroup):
        out: list[BaseException] = []
        for sub in exc.exceptions:
            out += flatten(sub)
        return out
    return [exc]


def classify(exc: BaseException) -> OutcomeClass:
    """The outcome class of one exception a property raised."""
    if isinstance(exc, NotJudged):
        return "not_judged"
    if isinstance(exc, TargetProblem):
        return exc.kind
    if isinstance(exc, judge.TargetEnvironmentError):  # the judge's own (older) class
        kind = getattr(exc, "kind", "environment")
        if kind == "portability":
            return "portability"
        return "unfinished" if kind == "unfinished" else "environment"
    if isinstance(exc, DeadlineExceeded):
        return "environment"
    if isinstance(exc, AssertionError):  # judge.RuleViolation, or a property's own assert
        return "broken"
    return "suite_error"


_PRECEDENCE: tuple[OutcomeClass, ...] = ("unfinished", "portability", "environment", "broken",
                                         "suite_error")
"""When a property raised several kinds at once, the one that explains the others: an unfinished
or unportable function explains the rule it then breaks."""


def _message(exc: BaseException) -> str:
    if isinstance(exc, DeadlineExceeded):
        return (f"too slow for Hypothesis's deadline — {exc}\n  hint: run with "
                "--hypothesis-profile=refnn-ci (or refnn-dev, refnn-thorough), which set no deadline")
    text = str(exc) if str(exc) else type(exc).__name__
    if not isinstance(exc, (AssertionError, TargetProblem, judge.TargetEnvironmentError)):
        text = f"{type(exc).__name__}: {text}"
    return text


def _counterexample(exc: BaseException) -> str:
    notes = [str(n) for n in getattr(exc, "__notes__", None) or []]
    return "\n".join(n for n in notes if n.startswith(_COUNTEREXAMPLE_NOTES))


def summary_line(message: str) -> str:
    """The evidence of a failure on one line: the message's first line and the short indented
    lines continuing it (``expected …`` / ``actual …`` / ``hint: …``). Nothing is cut: a long
    array dump is left to the full message, never shortened mid-number."""
    lines = [ln for ln in message.splitlines() if ln.strip()]
    if not lines:
        return ""
    parts = [lines[0].strip()]
    for more in lines[1:4]:
        s = more.strip()
        if not more.startswith(" ") or len(s) > 160 or s.startswith(("[", "Falsifying",
                                                                      "Failing", "raised at")):
            break
        parts.append(s)
    return "; ".join(parts).replace(":; ", ": ")


def _attribute(excs: Sequence[BaseException], name: str) -> str:
    for e in excs:
        value = getattr(e, name, None)
        if value:
            return str(value)
    return ""


def record_for(*, nodeid: str, name: str, rules_cited: Sequence[str], outcome: OutcomeClass,
               excs: Sequence[BaseException] = (), skip_reason: str = "", seconds: float = 0.0,
               functions: Sequence[str] = (), repro: str = "") -> PropertyRecord:
    """The record of one property.

    Args:
        outcome: ``passed`` or ``skipped`` when nothing was raised; otherwise the caller passes
            ``broken`` and :func:`record_for` classifies ``excs`` itself.
        excs: the leaf exceptions the property raised.
        skip_reason: the reason of a skip (or of a :class:`NotJudged`).
    """
    ids = tuple(rules_cited)
    named = tuple(dict.fromkeys(str(getattr(e, "rule", "")) for e in excs
                                if getattr(e, "rule", "")))
    if outcome == "broken" and named:  # the failure names the rule it breaks (a protocol rule)
        ids = named
    topic = rules.topic(ids[0]) if ids else "(no rule)"
    base = PropertyRecord(nodeid=nodeid, name=name, rules=ids, topic=topic, outcome=outcome,
                          functions=tuple(dict.fromkeys(functions)), seconds=seconds)
    if outcome in ("passed",):
        return base
    if outcome == "not_judged":
        exc = next((e for e in excs if isinstance(e, NotJudged)), None)
        note = _attribute(excs, "note")
        if exc is not None:
            base = replace(base, functions=(exc.function,), extra={"whose": exc.whose})
        return replace(base, summary=skip_reason, message=skip_reason, hint=note)
    if outcome == "skipped":
        return replace(base, summary=skip_reason, message=skip_reason)
    kinds = [classify(e) for e in excs] or ["suite_error"]
    chosen: OutcomeClass = next(k for k in _PRECEDENCE if k in kinds)
    shown = [e for e, k in zip(excs, kinds) if k == chosen] or list(excs)
    body = "\n\n".join(_message(e) for e in shown)
    counterexample = "\n".join(filter(None, (_counterexample(e) for e in shown)))
    hint = _attribute(shown, "hint")
    if chosen == "broken" and not hint:
        first = shown[0]
        hint = hints.likely_cause(ids, function=_attribute(shown, "function") or
                                  (functions[0] if functions else ""),
                                  ratio=getattr(first, "ratio", None),
                                  evidence=getattr(first, "evidence", None),
                                  message=body)
    return replace(
        base, outcome=chosen, summary=summary_line(body), message=body,
        expected=_attribute(shown, "expected"), actual=_attribute(shown, "actual"),
        counterexample=counterexample, repro=repro if chosen == "broken" else "", hint=hint,
    )


def resolve_consequences(records: Iterable[PropertyRecord],
                         spec: rules.Spec | None = None) -> list[PropertyRecord]:
    """"One bug, one rule": a ``broken`` record whose rules depend (docs/SPEC.md, transitively) on
    a rule that another broken record of the same run cites becomes a ``consequence`` of the root
    rules among those. Records are returned in their order; the others are unchanged."""
    spec = rules.spec() if spec is None else spec
    records = list(records)
    broken_rules = {r for rec in records if rec.outcome in ("broken", "consequence")
                    for r in rec.rules}

    def upstream_broken(rec: PropertyRecord) -> set[str]:
        up: set[str] = set()
        for r in rec.rules:
            up |= spec.upstream(r)
        return (up - set(rec.rules)) & broken_rules

    roots: set[str] = set()
    for rec in records:
        if rec.outcome in ("broken", "consequence") and not upstream_broken(rec):
            roots |= set(rec.rules)
    out: list[PropertyRecord] = []
    for rec in records:
        if rec.outcome in ("broken", "consequence"):
            causes = upstream_broken(rec)
            if causes:
                root_causes = tuple(sorted(causes & roots)) or tuple(sorted(causes))
                out.append(replace(rec, outcome="consequence", caused_by=root_causes))
                continue
            if rec.outcome == "consequence":
                rec = replace(rec, outcome="broken", caused_by=())
        out.append(rec)
    return out


def root_rules(records: Iterable[PropertyRecord]) -> list[str]:
    """The rules broken as root causes (sorted)."""
    return sorted({r for rec in records if rec.outcome == "broken" for r in rec.rules})


def label(outcome: str) -> str:
    """How reports name an outcome class."""
    return LABELS.get(outcome, outcome)


__all__ = ["TargetEnvironmentError", "classify", "flatten", "label", "record_for",
           "resolve_consequences", "root_rules", "summary_line"]
