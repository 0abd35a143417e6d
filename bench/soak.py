"""Soak the RNG-independent tier against correct code: the false-alarm budget, measured.

Runs ``pytest properties -m "not golden"`` against ``refnn.course`` and every valid alternative of
``tests/catalog/valid/`` in turn, each run with a fresh random ``--hypothesis-seed`` and in a fresh
temporary working directory (no example database is shared between runs), until at least
``--examples`` generated examples have been run in all. The examples are counted from Hypothesis's
own statistics (``--hypothesis-show-statistics``: "N passing, M failing … test cases" of the
generate phase); properties without ``@given`` (the statistical ones) are counted as runs of one.

Every failure on correct code is a false alarm; docs/STATISTICS.md states the budget (≤ 1e-4 per
run) and this script must report 0. Each run prints its target, seed, examples and failures, so a
false alarm can be reproduced with the printed ``--hypothesis-seed``. The last line reads::

    soak: N examples, F false alarms, T s

Usage: ``python bench/soak.py [--examples 100000] [--profile thorough] [--max-runs K]``
(run from the repository root; it sets ``PYTHONPATH`` to it).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATED = re.compile(r"- (\d+) passing, (\d+) failing, and \d+ invalid test cases")
PHASE = re.compile(r"- during (\w+) phase")
SUMMARY = re.compile(r"(\d+) ([a-z]+)\b")
FINE = {"passed", "skipped", "deselected", "xfailed", "warning", "warnings"}
"""Outcomes of pytest's last line that are not false alarms; any other (failed, error,
environment, …) is one."""


def targets() -> list[str]:
    """``refnn.course`` and every file of ``tests/catalog/valid/``."""
    valid = sorted((ROOT / "tests" / "catalog" / "valid").glob("*.py"))
    return ["refnn.course"] + [str(p) for p in valid if not p.name.startswith("_")]


def count_examples(output: str) -> tuple[int, int]:
    """``(generated examples, properties without Hypothesis statistics)`` from a pytest run with
    ``--hypothesis-show-statistics``: the passing + failing cases of every generate phase."""
    generated = 0
    phase = ""
    for line in output.splitlines():
        m = PHASE.search(line)
        if m:
            phase = m.group(1)
            continue
        m = GENERATED.search(line)
        if m and phase == "generate":
            generated += int(m.group(1)) + int(m.group(2))
    return generated, 0


def run_once(target: str, seed: int, profile: str | None, timeout: float
             ) -> tuple[int, int, int, float, str]:
    """One suite run: ``(examples, passed, not passed, seconds, output)``."""
    cmd = [sys.executable, "-m", "pytest", str(ROOT / "properties"), "-q", "-p", "no:cacheprovider",
           "-m", "not golden", f"--refnn-target={target}", f"--hypothesis-seed={seed}",
           "--hypothesis-show-statistics"]
    if profile:
        cmd.append(f"--hypothesis-profile=refnn-{profile}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="refnn-soak-") as cwd:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
    seconds = time.perf_counter() - start
    out = proc.stdout + proc.stderr
    tail = out.strip().splitlines()[-1] if out.strip() else ""
    passed = failed = 0
    for n, kind in SUMMARY.findall(tail.split(" in ")[0]):
        if kind == "passed":
            passed += int(n)
        elif kind not in FINE:
            failed += int(n)
    examples, _ = count_examples(out)
    with_stats = len(re.findall(r"^properties/\S+::\S+:$", out, flags=re.M))
    examples += max(0, passed + failed - with_stats)  # one each for the properties without @given
    if proc.returncode not in (0, 1):  # 1 = tests failed; anything else is a broken run
        failed = max(failed, 1)
    return examples, passed, failed, seconds, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100_000,
                        help="stop once this many examples have run in all (default 100000)")
    parser.add_argument("--profile", default="thorough",
                        help="a refnn Hypothesis profile (default thorough: 400 examples, no "
                             "deadline — Hypothesis's own default profile has a 200 ms deadline, "
                             "which a loaded machine exceeds: 'too slow', not a verdict)")
    parser.add_argument("--max-runs", type=int, default=1000, help="stop after this many runs")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    args = parser.parse_args(argv)
    names = targets()
    total = false_alarms = runs = 0
    start = time.perf_counter()
    rng = random.SystemRandom()
    while total < args.examples and runs < args.max_runs:
        target = names[runs % len(names)]
        seed = rng.randrange(2**32)
        examples, passed, failed, seconds, out = run_once(target, seed, args.profile, args.timeout)
        runs += 1
        total += examples
        false_alarms += failed
        label = target if target == "refnn.course" else Path(target).name
        last = out.strip().splitlines()[-1] if out.strip() else "(no output)"
        print(f"run {runs}: {label} --hypothesis-seed={seed}: {examples} examples, {passed} passed, "
              f"{failed} not passed, {seconds:.0f} s (total {total}) [{last.strip('= ')}]",
              flush=True)
        if failed:
            failures = [ln for ln in out.splitlines() if ln.startswith(("FAILED", "ERROR"))]
            print("  FALSE ALARM:\n  " + "\n  ".join(failures or out.splitlines()[-20:]),
                  flush=True)
    elapsed = time.perf_counter() - start
    print(f"soak: {total} examples, {false_alarms} false alarms, {elapsed:.0f} s", flush=True)
    return 1 if false_alarms else 0


if __name__ == "__main__":
    raise SystemExit(main())
