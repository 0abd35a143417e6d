"""The frameworks matrix: the RNG-independent tier over every installed implementation.

:func:`build_matrix` runs ``python -m refnn conform --tier properties --json FILE`` once per
implementation (:data:`IMPLEMENTATIONS`: refnn.course, PyTorch, JAX, Keras, scikit-learn,
Flax/optax), each in its own subprocess, skipping those whose framework is not installed (with the
install hint). It writes one ``<key>.json`` per implementation — the ``refnn conform`` report,
stamped with the framework's version, refnn's version and the spec's revision (the SHA-256 of
docs/SPEC.md), every failed property marked as an explained expected failure (its finding in
docs/FRAMEWORKS.md, :mod:`refnn.adapters.findings`) or not — and a static, self-contained
``index.html``: one row per rule of docs/SPEC.md, one column per implementation.

    from refnn.conformance.matrix import build_matrix
    build_matrix("docs/conformance")          # regenerates the committed matrix

A cell aggregates the properties citing the rule: **fail** if one failed without a finding,
else **expected failure** if one failed with a finding (linked), else **pass** if one passed,
else **skip** (the implementation does not provide the functions).
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refnn.adapters.findings import finding_for
from refnn.conformance import rules as spec_rules

__all__ = ["IMPLEMENTATIONS", "Implementation", "annotate", "build_matrix", "cell_status",
           "load_reports", "refresh", "render_html", "spec_revision"]

SCHEMA = "refnn-matrix/1"


@dataclass(frozen=True)
class Implementation:
    """One column: a conformance target and the distributions it needs."""

    key: str
    label: str
    target: str
    distributions: tuple[str, ...]
    """Distributions (pip names) whose versions stamp the results; the first is the framework."""
    modules: tuple[str, ...]
    """Import names that must be importable for the implementation to run."""
    install: str


IMPLEMENTATIONS: tuple[Implementation, ...] = (
    Implementation("course", "refnn.course", "refnn.course", ("numpy",), ("numpy",),
                   "part of refnn"),
    Implementation("torch", "PyTorch", "refnn.adapters.torch_target", ("torch",), ("torch",),
                   "pip install 'refnn[torch]'"),
    Implementation("jax", "JAX", "refnn.adapters.jax_target", ("jax", "jaxlib"), ("jax",),
                   "pip install 'refnn[jax]'"),
    Implementation("keras", "Keras 3 (JAX)", "refnn.adapters.keras_target", ("keras", "jax"),
                   ("keras", "jax"), "pip install 'refnn[keras]'"),
    Implementation("sklearn", "scikit-learn", "refnn.adapters.sklearn_target", ("scikit-learn",),
                   ("sklearn",), "pip install scikit-learn"),
    Implementation("flax", "Flax / optax", "refnn.adapters.flax_target", ("flax", "optax", "jax"),
                   ("flax", "optax", "jax"), "pip install 'refnn[flax]'"),
)

STATUSES = ("pass", "xfail", "fail", "skip")
LEGEND = {
    "pass": "pass — every property citing the rule that ran passed",
    "xfail": "expected failure — a known difference, explained by a finding in FRAMEWORKS.md",
    "fail": "fail — a property broke the rule and no finding explains it",
    "skip": "skip — the implementation does not provide the functions (or is not installed)",
}


def spec_revision(spec: Path | None = None) -> str:
    """The first 12 hex digits of the SHA-256 of docs/SPEC.md."""
    path = spec_rules.spec_path() if spec is None else spec
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _versions(impl: Implementation) -> dict[str, str]:
    out = {}
    for dist in impl.distributions:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _missing(impl: Implementation) -> list[str]:
    return [m for m in impl.modules if importlib.util.find_spec(m) is None]


def _run_one(impl: Implementation, out_dir: Path, profile: str, timeout: float) -> dict[str, Any]:
    """Run the tier on ``impl`` in a subprocess; return its stamped report."""
    from refnn import __version__

    stamp: dict[str, Any] = {
        "schema": SCHEMA, "implementation": impl.key, "label": impl.label, "target": impl.target,
        "versions": _versions(impl), "refnn_version": __version__,
        "spec_revision": spec_revision(), "python": sys.version.split()[0],
        "tier": "properties", "profile": profile,
    }
    missing = _missing(impl)
    if missing:
        return {**stamp, "status": "not installed", "install": impl.install,
                "reason": f"{', '.join(missing)} not importable: {impl.install}", "properties": []}
    report = out_dir / f"{impl.key}.conform.json"
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the checkout (or site-packages) above refnn/
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("KERAS_BACKEND", "jax")
    env.pop("REFNN_TARGET", None)
    # the suite's per-call limit (20 s) is for hung targets, not for eager JAX on a busy machine
    env["REFNN_TARGET_TIMEOUT"] = "300"  # refnn conform ignores the caller's PYTEST_ADDOPTS
    cmd = [sys.executable, "-m", "refnn", "conform", "--target", impl.target, "--tier",
           "properties", "--profile", profile, "--json", str(report), "--no-progress"]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return {**stamp, "status": "timeout", "reason": f"did not finish within {timeout:g} s",
                "properties": []}
    seconds = round(time.monotonic() - start, 1)
    if not report.is_file():
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        return {**stamp, "status": "error", "reason": " / ".join(tail), "properties": [],
                "seconds": seconds}
    doc = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    props = [{k: p[k] for k in ("nodeid", "topic", "outcome", "rules", "summary")}
             for p in doc["properties"]]
    return annotate({**stamp, "status": "ran", "seconds": seconds,
                     "exit_status": doc["exit_status"], "totals": doc["totals"],
                     "properties": props})


def annotate(report: dict[str, Any]) -> dict[str, Any]:
    """Mark each failed property of ``report`` that a finding explains as ``xfail`` (with the
    finding), and each ``xfail`` no finding explains any more as ``failed`` again."""
    for p in report["properties"]:
        if p["outcome"] in ("failed", "xfail"):
            found = finding_for(report["implementation"], p["nodeid"])
            p.pop("finding", None)
            p["outcome"] = "failed" if found is None else "xfail"
            if found is not None:
                p["finding"] = {"anchor": found.anchor, "reason": found.reason}
    return report


def refresh(out_dir: str | Path) -> Path:
    """Re-annotate a matrix directory's reports with the current findings and re-render its page
    (without running anything)."""
    out = Path(out_dir)
    reports = [annotate(r) for r in load_reports(out)]
    for r in reports:
        (out / f"{r['implementation']}.json").write_text(
            json.dumps(r, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    page = out / "index.html"
    page.write_text(render_html(reports), encoding="utf-8")
    return page


def cell_status(props: Sequence[Mapping[str, Any]]) -> str:
    """The cell of one rule: ``fail`` > ``xfail`` > ``pass`` > ``skip`` over its properties
    (``environment`` and ``error`` outcomes count as ``fail``)."""
    outcomes = {p["outcome"] for p in props}
    if outcomes & {"failed", "environment", "error"}:
        return "fail"
    if "xfail" in outcomes:
        return "xfail"
    if "passed" in outcomes:
        return "pass"
    return "skip"


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111}
table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#eee;position:sticky;top:0}td.rule{font-family:monospace;white-space:nowrap}
td.st{text-align:center;min-width:7em}td.statement{max-width:34em}
.pass{background:#c8f0c8}.xfail{background:#ffe7a8}.fail{background:#f6b0b0}.skip{background:#eee;color:#777}
tr.topic td{background:#dde6f5;font-weight:bold}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid #bbb}
small{color:#555}
"""


