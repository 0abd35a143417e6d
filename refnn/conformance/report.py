"""Formatting a run's :class:`~refnn.conformance.outcome.PropertyRecord` list: the per-topic table,
the learner's functions with their verdicts, root causes and consequences, and the JSON document.

Every report of refnn (``refnn conform``'s table and ``--json``, pytest's closing summary, the
catalog runner) is made here from the records; none re-parses another's text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from refnn.conformance import rules
from refnn.conformance.outcome import OUTCOMES, TARGET_PROBLEMS, PropertyRecord
from refnn.conformance.recording import label, root_rules

JSON_SCHEMA = "refnn-conform/2"

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("passed", ("passed",)),
    ("broken", ("broken",)),
    ("conseq", ("consequence",)),
    ("target", TARGET_PROBLEMS),
    ("n/judged", ("not_judged",)),
    ("skipped", ("skipped",)),
)
"""The table's columns and the outcome classes each counts (``target``: unfinished, portability
and environment — the target could not be judged there)."""


WHOSE = {"given": "code the course hands out",
         "stand-in": "refnn's stand-ins for the course's helper modules"}


def _topic_key(topic: str) -> tuple[int, str]:
    order = rules.topic_order()
    return (order.index(topic) if topic in order else len(order), topic)


def ran(record: PropertyRecord) -> bool:
    """Whether the property judged the target (it was neither skipped nor not judged)."""
    return record.outcome not in ("skipped", "not_judged")


@dataclass(frozen=True)
class Verdict:
    """The verdict on a run: ``PASS``/``FAIL`` and one sentence."""

    passed: bool
    text: str


def verdict(records: Sequence[PropertyRecord]) -> Verdict:
    """``FAIL`` on any root broken rule, target problem or suite error; ``PASS`` otherwise (a run in
    which nothing was judged is never a pass: it says so)."""
    roots = root_rules(records)
    counts = Counter(r.outcome for r in records)
    parts: list[str] = []
    if roots:
        n = counts["broken"]
        parts.append(f"{len(roots)} rule(s) broken: {', '.join(roots)} ({n} "
                     f"propert{'y' if n == 1 else 'ies'})")
        if counts["consequence"]:
            parts.append(f"{counts['consequence']} consequence(s) of them")
    for kind in (*TARGET_PROBLEMS, "suite_error"):
        if counts[kind]:
            parts.append(f"{counts[kind]} {label(kind)}")
    if parts:
        return Verdict(False, "FAIL: " + "; ".join(parts))
    judged = sum(1 for r in records if ran(r))
    if judged == 0:
        return Verdict(False, "NOTHING JUDGED: no property ran — the target provides none of the "
                              "functions they need, or none that the learner wrote")
    return Verdict(True, f"PASS: all {judged} properties that judged the target passed")


def function_verdicts(records: Sequence[PropertyRecord]) -> dict[str, str]:
    """``{function: verdict}`` for every function the properties judged: ``pass``, ``broken
    RULE, …``, or its target problem (``unfinished``, …); consequences do not count against it."""
    per: dict[str, list[PropertyRecord]] = {}
    for r in records:
        if ran(r):
            for f in r.functions:
                per.setdefault(f, []).append(r)
    out: dict[str, str] = {}
    for f, recs in per.items():
        problems = sorted({r.outcome for r in recs if r.outcome in TARGET_PROBLEMS})
        broken = sorted({rid for r in recs if r.outcome == "broken" for rid in r.rules})
        if problems:
            out[f] = ", ".join(problems)
        elif broken:
            out[f] = "broken " + ", ".join(broken)
        else:
            out[f] = f"pass ({len(recs)} propert{'y' if len(recs) == 1 else 'ies'})"
    return out


def table(records: Sequence[PropertyRecord]) -> list[str]:
    """The per-topic table; topics in which nothing judged the target collapse into one line."""
    counts: dict[str, Counter[str]] = {}
    for r in records:
        counts.setdefault(r.topic, Counter())[r.outcome] += 1
    active = [t for t in counts if any(counts[t][o] for o in OUTCOMES
                                       if o not in ("skipped", "not_judged"))]
    idle = [t for t in counts if t not in active]
    width = max([len("topic")] + [len(t) for t in active]) + 2
    head = f"{'topic':<{width}}" + "".join(f"{name:>9}" for name, _ in COLUMNS)
    errors = sum(c["suite_error"] for c in counts.values())
    if errors:
        head += f"{'suite':>7}"
    lines = [head, "-" * len(head)]
    total: Counter[str] = Counter()
    for topic in sorted(active, key=_topic_key):
        c = counts[topic]
        total.update(c)
        line = f"{topic:<{width}}" + "".join(f"{sum(c[k] for k in kinds):>9}"
                                            for _, kinds in COLUMNS)
        lines.append(line + (f"{c['suite_error']:>7}" if errors else ""))
    for topic in idle:
        total.update(counts[topic])
    lines.append("-" * len(head))
    lines.append(f"{'total':<{width}}" + "".join(f"{sum(total[k] for k in kinds):>9}"
                                                 for _, kinds in COLUMNS)
                 + (f"{total['suite_error']:>7}" if errors else ""))
    if idle:
        n = sum(sum(counts[t].values()) for t in idle)
        lines.append(f"not touched by the target ({n} properties skipped): "
                     + ", ".join(sorted(idle, key=_topic_key)))
    return lines


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + ln for ln in text.rstrip().splitlines()]


def details(records: Sequence[PropertyRecord], *, repro: bool = True) -> list[str]:
    """The learner's functions, what was not judged, the root causes with their evidence, the
    consequences and the target's problems, as lines."""
    lines: list[str] = []
    verdicts = function_verdicts(records)
    if verdicts:
        lines += ["", "functions judged:"]
        w = max(len(f) for f in verdicts) + 2
        lines += [f"  {f:<{w}}{v}" for f, v in sorted(verdicts.items())]
    whose: dict[str, list[str]] = {}
    notes: list[str] = []
    for r in records:
        if r.outcome == "not_judged":
            kind = str(r.extra.get("whose", "other"))
            for f in r.functions or (r.name,):
                if f not in whose.setdefault(kind, []):
                    whose[kind].append(f)
            if r.hint and r.hint not in notes:
                notes.append(r.hint)
    if whose:
        lines += ["", "not judged (not the learner's code; never counted for or against it):"]
        for kind, functions in whose.items():
            lines.append(f"  {WHOSE.get(kind, kind)}: {', '.join(functions)}")
        lines += [f"  {note}" for note in notes]
    broken = [r for r in records if r.outcome in ("broken", "suite_error")]
    if broken:
        lines += ["", "broken rules (root causes):"]
        for r in sorted(broken, key=lambda r: (_topic_key(r.topic), r.rules, r.nodeid)):
            rid = ", ".join(r.rules) or "?"
            statement = rules.statement(r.rules[0]) if r.rules else ""
            kind = "SUITE ERROR " if r.outcome == "suite_error" else ""
            lines.append(f"  {kind}{rid}: {statement or '(rule text not available)'} — "
                         f"{r.name}")
            if r.summary:
                lines.append(f"      {r.summary}")
            if r.hint:
                lines.append(f"      likely cause: {r.hint}")
            if repro and r.repro:
                lines.append("      reproduce it:")
                lines += _indent(r.repro, "        ")
    consequences = [r for r in records if r.outcome == "consequence"]
    if consequences:
        lines += ["", "consequences (explained by a broken rule above, not counted again):"]
        for r in consequences:
            lines.append(f"  {', '.join(r.rules)} — {r.name} (follows from "
                         f"{', '.join(r.caused_by)})")
    problems: dict[str, PropertyRecord] = {}
    for r in records:
        if r.outcome in TARGET_PROBLEMS:
            problems.setdefault(r.summary, r)
    if problems:
        lines += ["", "the target could not be judged here (not a broken rule):"]
        for r in list(problems.values())[:12]:
            lines.append(f"  {label(r.outcome)}: {r.summary}")
        if len(problems) > 12:
            lines.append(f"  … and {len(problems) - 12} more (see --json)")
    skips = Counter(r.summary for r in records if r.outcome == "skipped")
    if skips and any(ran(r) for r in records):
        lines += ["", "skipped in the topics above:"]
        active = {r.topic for r in records if ran(r)}
        shown = Counter(r.summary for r in records if r.outcome == "skipped" and r.topic in active)
        for reason, n in shown.most_common(6):
            lines.append(f"  {n:3d} × {reason}")
        if len(shown) > 6:
            lines.append(f"  … and {len(shown) - 6} more reasons (see --json)")
        if not shown:
            lines.pop()
    return lines


