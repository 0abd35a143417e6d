"""The documentation site's generated pages (docs/_ext/refnn_pages.py), without building the site:
the rules → properties page lists every rule of SPEC.md with the properties citing it, SPEC.md's
rule headings get link targets, and the API reference has a page per public module.

The build itself (``./dev docs``, warnings as errors) runs in CI (.ci/run), not here.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from refnn.conformance import rules

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refnn_pages", REPO / "docs" / "_ext" /
                                                  "refnn_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("refnn_pages", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def out(pages: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pages, "OUT", tmp_path)
    monkeypatch.setattr(pages, "_WRITTEN", set())
    return tmp_path


def spec_rules() -> dict[str, str]:
    return rules.parse((REPO / "docs" / "SPEC.md").read_text(encoding="utf-8"))


def test_the_rules_page_lists_every_rule_with_the_properties_citing_it(
        pages: ModuleType, out: Path) -> None:
    statements = spec_rules()
    assert len(statements) > 50
    located = pages.located_properties()
    pages.rules_page(statements, pages.checked_by(located))
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r"^- \{ref\}`([A-Z0-9]+-\d+[a-z]?) <rule-[^>]+>` — .*\\\n  checked by (.*)$",
        (out / "rules.md").read_text(encoding="utf-8"), re.M)}
    assert list(rows) == list(statements)
    for loc in located:  # every property's link is on the row of each rule it cites
        for rid in loc.prop.rules:
            assert f"<{loc.label}>" in rows[rid], (rid, loc.qualname)
    assert not [rid for rid, cell in rows.items() if cell == "**none**"]


def test_a_rule_no_property_cites_is_shown_as_unchecked(pages: ModuleType, out: Path) -> None:
    pages.rules_page({"A-1": "a rule", "B-1": "another"}, {}, {"A": "topic a"})
    text = (out / "rules.md").read_text(encoding="utf-8")
    assert "## Topic a\n\n- {ref}`A-1 <rule-a-1>` — a rule\\\n  checked by **none**\n" in text
    assert "## B\n" in text


def test_every_property_has_a_source_page_with_its_code(pages: ModuleType, out: Path) -> None:
    located = pages.located_properties()
    pages.property_pages(located, spec_rules())
    for loc in located:
        page = (out / "properties" / f"{loc.module}.md").read_text(encoding="utf-8")
        assert f"({loc.label})=" in page
        assert f"def {loc.qualname.rsplit('.', 1)[-1]}(" in page
        assert f":lineno-start: {loc.first}" in page


def test_spec_headings_get_a_target_and_their_properties(pages: ModuleType) -> None:
    text = (REPO / "docs" / "SPEC.md").read_text(encoding="utf-8")
    table = pages.checked_by(pages.located_properties())
    annotated = pages.annotate_spec(text, table)
    for rid in spec_rules():
        assert f"({pages.rule_label(rid)})=\n### {rid}:" in annotated
    assert rules.parse(annotated) == spec_rules()  # the rules themselves are unchanged
    assert "*Checked by* no property" in pages.annotate_spec("### Z-1: unchecked\n", {})


def test_the_api_reference_has_a_page_per_public_module(pages: ModuleType, out: Path) -> None:
    modules = pages.public_modules()
    files = {p.relative_to(REPO / "refnn").with_suffix("") for p in (REPO / "refnn").rglob("*.py")}
    expected = {"refnn." + ".".join(f.parts) for f in files if not any(
        part.startswith("_") for part in f.parts)}
    expected |= {"refnn." + ".".join(f.parts[:-1]) for f in files if f.name == "__init__"}
    expected = {m.rstrip(".") for m in expected} - set(pages.EXCLUDED_MODULES)
    assert set(modules) == expected
    assert "refnn.progress" in modules and not any("__main__" in m for m in modules)
    pages.api_pages()
    for name in modules:
        assert f".. automodule:: {name}" in (out / "api" / f"{name}.md").read_text(encoding="utf-8")
    index = (out / "api" / "index.md").read_text(encoding="utf-8")
    assert all(f"\n{name}\n" in index for name in modules)