def render_html(reports: Sequence[Mapping[str, Any]], findings_href: str = "../FRAMEWORKS.md"
                ) -> str:
    """The matrix page (no external resources): rules × implementations, with a legend."""
    rules = spec_rules.load()
    esc = html.escape
    head = ["<th>rule</th><th>statement</th>"]
    for r in reports:
        v = ", ".join(f"{k} {val}" for k, val in r["versions"].items())
        head.append(f"<th>{esc(r['label'])}<br><small>{esc(v)}</small></th>")
    rows: list[str] = []
    topic = None
    for rid, statement in rules.items():
        prefix = rid.rsplit("-", 1)[0]
        if prefix != topic:
            topic = prefix
            rows.append(f'<tr class="topic"><td colspan="{2 + len(reports)}">{esc(prefix)}</td></tr>')
        cells = [f'<td class="rule" id="{esc(rid)}">{esc(rid)}</td>'
                 f'<td class="statement">{esc(statement)}</td>']
        for r in reports:
            props = [p for p in r["properties"] if rid in p["rules"]]
            if r["status"] != "ran":
                title = r.get("reason", r["status"])
                cells.append(f'<td class="st skip" title="{esc(title)}">skip<br>'
                             f'<small>{esc(r["status"])}</small></td>')
                continue
            st = cell_status(props)
            n_pass = sum(p["outcome"] == "passed" for p in props)
            detail = "; ".join(f"{p['nodeid'].rsplit('::', 1)[-1]}: {p['outcome']}"
                               + (f" — {p['summary']}" if p.get("summary") else "")
                               for p in props)
            text = {"pass": f"pass<br><small>{n_pass}/{len(props)}</small>", "skip": "skip",
                    "fail": "FAIL", "xfail": "expected failure"}[st]
            if st == "xfail":
                anchors = list(dict.fromkeys(p["finding"]["anchor"] for p in props if "finding" in p))
                links = " ".join(f'<a href="{esc(findings_href)}#{esc(a)}">finding</a>'
                                 for a in anchors)
                text += f"<br><small>{links}</small>"
            cells.append(f'<td class="st {st}" data-status="{st}" title="{esc(detail[:900])}">'
                         f"{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    first = reports[0] if reports else {}
    legend = "".join(f'<span class="{k}">{esc(v)}</span>' for k, v in LEGEND.items())
    stamp = (f"refnn {esc(str(first.get('refnn_version', '?')))}, spec revision "
             f"{esc(str(first.get('spec_revision', '?')))} (SHA-256 of docs/SPEC.md), tier "
             "properties (-m \"not golden\"), Hypothesis profile "
             f"{esc(str(first.get('profile', '?')))}")
    skipped = "".join(f"<li>{esc(r['label'])}: {esc(r.get('reason', r['status']))}</li>"
                      for r in reports if r["status"] != "ran")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>refnn conformance matrix</title><style>" + _CSS + "</style></head><body>\n"
        "<h1>refnn conformance matrix</h1>\n"
        f"<p>Each row is a rule of docs/SPEC.md, each column an implementation of the course's "
        f"functions judged by the RNG-independent tier of the suite. {stamp}. Regenerate with "
        "<code>python -c \"from refnn.conformance.matrix import build_matrix; "
        "build_matrix('docs/conformance')\"</code>.</p>\n"
        f'<p class="legend">{legend}</p>\n'
        + (f"<ul>{skipped}</ul>\n" if skipped else "")
        + '<table id="matrix"><thead><tr>' + "".join(head) + "</tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table>\n</body></html>\n"
    )


