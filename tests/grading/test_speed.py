"""What makes ``refnn grade`` fast changes no verdict: the prepared parent's digest memo
(:mod:`refnn.grading.warm`) gives Hypothesis's own digests; the skip-before-generating probe and
the skip without set-up (:mod:`refnn.grading.preflight`, :func:`refnn.grading.child._quick_skip`)
and the replay of the parent's captured examples (:mod:`refnn.grading.replay`) give the records a
run without them gives, field for field.

The comparison runs in a fresh interpreter (a prepared parent that forks, as ``refnn grade``
does), on notebooks of each assignment — correct, buggy (their failures found and shrunk by
Hypothesis after the replay gave up) and unfinished — with everything on, then off (the first
examples and the captured sequences forgotten); only the ``seconds`` of each record may differ.
Every child's replay decisions are written to a file, to show the replay did decide.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from refnn.grading import replay, warm

ROOT = Path(__file__).resolve().parents[2]

COMPARE = r"""
import functools, hashlib, json, os, pickle, sys
from refnn.conformance.conform import Request
from refnn.grading import child, points, preflight, replay
from refnn.grading.isolate import judge_many, prepare
from refnn.grading.limits import Limits

log, paths = sys.argv[1], sys.argv[2:]
request = Request(tier="properties", profile="ci", run_top_level=False, quiet=True)
graded = {f for a in points.load().assignments.values() for f in a.functions}

def digest(drawn):
    try:
        return hashlib.sha256(pickle.dumps(drawn, protocol=4)).hexdigest()
    except Exception:  # (an interactive st.data() draw: never replayed)
        return "unpicklable"

def write(*fields):
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps([child.STATE.learner[0], *fields]) + "\n")

original = replay.replay
CURRENT = ["", set()]
def logged(item):
    if replay.SEQUENCES:  # the fast run: what the replay decided
        decided = original(item)
        kind = ("passed" if decided is True else "gave up" if decided is False
                else type(decided).__name__)
        write("decided", item.nodeid, kind)
        return decided
    # the plain run: the examples Hypothesis itself passes to the body, in order
    handle = getattr(item.obj, "hypothesis", None)
    if handle is None:
        return original(item)
    CURRENT[:] = [item.nodeid, set(preflight.given_free_names(item) or ())]
    inner = handle.inner_test
    if not getattr(inner, "_logged", False):  # (one body for all of a parametrized property)
        @functools.wraps(inner)
        def each(*args, **kwargs):
            nodeid, names = CURRENT
            write("example", nodeid, digest({k: v for k, v in kwargs.items()
                                             if k not in names}))
            return inner(*args, **kwargs)
        each._logged = True
        handle.inner_test = each
    return original(item)
replay.replay = logged

def run():
    out = []
    for r in judge_many([(p, request) for p in paths], Limits(timeout=600), workers=2,
                        functions=graded, capture=True):
        out.append({"ending": r.ending.kind, "exit": r.pytest_exit,
                    "records": [{k: v for k, v in x.to_dict().items() if k != "seconds"}
                                for x in r.records]})
    return out
