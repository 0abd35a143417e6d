"""``refnn grade --html FILE``: one self-contained page for the teacher (no scripts, no external
files): the rules × submissions heat map, how many submissions broke each rule, the most common
likely causes, and each submission's feedback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

from refnn.grading.grade import SubmissionGrade

_COLOURS = {"passed": "#2e7d32", "broken": "#c62828", "consequence": "#ef9a9a",
            "unfinished": "#f9a825", "portability": "#fb8c00", "environment": "#8e8e8e",
            "suite_error": "#6a1b9a", "": "#eeeeee"}
_VERDICT = {"pass": "#2e7d32", "fail": "#c62828", "error": "#6a1b9a"}

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { padding: 3px 6px; font-size: 13px; }
.heat td.cell { width: 18px; height: 18px; padding: 0; border: 1px solid #fff; }
.heat th.rule { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
.verdict { color: #fff; border-radius: 3px; padding: 1px 6px; font-weight: bold; }
.bar { background: #c62828; height: 12px; display: inline-block; }
pre { background: #f6f6f6; padding: 8px; white-space: pre-wrap; font-size: 12px; }
.legend span { display: inline-block; margin-right: 1em; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
"""


def _rule_status(g: SubmissionGrade) -> dict[str, str]:
    return {r.rule: r.status for r in g.rules}


def page(grades: Sequence[SubmissionGrade], settings: dict[str, Any]) -> str:
    """The class report as one HTML document."""
    rules = sorted({r.rule for g in grades for r in g.rules},
                   key=lambda rid: (rid.rpartition("-")[0], int(rid.rpartition("-")[2])
                                    if rid.rpartition("-")[2].isdigit() else 0))
    counts = Counter(g.verdict for g in grades)
    broke = Counter(r for g in grades for r in g.rules_broken)
    hints = Counter(h for g in grades for h in g.hints)
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>refnn grade: class report</title>", f"<style>{_STYLE}</style></head><body>",
             "<h1>refnn grade: class report</h1>",
             f"<p>{len(grades)} submission(s): <b>{counts['pass']}</b> pass, "
             f"<b>{counts['fail']}</b> fail, <b>{counts['error']}</b> error. Tier "
             f"{escape(str(settings.get('tier')))}, profile {escape(str(settings.get('profile')))}"
             f", {escape(str(settings.get('timeout')))} s and "
             f"{escape(str(settings.get('memory_mb')))} MB per submission.</p>"]
    parts.append("<h2>Rules × submissions</h2><p class='legend'>" + "".join(
        f"<span><i style='background:{c}'></i>{escape(k or 'not judged')}</span>"
        for k, c in _COLOURS.items()) + "</p>")
    parts.append("<table class='heat' id='heatmap'><tr><th></th><th></th>"
                 + "".join(f"<th class='rule'>{escape(r)}</th>" for r in rules) + "</tr>")
    for i, g in enumerate(grades):
        status = _rule_status(g)
        parts.append(f"<tr><td><a href='#s{i}'>{escape(_name(g.path))}</a></td>"
                     f"<td><span class='verdict' style='background:{_VERDICT[g.verdict]}'>"
                     f"{g.verdict}</span></td>"
                     + "".join(f"<td class='cell' title='{escape(r)}: "
                               f"{escape(status.get(r, 'not judged'))}' style='background:"
                               f"{_COLOURS.get(status.get(r, ''), '#eee')}'></td>" for r in rules)
                     + "</tr>")
    parts.append("</table>")
    parts.append("<h2>How many broke each rule</h2><table id='broken'>")
    top = max(broke.values(), default=1)
    for rid, n in broke.most_common():
        from refnn.conformance import rules as rule_text

        parts.append(f"<tr><td>{escape(rid)}</td><td>{n}</td><td><span class='bar' "
                     f"style='width:{int(200 * n / top)}px'></span></td>"
                     f"<td>{escape(rule_text.statement(rid))}</td></tr>")
    if not broke:
        parts.append("<tr><td>no rule was broken</td></tr>")
    parts.append("</table><h2>Most common likely causes</h2><ol>")
    parts += [f"<li>{escape(h)} ({n})</li>" for h, n in hints.most_common(10)]
    if not hints:
        parts.append("<li>none recorded</li>")
    parts.append("</ol><h2>Feedback per submission</h2>")
    for i, g in enumerate(grades):
        parts.append(f"<h3 id='s{i}'>{escape(_name(g.path))} — {g.verdict} "
                     f"{g.score:g}/{g.max_score:g}</h3>")
        if g.reason:
            parts.append(f"<p>{escape(g.reason)}</p>")
        if g.functions:
            parts.append("<ul>" + "".join(f"<li><code>{escape(f)}</code>: {escape(v)}</li>"
                                          for f, v in g.functions.items()) + "</ul>")
        for r in g.rules:
            if r.status != "passed" and r.output:
                parts.append(f"<details><summary>{escape(r.rule)} ({escape(r.status)})"
                             f"</summary><pre>{escape(r.output)}</pre></details>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
