"""What ``refnn grade`` writes: the terminal table, ``--csv``, ``--json`` (schema
:data:`SCHEMA`, described by ``grade.schema.json`` beside this module) and Gradescope's
``results.json``.

All of them are made from :class:`~refnn.grading.grade.SubmissionGrade` objects.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from refnn.grading.grade import SubmissionGrade

SCHEMA = "refnn-grade/1"
"""The version of the ``--json`` document; a change that breaks a reader bumps it."""

SCHEMA_FILE = Path(__file__).with_name("grade.schema.json")


def _short_functions(functions: dict[str, str]) -> str:
    return " · ".join(f"{f}: {v}" for f, v in functions.items())


def table(grades: Sequence[SubmissionGrade], *, width: int = 100) -> list[str]:
    """One row per submission (verdict, score, path, reason) and an indented line with its
    functions and their verdicts; then the class's totals."""
    if not grades:
        return ["no submissions"]
    names = [g.path for g in grades]
    root = os.path.commonpath([str(Path(n).parent) for n in names]) if len(names) > 1 else ""
    shown = [os.path.relpath(n, root) if root else n for n in names]
    w = min(max(len(s) for s in shown), 48)
    lines = [f"{'verdict':<8} {'score':>11}  {'submission':<{w}}  reason", "-" * width]
    for g, name in zip(grades, shown):
        score = f"{g.score:g}/{g.max_score:g}"
        reason = g.reason if g.verdict != "pass" else (g.reason or "")
        lines.append(f"{g.verdict.upper():<8} {score:>11}  {name:<{w}}  {reason}")
        if g.functions:
            lines.append(f"{'':<8} {'':>11}  {_short_functions(g.functions)}")
    counts = Counter(g.verdict for g in grades)
    lines.append("-" * width)
    lines.append(f"{len(grades)} submission(s): {counts['pass']} pass, {counts['fail']} fail, "
                 f"{counts['error']} error")
    return lines


CSV_COLUMNS = ("path", "row", "rule", "statement", "status", "score", "max_score", "verdict",
               "reason", "functions")


def csv_text(grades: Sequence[SubmissionGrade]) -> str:
    """A row per submission × rule (``row = rule``), then a summary row per submission
    (``row = summary``: the verdict, the total score and the reason)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for g in grades:
        for r in g.rules:
            writer.writerow([g.path, "rule", r.rule, r.statement, r.status, f"{r.score:g}",
                             f"{r.max_score:g}", g.verdict, "", " ".join(r.functions)])
        writer.writerow([g.path, "summary", "", "", g.verdict, f"{g.score:g}",
                         f"{g.max_score:g}", g.verdict, g.reason, _short_functions(g.functions)])
    return buffer.getvalue()


def summary(grades: Sequence[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(str(g["verdict"]) for g in grades)
    scores = [float(g["score"]) for g in grades]
    broken = Counter(r for g in grades for r in g["rules_broken"])
    return {"submissions": len(grades), "pass": counts["pass"], "fail": counts["fail"],
            "error": counts["error"],
            "mean_score": round(sum(scores) / len(scores), 3) if scores else 0.0,
            "rules_broken": dict(sorted(broken.items(), key=lambda kv: (-kv[1], kv[0])))}


def json_document(grades: Sequence[SubmissionGrade], settings: dict[str, Any], *,
                  with_records: bool = False) -> dict[str, Any]:
    """The ``--json`` document (schema :data:`SCHEMA`): ``settings``, a ``summary`` and the
    ``submissions``, sorted by path."""
    from refnn import __version__

    subs = sorted((g.to_dict(with_records=with_records) for g in grades),
                  key=lambda d: str(d["path"]))
    return {"schema": SCHEMA, "refnn_version": __version__,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "settings": settings, "summary": summary(subs), "submissions": subs}


def merge(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Several ``--json`` documents (shards of one class) as one.

    Raises:
        ValueError: a document is not of :data:`SCHEMA`, the shards were judged with different
            settings, or a submission appears in two of them.
    """
    if not documents:
        raise ValueError("merge: expected at least one --json document, got none")
    subs: dict[str, dict[str, Any]] = {}
    base: dict[str, Any] | None = None
    for i, doc in enumerate(documents):
        if doc.get("schema") != SCHEMA:
            raise ValueError(f"merge: document {i + 1}: expected schema {SCHEMA!r}, got "
                             f"{doc.get('schema')!r}")
        settings = {k: v for k, v in dict(doc.get("settings", {})).items() if k != "shard"}
        if base is None:
            base = settings
        elif settings != base:
            differ = sorted(k for k in set(settings) | set(base)
                            if settings.get(k) != base.get(k))
            raise ValueError(f"merge: document {i + 1} was judged with other settings "
                             f"({', '.join(differ)})")
        for s in doc.get("submissions", []):
            if s["path"] in subs:
                raise ValueError(f"merge: {s['path']} is in two documents")
            subs[s["path"]] = s
    ordered = [subs[p] for p in sorted(subs)]
    return {"schema": SCHEMA, "refnn_version": documents[0].get("refnn_version", ""),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "settings": {**(base or {}), "shard": None, "merged_from": len(documents)},
            "summary": summary(ordered), "submissions": ordered}


def gradescope_document(g: SubmissionGrade, *, visibility: str = "visible",
                        points_per_missing: dict[str, float] | None = None) -> dict[str, Any]:
    """Gradescope's ``results.json`` for one submission: one test per rule (name = id and
    statement, score, max_score, status, output = the learner-facing report, tags = the rule id,
    visibility), a test per graded function nothing judged, and the verdict as the output."""
    tests: list[dict[str, Any]] = []
    for r in g.rules:
        status = "passed" if r.status == "passed" else "failed"
        output = r.output or ("passed" if status == "passed" else r.status)
        if r.status == "consequence":
            output = (f"a consequence of {', '.join(r.caused_by)} (fix that first)\n\n"
                      + r.output)
        tests.append({"name": f"{r.rule}: {r.statement}" if r.statement else r.rule,
                      "score": r.score, "max_score": r.max_score, "status": status,
                      "output": output, "tags": [r.rule, *r.functions],
                      "visibility": visibility})
    for f, verdict in g.functions.items():
        if verdict in ("missing", "not judged") and points_per_missing and f in points_per_missing:
            tests.append({"name": f"{f}: {verdict}", "score": 0.0,
                          "max_score": points_per_missing[f], "status": "failed",
                          "output": f"{f} was {'not found in the submission' if verdict == 'missing' else 'not judged'}",
                          "tags": [f], "visibility": visibility})
    head = f"{g.verdict.upper()}: {g.reason}" if g.reason else g.verdict.upper()
    if g.hints:
        head += "\n\nlikely causes:\n" + "\n".join(f"  - {h}" for h in g.hints)
    return {"score": g.score, "output": head, "visibility": visibility,
            "stdout_visibility": "hidden", "execution_time": round(g.seconds, 1),
            "tests": tests}


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole (a temporary file, then a rename), so a reader (or a
    crash) never sees half a file."""
    target = Path(path).expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent or "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
