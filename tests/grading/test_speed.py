"""What makes ``refnn grade`` fast changes no verdict: the prepared parent's digest memo
(:mod:`refnn.grading.warm`) gives Hypothesis's own digests, and the skip-before-generating probe
(:mod:`refnn.grading.preflight`) gives the records a run without it gives, field for field.

The comparison runs in a fresh interpreter (a prepared parent that forks, as ``refnn grade``
does), on one notebook of each assignment, with the probe on and then off (its first examples
forgotten); only the ``seconds`` of each record may differ.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from refnn.grading import warm

ROOT = Path(__file__).resolve().parents[2]

COMPARE = r"""
import json, sys
from refnn.conformance.conform import Request
from refnn.grading import preflight
from refnn.grading.isolate import judge_many
from refnn.grading.limits import Limits

paths = sys.argv[1:]
request = Request(tier="properties", profile="ci", run_top_level=False, quiet=True)
def run():
    out = []
    for r in judge_many([(p, request) for p in paths], Limits(timeout=600), workers=2):
        out.append({"ending": r.ending.kind, "exit": r.pytest_exit,
                    "records": [{k: v for k, v in x.to_dict().items() if k != "seconds"}
                                for x in r.records]})
    return out
probed = run()
captured = len(preflight.FIRST)
preflight.FIRST.clear()
plain = run()
print(json.dumps({"captured": captured, "probed": probed, "plain": plain}))
"""

NOTEBOOKS = [ROOT / "tests" / "notebooks" / "regularization_l2_lambda_over_m.ipynb",
             ROOT / "tests" / "notebooks" / "gradient_checking_correct.ipynb",
             ROOT / "tests" / "grading" / "notebooks" / "initialization_he_without_sqrt.ipynb"]


def test_the_probe_and_the_memo_leave_every_record_as_it_was() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", COMPARE, *map(str, NOTEBOOKS)],
                          capture_output=True, text=True, env=env, timeout=1200, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout.strip().splitlines()[-1])
    assert doc["captured"] > 50  # the suite's Hypothesis properties (they are probed)
    for path, probed, plain in zip(NOTEBOOKS, doc["probed"], doc["plain"]):
        assert probed["ending"] == plain["ending"] == "finished", path
        assert probed["exit"] == plain["exit"], path
        outcomes = {r["outcome"] for r in plain["records"]}
        assert {"passed", "skipped"} <= outcomes, (path, outcomes)  # it judged and it skipped
        by_id = {r["nodeid"]: r for r in probed["records"]}
        assert [r["nodeid"] for r in probed["records"]] == [r["nodeid"] for r in plain["records"]]
        for record in plain["records"]:
            assert by_id[record["nodeid"]] == record, (path, record["nodeid"])
    # the buggy ones are still caught, with the same evidence
    assert any(r["outcome"] == "broken" for r in doc["probed"][0]["records"])
    assert any(r["outcome"] == "broken" for r in doc["probed"][2]["records"])


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
