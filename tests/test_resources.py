"""refnn.resources: properties/, golden/ and docs/SPEC.md are found in a checkout or, from a wheel,
under <prefix>/share/refnn/ (pyproject.toml's data-files)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from refnn import resources

ROOT = Path(__file__).resolve().parents[1]


def test_the_checkout_copy_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "checkout" / "golden").mkdir(parents=True)
    (tmp_path / "installed" / "golden").mkdir(parents=True)
    monkeypatch.setattr(resources, "CHECKOUT", tmp_path / "checkout")
    monkeypatch.setattr(resources, "INSTALLED", tmp_path / "installed")
    assert resources.resource("golden") == tmp_path / "checkout" / "golden"


def test_the_installed_copy_is_used_outside_a_checkout(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "installed" / "docs").mkdir(parents=True)
    (tmp_path / "installed" / "docs" / "SPEC.md").write_text("# spec\n")
    monkeypatch.setattr(resources, "CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setattr(resources, "INSTALLED", tmp_path / "installed")
    assert resources.resource("docs/SPEC.md") == tmp_path / "installed" / "docs" / "SPEC.md"
    assert resources.resource("properties") == tmp_path / "site-packages" / "properties"


def test_the_wheel_ships_what_resources_looks_for() -> None:
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "data-files"]
    shipped = {dest.removeprefix("share/refnn/"): globs for dest, globs in data_files.items()}
    assert set(shipped) == {"properties", "golden", "docs"}
    for dest, globs in shipped.items():
        matched = [p for g in globs for p in ROOT.glob(g)]
        assert matched, f"nothing matches {globs} for share/refnn/{dest}"
    assert any(p.name == "SPEC.md" for g in shipped["docs"] for p in ROOT.glob(g))
    assert {p.name for p in ROOT.glob("properties/*.py")} >= {"conftest.py", "__init__.py"}
