"""refnn.resources: the suite (properties/), golden/ and docs/SPEC.md are found inside the installed
package (a wheel maps them there, setup.py) or, in a checkout, at the repository's top; never
anywhere outside refnn's namespace. Also: what refnn does not ship (the football data) is asked
for by how to provide it, not by a developer's path. (The wheel itself: tests/packaging/test_wheel.py.)"""

from __future__ import annotations

import ast
import os
import tomllib
from pathlib import Path

import pytest

import refnn
from refnn import datasets, golden, resources
from refnn.conformance import rules, runner

ROOT = Path(__file__).resolve().parents[2]


def mapped_packages() -> dict[str, str]:
    """setup.py's ``MAPPED`` (package -> source folder), read without running setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "MAPPED" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return value
    raise AssertionError("setup.py defines no MAPPED")


def fake_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package ``fake_refnn`` laid out as a wheel lays refnn out, with the resources in it."""
    pkg = tmp_path / "site" / "fake_refnn"
    (pkg / "properties").mkdir(parents=True)
    (pkg / "properties" / "conftest.py").write_text("")
    (pkg / "data" / "golden").mkdir(parents=True)
    (pkg / "data" / "docs").mkdir(parents=True)
    (pkg / "data" / "docs" / "SPEC.md").write_text("### X-1: a rule\n")
    (pkg / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(resources, "PACKAGE", "fake_refnn")
    return pkg


def test_the_installed_copy_is_found_with_importlib_resources(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = fake_install(tmp_path, monkeypatch)
    monkeypatch.setattr(resources, "CHECKOUT", ROOT)  # even beside a checkout, the install wins
    assert resources.resource("properties") == pkg / "properties"
    assert resources.resource("golden") == pkg / "data" / "golden"
    assert resources.resource("docs/SPEC.md") == pkg / "data" / "docs" / "SPEC.md"


def test_the_checkout_copy_is_used_when_the_package_holds_none() -> None:
    if Path(refnn.__file__).resolve().parent != ROOT / "refnn":
        pytest.skip("refnn is not imported from this checkout")
    assert resources.is_checkout()
    assert resources.resource("properties") == ROOT / "properties"
    assert runner.properties_dir() == ROOT / "properties"
    assert golden.golden_dir() == ROOT / "golden" or golden.ENV_VAR in os.environ
    assert rules.spec_path() == ROOT / "docs" / "SPEC.md"


def test_a_properties_folder_beside_an_installed_refnn_is_not_the_suite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # e.g. the unrelated `properties` distribution installed into the same site-packages
    site = tmp_path / "site-packages"
    (site / "properties").mkdir(parents=True)
    (site / "properties" / "__init__.py").write_text("")
    (site / "properties" / "conftest.py").write_text("")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "fake_empty_refnn").mkdir()
    (tmp_path / "pkg" / "fake_empty_refnn" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    monkeypatch.setattr(resources, "PACKAGE", "fake_empty_refnn")
    monkeypatch.setattr(resources, "CHECKOUT", site)
    assert not resources.is_checkout()
    found = resources.resource("properties")
    assert found == tmp_path / "pkg" / "fake_empty_refnn" / "properties" and not found.exists()
    with pytest.raises(FileNotFoundError, match="refnn.properties"):
        runner.properties_dir()
    # another project's checkout with a properties/ folder is not refnn's either
    (site / "pyproject.toml").write_text('[project]\nname = "properties"\n')
    assert not resources.is_checkout()


def test_resource_names_are_checked() -> None:
    for bad in ("tests", "../golden", "golden/../../x", ""):
        with pytest.raises(ValueError, match="argument 'name'"):
            resources.resource(bad)


def test_the_wheel_maps_every_resource_into_refnns_namespace() -> None:
    mapped = mapped_packages()
    for top, inside in resources.PACKAGED.items():
        package = "refnn." + inside.replace("/", ".")
        assert mapped.get(package) == top, (package, mapped)
        assert (ROOT / top).is_dir()
    assert all(name.startswith("refnn.") for name in mapped)
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "data-files" not in setuptools  # nothing goes to <prefix>/share any more
    data = setuptools["package-data"]
    for package, globs in data.items():
        if package in mapped:
            source = ROOT / mapped[package]
            assert all(list(source.glob(g)) for g in globs), (package, globs)
    assert "SPEC.md" in data["refnn.data.docs"]
    assert {p.name for p in (ROOT / "golden").glob("*.json")} >= {f"{n}.json" for n in golden.NAMES}
    assert (ROOT / "properties" / "__init__.py").is_file()


def test_the_suite_imports_itself_relatively() -> None:
    # absolute imports (`from properties.strategies import ...`) would let a top-level
    # `properties` package elsewhere on sys.path take the suite over once installed
    for path in sorted((ROOT / "properties").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert node.module.split(".")[0] != "properties", f"{path.name}: {node.module}"
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "properties" for a in node.names), path.name


def test_missing_football_data_says_how_to_provide_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as installed: the developers' fallback (../shared/data/football.mat) is not there
    monkeypatch.setattr(datasets, "__file__", str(tmp_path / "lib" / "refnn" / "datasets.py"))
    monkeypatch.delenv(datasets.FOOTBALL_ENV_VAR, raising=False)
    with pytest.raises(FileNotFoundError) as info:
        datasets.load_football(datasets.football_path())
    message = str(info.value)
    assert datasets.FOOTBALL_ENV_VAR in message and "pass its path" in message
    assert "shared" not in message and str(tmp_path) not in message
    # a path the user gave is named
    with pytest.raises(FileNotFoundError, match="no football data file at '.*mine.mat'"):
        datasets.load_football(tmp_path / "mine.mat")
