"""refnn's wheel, installed away from this checkout, runs its own suite (issue 12, point 3).

The wheel is built from a copy of this checkout (offline: ``pip wheel --no-build-isolation`` with
the setuptools of the running environment) and installed with ``--no-deps`` into fresh virtual
environments in a temporary folder. Their dependencies (numpy, scipy, Hypothesis, pytest, …) are
the running environment's, linked in one by one *except refnn's own entries* (its editable
``.pth``, its ``dist-info``), and ``PYTHONPATH`` is cleared, so that the checkout is not importable
there. Every command runs from an unrelated folder, with a stranger's top-level ``properties``
package first on ``sys.path`` (a ``properties`` distribution exists on PyPI), which raises if
anything imports it.

Routes:

* a regular install into a venv: ``pytest --pyargs refnn.properties``, ``refnn conform``, the
  golden numbers and SPEC.md read from the package, the football-data message;
* an install into another prefix (``pip install --prefix``, as ``--user`` installs outside
  ``sys.prefix``), with the stranger's ``properties`` installed beside refnn.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "refnn", "properties", "golden", "docs")
"""What the build reads (a copy, so the build's build/ and *.egg-info stay out of the checkout)."""

STRANGER = "raise ImportError('a stranger\\'s top-level properties package was imported')\n"

SITE = Path("lib") / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def _is_refnns(entry: Path) -> bool:
    name = entry.name.lower()
    if name == "refnn" or name.startswith(("refnn-", "refnn.", "__editable__", "__editable___refnn")):
        return True
    if name.endswith((".pth", ".egg-link")):
        try:
            text = entry.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
        return str(ROOT) in text or "refnn" in text.lower()
    return False


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "REFNN_", "PYTEST_", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_WARN_SCRIPT_LOCATION="1")
    env.update(extra)
    return env


def _run(args: list[str | Path], cwd: Path, env: Mapping[str, str],
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=dict(env), capture_output=True,
                          text=True, timeout=timeout, encoding="utf-8", errors="replace")


def _ok(proc: subprocess.CompletedProcess[str], what: str) -> str:
    assert proc.returncode == 0, f"{what}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def fresh_venv(where: Path) -> Path:
    """A venv at ``where`` holding the running environment's packages but none of refnn; its
    python."""
    _ok(_run([sys.executable, "-m", "venv", "--without-pip", where], where.parent, _clean_env()),
        "python -m venv")
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_ok(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         where.parent, _clean_env()), "site-packages").strip())
    sources = {Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    for source in sorted(sources):
        for entry in sorted(source.iterdir()) if source.is_dir() else []:
            target = site / entry.name
            if _is_refnns(entry) or target.exists():
                continue
            if entry.suffix == ".pth":
                shutil.copyfile(entry, target)  # e.g. namespace packages' .pth; none of refnn's
            else:
                target.symlink_to(entry, target_is_directory=entry.is_dir())
    return python


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [m for m in ("setuptools", "pip")
               if _run([sys.executable, "-c", f"import {m}"], ROOT, _clean_env()).returncode]
    assert not missing, f"building the wheel offline needs {missing}: pip install -e '.[dev]'"
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    for name in BUILD_INPUTS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(item, src / name)
    _ok(_run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
              "-w", work / "dist", src], work, _clean_env()), "pip wheel")
    (built,) = (work / "dist").glob("refnn-*.whl")
    return built


@pytest.fixture(scope="module")
def stranger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a top-level ``properties`` package that raises when imported."""
    folder = tmp_path_factory.mktemp("stranger")
    (folder / "properties").mkdir()
    (folder / "properties" / "__init__.py").write_text(STRANGER)
    (folder / "properties" / "strategies.py").write_text(STRANGER)
    (folder / "properties" / "conftest.py").write_text(STRANGER)
    return folder


@pytest.fixture(scope="module")
def unrelated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of another project, with pytest configuration of its own."""
    folder = tmp_path_factory.mktemp("unrelated")
    (folder / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "-W error"\n')
    return folder


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    python = fresh_venv(tmp_path_factory.mktemp("venv") / "env")
    _ok(_run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], python.parent,
             _clean_env()), "pip install the wheel")
    yield python


def _where(python: Path, cwd: Path, env: Mapping[str, str]) -> dict[str, Any]:
    code = textwrap.dedent("""
        import json, sys
        import refnn, refnn.properties, refnn.properties.strategies
        from refnn import golden
        from refnn.conformance import rules, runner
        print(json.dumps({"refnn": refnn.__file__, "suite": refnn.properties.__file__,
                          "suite_dir": str(runner.properties_dir()),
                          "golden_dir": str(golden.golden_dir()),
                          "golden_entries": len(golden.all_entries()),
                          "spec": str(rules.spec_path()), "rules": len(rules.load()),
                          "path": sys.path, "stranger_loaded": "properties" in sys.modules}))
    """)
    found: dict[str, Any] = json.loads(_ok(_run([python, "-c", code], cwd, env), "where is refnn"))
    return found