def build_matrix(out_dir: str | Path, implementations: Sequence[str] | None = None, *,
                 profile: str = "ci", jobs: int = 2, timeout: float = 1800.0) -> Path:
    """Run the tier over the implementations (keys of :data:`IMPLEMENTATIONS`; all by default),
    write ``<key>.json`` for each and ``index.html`` (over every ``<key>.json`` in ``out_dir``, so
    that rebuilding some implementations keeps the others' columns); return the page's path.

    Raises:
        ValueError: an unknown implementation key.
    """
    known = {i.key: i for i in IMPLEMENTATIONS}
    keys = list(known) if implementations is None else list(implementations)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValueError(f"implementations must be among {', '.join(known)}, got "
                         f"{', '.join(map(repr, unknown))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        reports = list(pool.map(lambda k: _run_one(known[k], out, profile, timeout), keys))
    for r in reports:
        (out / f"{r['implementation']}.json").write_text(
            json.dumps(r, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    page = out / "index.html"  # every report in the folder: a partial rebuild keeps the others
    page.write_text(render_html(load_reports(out)), encoding="utf-8")
    return page


def load_reports(out_dir: str | Path) -> list[dict[str, Any]]:
    """The ``<key>.json`` reports of a matrix directory, in :data:`IMPLEMENTATIONS` order."""
    out = Path(out_dir)
    return [json.loads((out / f"{i.key}.json").read_text(encoding="utf-8"))
            for i in IMPLEMENTATIONS if (out / f"{i.key}.json").is_file()]

