"""The one outcome record (refnn.conformance.outcome / recording / report) and "one bug, one rule"
(docs/SPEC.md's ``Depends on:`` lines)."""

from __future__ import annotations

import pytest

from refnn.conformance import judge, recording, report, rules
from refnn.conformance.outcome import (
    NotJudged,
    PortabilityProblem,
    PropertyRecord,
    TargetEnvironmentError,
    UnfinishedCode,
)

SPEC_TEXT = """
## Rule families

| prefix | topic |
|---|---|
| A | the A topic |
| B | the B topic |

## A

### A-1: the root rule
Body.

### A-2: a rule that needs A-1
Body.

Depends on: A-1.

### B-1: needs A-2, so A-1 too
Depends on: A-2.
"""


def spec() -> rules.Spec:
    text = SPEC_TEXT
    return rules.Spec(rules.parse(text), rules.parse_dependencies(text), rules.parse_topics(text))


def rec(nodeid: str, rule: str, outcome: str = "broken") -> PropertyRecord:
    return PropertyRecord(nodeid=nodeid, name=nodeid, rules=(rule,), topic="t",
                          outcome=outcome)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- SPEC.md parsing


def test_dependencies_topics_and_transitive_upstream_are_read_from_the_spec() -> None:
    s = spec()
    assert s.depends == {"A-2": ("A-1",), "B-1": ("A-2",)}
    assert s.upstream("B-1") == {"A-1", "A-2"} and s.upstream("A-1") == set()
    assert s.topic("B-1") == "the B topic" and s.topic("Z-1") == "Z"


@pytest.mark.parametrize("text, message", [
    ("### A-1: x\nDepends on: A-9.\n", "unknown rule"),
    ("### A-1: x\nDepends on: A-2.\n### A-2: y\nDepends on: A-1.\n", "cycle"),
])
def test_bad_dependencies_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rules.parse_dependencies(text)


def test_the_real_spec_has_acyclic_dependencies_on_known_rules_and_a_topic_per_family() -> None:
    s = rules.spec()
    assert s.depends, "docs/SPEC.md declares no dependencies"
    for rid in s.statements:
        assert rid.rsplit("-", 1)[0] in s.topics, f"{rid}'s family has no topic in SPEC.md"
    assert "DROP-2" in s.upstream("DROP-4")


# --------------------------------------------------------------------------- one bug, one rule


def test_a_failure_explained_by_a_broken_upstream_rule_is_its_consequence() -> None:
    out = recording.resolve_consequences(
        [rec("p1", "B-1"), rec("p2", "A-1"), rec("p3", "A-2"), rec("p4", "A-1", "passed")],
        spec())
    by = {r.nodeid: r for r in out}
    assert by["p2"].outcome == "broken"
    assert by["p1"].outcome == by["p3"].outcome == "consequence"
    assert by["p1"].caused_by == by["p3"].caused_by == ("A-1",)
    assert recording.root_rules(out) == ["A-1"]


def test_a_downstream_rule_broken_alone_is_a_root_cause() -> None:
    out = recording.resolve_consequences([rec("p1", "B-1"), rec("p2", "A-1", "passed")], spec())
    assert [r.outcome for r in out] == ["broken", "passed"]


def test_target_problems_are_never_consequences() -> None:
    out = recording.resolve_consequences([rec("p1", "A-1"), rec("p2", "A-2", "environment")],
                                         spec())
    assert [r.outcome for r in out] == ["broken", "environment"]


# ------------------------------------------------------------------------- classifying failures


@pytest.mark.parametrize("exc, outcome", [
    (judge.RuleViolation("x"), "broken"),
    (AssertionError("x"), "broken"),
    (TargetEnvironmentError("no reg_utils"), "environment"),
    (PortabilityProblem("np.int"), "portability"),
    (UnfinishedCode("W1 = None"), "unfinished"),
    (NotJudged("given", function="predict", whose="given"), "not_judged"),
    (KeyError("a bug of the suite"), "suite_error"),
])
def test_each_failure_is_classified_by_its_cause(exc: BaseException, outcome: str) -> None:
    assert recording.classify(exc) == outcome


def test_an_unfinished_function_explains_the_rule_it_then_breaks() -> None:
    r = recording.record_for(nodeid="n", name="n", rules_cited=("A-1",), outcome="broken",
                             excs=[judge.RuleViolation("wrong"), UnfinishedCode("W1 = None")])
    assert r.outcome == "unfinished" and "W1 = None" in r.message


def test_the_summary_keeps_every_number_whole() -> None:
    long = "dW1: expected " + ", ".join(f"{0.1 * i:.17g}" for i in range(40))
    assert recording.summary_line(long) == long


def test_records_round_trip_through_json() -> None:
    r = rec("p", "A-1")
    assert PropertyRecord.from_dict(r.to_dict()) == r


# ------------------------------------------------------------------------------------ verdicts


def test_nothing_judged_is_never_a_pass() -> None:
    v = report.verdict([rec("p", "A-1", "not_judged"), rec("q", "A-2", "skipped")])
    assert not v.passed and v.text.startswith("NOTHING JUDGED")


def test_the_verdict_counts_root_causes_only() -> None:
    out = recording.resolve_consequences([rec("p1", "A-1"), rec("p2", "A-2")], spec())
    v = report.verdict(out)
    assert not v.passed and "1 rule(s) broken: A-1" in v.text and "1 consequence" in v.text


def test_a_malformed_mask_is_blamed_on_the_rule_of_the_protocol_it_breaks() -> None:
    import numpy as np

    from refnn.conformance.protocol import forward_spec

    dims, m = (2, 3, 2, 1), 4
    cache = [np.zeros((3, m)), np.full((3, m), 0.5)]  # Z1, then a "mask" of uniform draws
    bad = (np.zeros((1, m)), tuple([cache[0], cache[1]] + [np.zeros((1, 1))] * 12))
    with pytest.raises(judge.RuleViolation) as info:
        judge.TargetFunction("forward_propagation_with_dropout", lambda: bad).call(
            expect=forward_spec(dims, m, dropout=True))
    assert info.value.rule == "DROP-1" and "0/1" in str(info.value)
    r = recording.record_for(nodeid="n", name="n", rules_cited=("DROP-3",), outcome="broken",
                             excs=[info.value])
    assert r.rules == ("DROP-1",) and r.outcome == "broken"
