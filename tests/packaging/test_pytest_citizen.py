"""refnn's pytest plugin changes nothing in a session that does not run refnn's suite (issue 12):
an unrelated project's Hypothesis test runs the same with and without refnn's plugin, and the
entry point costs no import of numpy, Hypothesis or refnn's machinery."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

UNRELATED = '''
from hypothesis import given, settings, strategies as st

SEEN = []

@given(st.integers())
def test_draws(x):
    SEEN.append(x)

def test_report():
    print(f"EXAMPLES={len(SEEN)} PROFILE={settings.get_current_profile_name()}")
'''


def run_unrelated(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true"}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("REFNN_TARGET", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                           *extra, "test_unrelated.py"], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=300)


def test_an_unrelated_projects_run_is_the_same_with_and_without_refnn(tmp_path: Path) -> None:
    (tmp_path / "test_unrelated.py").write_text(textwrap.dedent(UNRELATED))
    with_refnn = run_unrelated(tmp_path)
    without = run_unrelated(tmp_path, "-p", "no:refnn")
    assert with_refnn.returncode == without.returncode == 0, with_refnn.stdout + with_refnn.stderr

    def facts(out: str) -> list[str]:
        return [ln for ln in out.splitlines() if "EXAMPLES=" in ln or "refnn" in ln.lower()]

    assert facts(with_refnn.stdout) == facts(without.stdout)
    assert any("EXAMPLES=" in ln for ln in facts(with_refnn.stdout))


def test_the_entry_point_imports_nothing_heavy() -> None:
    code = ("import sys, refnn.conformance.plugin; "
            "print(sorted(m for m in ('numpy', 'hypothesis', 'refnn.conformance.suite_plugin', "
            "'refnn.network', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_plugins_options_and_profiles_are_namespaced(tmp_path: Path) -> None:
    (tmp_path / "test_unrelated.py").write_text(textwrap.dedent(UNRELATED))
    help_text = run_unrelated(tmp_path, "--help").stdout
    refnn_part = help_text.split("refnn conformance suite", 1)[-1]
    options = [tok for tok in refnn_part.split() if tok.startswith("--")][:3]
    assert options and all(o.startswith("--refnn-") for o in options), options
    from refnn.conformance import suite_plugin

    assert all(name.startswith("refnn-") for name in suite_plugin.PROFILES)
