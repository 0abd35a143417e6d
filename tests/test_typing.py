"""refnn's types: ``mypy --strict refnn`` must be clean, and the package ships ``py.typed``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import refnn

ROOT = Path(__file__).resolve().parents[1]


def test_package_ships_py_typed() -> None:
    assert (Path(refnn.__file__).parent / "py.typed").is_file()


def test_mypy_strict_is_clean() -> None:
    if shutil.which("mypy") is None and subprocess.run(
        [sys.executable, "-m", "mypy", "--version"], capture_output=True
    ).returncode != 0:
        pytest.skip("mypy is not installed (it is in the dev extra: pip install -e '.[dev]')")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "refnn"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
