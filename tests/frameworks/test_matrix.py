"""The frameworks matrix (refnn.conformance.matrix): its cells, its page, and the page in a real
headless browser (Chromium, Debian's ``chromium`` package; skipped when it is absent)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from refnn.adapters.findings import FINDINGS, finding_for
from refnn.conformance import matrix
from refnn.conformance import rules as spec_rules

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "conformance"


def _report(key: str, label: str, outcomes: dict[str, str], status: str = "ran"
            ) -> dict[str, Any]:
    props = [{"nodeid": f"properties/test_x.py::test_{rid}_{i}", "topic": "t", "outcome": o,
              "rules": [rid], "summary": f"{rid} {o}"}
             for i, (rid, o) in enumerate(outcomes.items())]
    return {"implementation": key, "label": label, "versions": {key: "1.0"}, "status": status,
            "refnn_version": "0.1.0", "spec_revision": "abc", "profile": "ci",
            "reason": "x not importable: pip install x", "properties": props}


def test_cell_status_orders_fail_over_xfail_over_pass_over_skip() -> None:
    p = [{"outcome": "passed"}, {"outcome": "skipped"}]
    assert matrix.cell_status(p) == "pass"
    assert matrix.cell_status(p + [{"outcome": "xfail"}]) == "xfail"
    assert matrix.cell_status(p + [{"outcome": "xfail"}, {"outcome": "failed"}]) == "fail"
    assert matrix.cell_status([{"outcome": "environment"}]) == "fail"
    assert matrix.cell_status([{"outcome": "skipped"}]) == "skip"
    assert matrix.cell_status([]) == "skip"


def test_annotate_marks_only_explained_failures() -> None:
    f = FINDINGS["jax"][0]
    r = {"implementation": "jax", "properties": [
        {"nodeid": "properties/" + f.test, "outcome": "failed", "rules": ["X-1"]},
        {"nodeid": "properties/test_x.py::test_other", "outcome": "failed", "rules": ["X-1"]}]}
    matrix.annotate(r)
    assert [p["outcome"] for p in r["properties"]] == ["xfail", "failed"]
    assert r["properties"][0]["finding"]["anchor"] == f.anchor


def test_unknown_implementation_is_named() -> None:
    with pytest.raises(ValueError, match="'tensorflow'"):
        matrix.build_matrix(tempfile.mkdtemp(), ["tensorflow"])


def test_every_finding_anchor_exists_in_frameworks_md() -> None:
    text = (ROOT / "docs" / "FRAMEWORKS.md").read_text(encoding="utf-8")
    anchors = {f.anchor for fs in FINDINGS.values() for f in fs}
    missing = [a for a in anchors if f'<a id="{a}"></a>' not in text]
    assert not missing, missing


def _page(tmp: Path) -> Path:
    rules = list(spec_rules.load())
    a = _report("course", "refnn.course", {rules[0]: "passed", rules[1]: "failed"})
    b = _report("jax", "JAX", {rules[0]: "xfail", rules[1]: "skipped"})
    b["properties"][0]["finding"] = {"anchor": "jax-truncated", "reason": "truncated"}
    c = _report("keras", "Keras", {}, status="not installed")
    page = tmp / "index.html"
    page.write_text(matrix.render_html([a, b, c]), encoding="utf-8")
    return page


def test_page_has_one_row_per_rule_and_a_legend(tmp_path: Path) -> None:
    text = _page(tmp_path).read_text(encoding="utf-8")
    for rid in spec_rules.load():
        assert f'id="{rid}"' in text
    for word in ("expected failure", "FRAMEWORKS.md#jax-truncated", "pip install x", "legend"):
        assert word in text
    assert "<script" not in text and "http" not in text.split("</style>")[0]  # self-contained


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed: apt-get install -y chromium (Debian)")


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tempfile.mkdtemp(prefix="refnn-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _check_screenshot(page: Path, png: Path) -> None:
    _chromium("--window-size=1400,900", f"--screenshot={png}", page.as_uri())
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = pytest.importorskip("matplotlib.image").imread(str(png))
    pixels = np.asarray(image)[..., :3].reshape(-1, 3)
    assert pixels.shape[0] >= 1000
    # not blank: several distinct colours (text, the cells' green/amber/red, the header grey)
    assert len(np.unique(np.round(pixels * 255).astype(int), axis=0)) > 20


def _rows_in_dom(page: Path) -> list[str]:
    dom = _chromium("--dump-dom", page.as_uri()).stdout
    assert "<table" in dom, dom[:500]
    return [rid for rid in spec_rules.load() if f'<td class="rule" id="{rid}">' in dom]


@needs_chromium
def test_rendered_page_in_a_headless_browser(tmp_path: Path) -> None:
    page = _page(tmp_path)
    _check_screenshot(page, tmp_path / "shot.png")
    assert _rows_in_dom(page) == list(spec_rules.load())


@needs_chromium
@pytest.mark.skipif(not (COMMITTED / "index.html").is_file(),
                    reason="docs/conformance/index.html not generated yet")
def test_committed_matrix_in_a_headless_browser(tmp_path: Path) -> None:
    """The committed page: a screenshot, every rule a row, and six implementations' JSON."""
    page = COMMITTED / "index.html"
    _check_screenshot(page, tmp_path / "committed.png")
    assert _rows_in_dom(page) == list(spec_rules.load())
    reports = matrix.load_reports(COMMITTED)
    assert [r["implementation"] for r in reports] == [i.key for i in matrix.IMPLEMENTATIONS]
    for r in reports:
        assert r["spec_revision"] and r["refnn_version"] and r["versions"]
        unexplained = [p["nodeid"] for p in r["properties"] if p["outcome"] == "failed"
                       and finding_for(r["implementation"], p["nodeid"]) is None]
        assert not unexplained, (r["implementation"], unexplained)