def test_the_wheel_runs_its_own_suite_from_a_fresh_venv(venv: Path, stranger: Path,
                                                        unrelated: Path) -> None:
    env = _clean_env(PYTHONPATH=str(stranger))
    prefix = venv.parent.parent
    inside = prefix / SITE / "refnn"
    # refnn conform: the installed package's suite
    refnn_cmd = venv.parent / ("refnn.exe" if os.name == "nt" else "refnn")
    report = unrelated / "conform.json"
    out = _ok(_run([refnn_cmd, "conform", "--rule", "L2-1", "--profile", "dev", "--no-progress",
                    "--json", report], unrelated, env), "refnn conform")
    assert "PASS" in out
    doc = json.loads(report.read_text(encoding="utf-8"))
    assert doc["verdict"] == "pass" and doc["properties"], doc
    assert all("L2-1" in p["rules"] and p["outcome"] == "passed" for p in doc["properties"])
    # L2-1 has a property on the course's published numbers: golden/ read from the package
    assert any(p["nodeid"].startswith("test_course_numbers.py::") for p in doc["properties"])

    # pytest's own route, with the caller's configuration (-W error) in force
    out = _ok(_run([venv, "-m", "pytest", "-p", "no:cacheprovider", "--pyargs", "refnn.properties",
                    "-k", "cost and not regularization", "--hypothesis-profile=refnn-dev", "-q"],
                   unrelated, env), "pytest --pyargs refnn.properties")
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed, \d+ deselected in .*", summary), out
    assert f"target: refnn.course ({inside / 'course' / '__init__.py'}" in out

    # where everything came from: the package, never the checkout or the stranger
    where = _where(venv, unrelated, env)
    assert Path(str(where["refnn"])).parent == inside
    assert not any(str(p).startswith(str(ROOT)) for p in where["path"]), where["path"]
    assert where["suite"] == str(inside / "properties" / "__init__.py")
    assert where["suite_dir"] == str(inside / "properties")
    assert where["golden_dir"] == str(inside / "data" / "golden")
    assert where["spec"] == str(inside / "data" / "docs" / "SPEC.md")
    assert where["golden_entries"] > 0 and where["rules"] > 0
    assert where["stranger_loaded"] is False
    assert not (prefix / "share" / "refnn").exists()  # nothing outside the package

    # what refnn does not ship is asked for by how to give it, not by a developer's path
    proc = _run([refnn_cmd, "experiment", "regularization", "--iterations", "1"], unrelated, env)
    assert proc.returncode == 2 and "--data" in proc.stderr and "REFNN_FOOTBALL_MAT" in proc.stderr
    assert "shared" not in proc.stderr and str(prefix) not in proc.stderr, proc.stderr


def test_the_wheel_runs_from_another_prefix(wheel: Path, stranger: Path, unrelated: Path,
                                            tmp_path: Path) -> None:
    # like pip install --user: refnn lives outside sys.prefix (found through a path entry), and a
    # stranger's top-level `properties` package is installed beside it
    python = fresh_venv(tmp_path / "env")
    target = tmp_path / "prefix"
    _ok(_run([python, "-m", "pip", "install", "-q", "--no-deps", "--prefix", target, wheel],
             tmp_path, _clean_env()), "pip install --prefix")
    site = target / SITE
    shutil.copytree(stranger / "properties", site / "properties")
    env = _clean_env(PYTHONPATH=str(site))
    out = _ok(_run([python, "-m", "refnn", "conform", "--rule", "INIT-1", "--profile", "dev",
                    "--no-progress"], unrelated, env), "refnn conform from another prefix")
    assert "PASS" in out
    where = _where(python, unrelated, env)
    assert where["suite_dir"] == str(site / "refnn" / "properties")
    assert where["stranger_loaded"] is False


USER_SCRIPT = '''\
import numpy as np

from refnn.init import initialize
from refnn.network import forward

rng = np.random.default_rng(0)
params = initialize([2, 10, 1], "he", rng=rng)
forward(params, "not an array")
initialize("2,10,1", rng=rng)
initialize([2, 10, 1], "hee", rng=rng)
'''
"""The issue's three mistakes (lines 8-10) after two correct calls: mypy must flag exactly those."""


def test_mypy_checks_a_users_script_against_the_installed_wheel(venv: Path, unrelated: Path,
                                                               tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install 'refnn[dev]')")
    script = unrelated / "user_script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    proc = _run([venv, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull,
                 "--cache-dir", tmp_path / "mypy-cache", "-v", script.name], unrelated, _clean_env())
    assert proc.returncode == 1, f"{proc.stdout}\n{proc.stderr[-3000:]}"
    flagged = sorted({int(m.group(1)) for m in re.finditer(r"user_script\.py:(\d+): error:",
                                                           proc.stdout)})
    assert flagged == [8, 9, 10], proc.stdout
    # mypy read refnn from the wheel's install (its py.typed), not from a checkout
    inside = str(venv.parent.parent / SITE / "refnn" / "__init__.py")
    assert inside in proc.stderr or inside in proc.stdout, proc.stderr[-3000:]
