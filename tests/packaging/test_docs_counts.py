"""The numbers the docs state are the suite's own (issue 12: counts are tested, not typed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def collected_properties() -> int:
    out = subprocess.run([sys.executable, "-m", "pytest", "properties", "--co", "-q",
                          "-p", "no:cacheprovider", "-p", "no:xdist"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    ids = [ln for ln in out.stdout.splitlines() if "::" in ln]
    assert ids, out.stdout + out.stderr
    return len(ids)


def test_readmes_property_counts_are_the_suites() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    stated = {int(n) for n in re.findall(r"^total\s+(\d+)\s", text, flags=re.M)}
    stated |= {int(n) for n in re.findall(r"PASS: all (\d+) properties", text)}
    assert stated == {collected_properties()}, stated