fast = run()
first = len(preflight.FIRST)
captured = {n: [digest(e.drawn) for e in seq] for n, seq in replay.SEQUENCES.items()}
preflight.FIRST.clear()
replay.SEQUENCES.clear()
plain = run()
print(json.dumps({"first": first, "captured": captured, "fast": fast, "plain": plain}))
"""

NOTEBOOKS = [ROOT / "tests" / "notebooks" / "regularization_l2_lambda_over_m.ipynb",
             ROOT / "tests" / "notebooks" / "regularization_correct.ipynb",
             ROOT / "tests" / "notebooks" / "regularization_one_unfinished.ipynb",
             ROOT / "tests" / "notebooks" / "gradient_checking_correct.ipynb",
             ROOT / "tests" / "grading" / "notebooks" / "initialization_he_without_sqrt.ipynb"]


def test_the_fast_paths_leave_every_record_as_it_was(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "replayed.jsonl"
    done = subprocess.run([sys.executable, "-c", COMPARE, str(log), *map(str, NOTEBOOKS)],
                          capture_output=True, text=True, env=env, timeout=1200, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    assert doc["first"] > 50  # the suite's Hypothesis properties (they are probed)
    captured: dict[str, list[str]] = doc["captured"]
    assert len(captured) >= 20  # those judging the graded functions (they are replayed)
    for path, fast, plain in zip(NOTEBOOKS, doc["fast"], doc["plain"]):
        assert fast["ending"] == plain["ending"] == "finished", path
        assert fast["exit"] == plain["exit"], path
        outcomes = {r["outcome"] for r in plain["records"]}
        assert {"passed", "skipped"} <= outcomes or "unfinished" in outcomes, (path, outcomes)
        by_id = {r["nodeid"]: r for r in fast["records"]}
        assert [r["nodeid"] for r in fast["records"]] == [r["nodeid"] for r in plain["records"]]
        for record in plain["records"]:
            assert by_id[record["nodeid"]] == record, (path, record["nodeid"])
    # the buggy ones are still caught, with the same evidence
    assert any(r["outcome"] == "broken" for r in doc["fast"][0]["records"])
    assert any(r["outcome"] == "broken" for r in doc["fast"][4]["records"])
    assert any(r["outcome"] == "unfinished" for r in doc["fast"][2]["records"])
    # the replay decided passes (and skips), and gave up on the failures (Hypothesis ran them)
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    decided = {(path, nodeid): kind for path, what, nodeid, kind in lines if what == "decided"}
    kinds = list(decided.values())
    assert kinds.count("passed") > 10 and kinds.count("gave up") > 0, kinds
    # where the replay decided, it decided on the examples Hypothesis itself generates there:
    # the very sequence, example for example (pickled and hashed), for every such property
    seen: dict[tuple[str, str], list[str]] = {}
    for path, what, nodeid, sha in lines:
        if what == "example":
            seen.setdefault((path, nodeid), []).append(sha)
    compared = 0
    for (path, nodeid), kind in decided.items():
        if kind == "passed":
            assert seen.get((path, nodeid)) == captured[nodeid], (path, nodeid)
            compared += 1
    assert compared > 10


# --------------------------------------------------------------------------- the replay itself


class _Subject:
    """A ``target`` fixture value for the replay (the real subject is duck-typed the same)."""


def _item(body: Any, sequence: list[replay.Example]) -> Any:
    """A stand-in for a collected Hypothesis property whose body is ``body(target, x)``."""
    def wrapped(target: Any) -> None:  # the signature pytest sees: fixtures only
        raise AssertionError("the replay never calls the Hypothesis wrapper")

    setattr(wrapped, "hypothesis", types.SimpleNamespace(inner_test=body))
    item = types.SimpleNamespace(nodeid="test_fake.py::test_fake", obj=wrapped,
                                 funcargs={"target": _Subject()})
    replay.SEQUENCES[item.nodeid] = tuple(sequence)
    return item


@pytest.fixture(autouse=True)
def _forget_sequences() -> Any:
    yield
    replay.SEQUENCES.pop("test_fake.py::test_fake", None)


def _examples(*rejected: bool) -> list[replay.Example]:
    return [replay.Example({"x": i}, r) for i, r in enumerate(rejected)]


def test_the_replay_passes_only_when_every_example_has_its_recorded_status() -> None:
    from hypothesis import assume

    seen: list[int] = []

    def body(target: Any, x: int) -> None:
        seen.append(x)
        assume(x != 1)

    assert replay.replay(_item(body, _examples(False, True, False))) is True
    assert seen == [0, 1, 2]
    # a rejection the capture did not see (an assume on the learner's results): Hypothesis
    # would have drawn other examples after it — the replay gives up
    assert replay.replay(_item(body, _examples(False, False, False))) is False
    # a recorded rejection the body no longer makes: likewise
    assert replay.replay(_item(lambda target, x: None, _examples(True))) is False


def test_the_replay_gives_up_on_a_failure_and_leaves_no_trace() -> None:
    from refnn.conformance import judge
    from refnn.conformance import subject as subject_module

    subject_module.reset_judged()
    subject_module._JUDGED.append("before")

    def body(target: Any, x: int) -> None:
        subject_module._JUDGED.append(f"judged {x}")
        if x == 2:
            raise AssertionError("a broken rule")

    assert replay.replay(_item(body, _examples(False, False, False))) is False
    assert subject_module.judged_functions() == ("before",)
    for returned in (1, "x"):  # Hypothesis fails a body that returns a value: so does the replay
        assert replay.replay(_item(lambda target, x, r=returned: r, _examples(False))) is False
    judge.reset_calls()
    subject_module.reset_judged()


def test_a_skip_after_recorded_examples_is_the_outcome() -> None:
    def body(target: Any, x: int) -> None:
        if x == 1:
            pytest.skip("target does not provide f()")

    decided = replay.replay(_item(body, _examples(False, False, False)))
    assert isinstance(decided, pytest.skip.Exception) and "f()" in str(decided)


def _f(x: int, y: int = 2) -> int:
    return x + y


def _g(x: int) -> int:
    return x


def test_the_digest_memo_returns_hypothesis_own_digest_per_parametrization() -> None:
    from hypothesis.internal.reflection import function_digest

    warm.install_digest_memo()
    for fn in (_f, _g):
        assert warm._memo_digest(fn) == function_digest(fn)
    first = warm._memo_digest(_f)
    setattr(_f, "_hypothesis_internal_add_digest", b"test_x.py::test_f[1]")
    try:
        keyed = warm._memo_digest(_f)
        assert keyed == function_digest(_f) and keyed != first
    finally:
        delattr(_f, "_hypothesis_internal_add_digest")
    assert warm._memo_digest(_f) == first
    import hypothesis.core

    assert getattr(hypothesis.core, "function_digest") is warm._memo_digest
