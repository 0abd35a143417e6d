"""A slice of the RNG-independent tier against refnn.course with a fresh random Hypothesis seed.

Every CI run draws a new ``--hypothesis-seed`` and prints it, so over many runs the suite's
verdict on correct code is soaked a little at a time (``bench/soak.py`` does it in bulk), and a
failure can be reproduced with the printed command. The slice is the properties with exact oracles
and derived tolerances that once gave false alarms (DROP-7 against a finite difference, NET-2,
L2-5, the costs); it runs in a subprocess, in a temporary working directory, in well under 30 s.

The second test checks that a suite run leaves no Hypothesis example database (``.hypothesis/``)
in the caller's folder — it would replay a counterexample in every later run there, for every
target.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLICE = ("masks_held_fixed or is_the_gradient_of_the_cost or gradient_of_the_regularized_cost "
         "or cost_is_the_mean_binary_cross_entropy or returns_the_cost_and_the_cache "
         "or stored_activations_are_relu")


def _run_suite(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pytest", str(ROOT / "properties"), "-q", "-p", "no:cacheprovider",
           "-m", "not golden", "--refnn-target=refnn.course", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_slice_passes_with_a_fresh_random_seed(tmp_path: Path) -> None:
    seed = random.SystemRandom().randrange(2**32)
    print(f"fresh seed: reproduce with  pytest properties -m 'not golden' -k '{SLICE}' "
          f"--hypothesis-seed={seed}")
    result = _run_suite(tmp_path, "-k", SLICE, f"--hypothesis-seed={seed}")
    tail = "\n".join(result.stdout.splitlines()[-30:])
    assert result.returncode == 0, f"--hypothesis-seed={seed} failed on refnn.course:\n{tail}"
    assert " passed" in result.stdout and "failed" not in result.stdout.splitlines()[-1], tail


def test_a_suite_run_leaves_no_hypothesis_database_in_the_callers_folder(tmp_path: Path) -> None:
    result = _run_suite(tmp_path, "-k", "cost_is_the_mean_binary_cross_entropy")
    assert result.returncode == 0, result.stdout[-2000:]
    for profile in ("", "--hypothesis-profile=refnn-dev", "--hypothesis-profile=refnn-thorough"):
        result = _run_suite(tmp_path, "-k", "cost_is_ln_2", *([profile] if profile else []))
        assert result.returncode == 0, result.stdout[-2000:]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert ".hypothesis" not in left, f"the suite wrote {left} into the caller's folder {tmp_path}"