def summary_lines(records: Sequence[PropertyRecord]) -> list[str]:
    """The closing summary of a pytest run of the suite (short: counts, root causes, verdict)."""
    counts = Counter(r.outcome for r in records)
    lines = [", ".join(f"{counts[o]} {label(o)}" for o in OUTCOMES if counts[o])]
    roots = root_rules(records)
    if roots:
        lines.append("rules broken (root causes): " + ", ".join(roots))
    if counts["consequence"]:
        lines.append("consequences: " + ", ".join(sorted({f"{', '.join(r.rules)} (of "
                                                          f"{', '.join(r.caused_by)})"
                                                          for r in records
                                                          if r.outcome == "consequence"})))
    problems = list(dict.fromkeys(f"{label(r.outcome)}: {r.summary}" for r in records
                                  if r.outcome in TARGET_PROBLEMS))
    lines += [f"  {p}" for p in problems[:8]]
    lines.append(verdict(records).text)
    return lines


def json_document(records: Sequence[PropertyRecord], **header: Any) -> dict[str, Any]:
    """The ``--json`` report (schema :data:`JSON_SCHEMA`): ``header`` fields, totals per outcome
    class and per topic, the root rules (``rules_broken``), the consequences, the learner's
    functions with their verdicts, and every record."""
    totals = Counter(r.outcome for r in records)
    topics: dict[str, Counter[str]] = {}
    for r in records:
        topics.setdefault(r.topic, Counter())[r.outcome] += 1
    v = verdict(records)
    return {
        "schema": JSON_SCHEMA,
        **header,
        "verdict": "pass" if v.passed else "fail",
        "verdict_text": v.text,
        "totals": {k: totals[k] for k in OUTCOMES},
        "topics": [{"topic": t, **{k: c[k] for k in OUTCOMES}}
                   for t, c in sorted(topics.items(), key=lambda kv: _topic_key(kv[0]))],
        "rules_broken": root_rules(records),
        "consequences": sorted({rid for r in records if r.outcome == "consequence"
                                for rid in r.rules}),
        "functions": function_verdicts(records),
        "target_problems": list(dict.fromkeys(r.summary for r in records
                                              if r.outcome in TARGET_PROBLEMS)),
        "properties": [r.to_dict() for r in records],
    }


def records_from_json(doc: dict[str, Any]) -> list[PropertyRecord]:
    """The records of a ``--json`` report (for tools that combine reports)."""
    return [PropertyRecord.from_dict(p) for p in doc.get("properties", [])]


def count(records: Iterable[PropertyRecord], *outcomes: str) -> int:
    return sum(1 for r in records if r.outcome in outcomes)
