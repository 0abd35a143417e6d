"""Pages generated at build time: the API reference, the properties' source, rules → properties.

Everything is read without importing the suite: the rules from ``docs/SPEC.md`` and the properties
from ``properties/test_*.py`` with :func:`refnn.conformance.rules.parse` and
:func:`refnn.conformance.rules.properties_in` (the parsers ``tests/conformance/test_spec_traceability.py``
checks), the modules of refnn with :mod:`pkgutil` on the source tree.

* ``_generated/api/<module>.md``: one page per public module (``automodule`` with members);
* ``_generated/properties/<module>.md``: each property with the rules it cites, its docstring and
  its source with line numbers;
* ``_generated/rules.md``: every rule of SPEC.md with the properties that check it;
* ``SPEC.md`` itself gets, under each rule heading, a "Checked by" line linking its properties
  (added as the page is read; the file is not changed).

A page is rewritten only when its text changes, so an incremental build re-reads what changed.
"""

from __future__ import annotations

import ast
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refnn.conformance import rules

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
OUT = DOCS / "_generated"

EXCLUDED_MODULES: dict[str, str] = {
    "refnn.adapters.keras_target": "it refuses to import unless Keras runs on JAX, which the "
    "build's stand-in for Keras cannot answer (docs/FRAMEWORKS.md describes the adapter)",
}
"""Public modules left out of the API reference, with the reason."""


@dataclass(frozen=True)
class Located:
    """A property with where its source starts and ends (decorators included)."""

    prop: rules.Property
    module: str
    qualname: str
    first: int
    last: int

    @property
    def label(self) -> str:
        return f"prop-{self.module}-{self.qualname}".lower().replace(".", "-").replace("_", "-")


def rule_label(rule_id: str) -> str:
    return f"rule-{rule_id.lower()}"


_WRITTEN: set[Path] = set()


def _write(path: Path, text: str) -> None:
    _WRITTEN.add(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------------- API pages


def public_modules() -> list[str]:
    """``refnn`` and every module below it whose name has no leading underscore, in order."""
    names = ["refnn"]
    for info in pkgutil.walk_packages([str(ROOT / "refnn")], prefix="refnn."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        if info.name not in EXCLUDED_MODULES:
            names.append(info.name)
    return sorted(names)


def _is_package(name: str) -> bool:
    return (ROOT / Path(*name.split(".")) / "__init__.py").exists()


def api_pages() -> None:
    modules = public_modules()
    for name in modules:
        # a package's __all__ re-exports names documented on their own module's page
        options = ":members:\n:show-inheritance:\n" if not _is_package(name) else (
            ":members:\n:show-inheritance:\n:ignore-module-all:\n")
        _write(OUT / "api" / f"{name}.md",
               f"# `{name}`\n\n```{{eval-rst}}\n.. automodule:: {name}\n"
               + "".join(f"   {line}\n" for line in options.splitlines()) + "```\n")
    groups: dict[str, list[str]] = {}
    for name in modules:
        parts = name.split(".")
        top = ".".join(parts[:2]) if len(parts) > 1 and _is_package(".".join(parts[:2])) else "refnn"
        groups.setdefault(top, []).append(name)
    lines = ["# API reference", "",
             "One page per public module of refnn, from its docstrings (modules whose name starts",
             "with an underscore are private and not listed).", ""]
    for top, names in groups.items():
        lines += [f"## `{top}`", "", "```{toctree}", ":maxdepth: 1", ""]
        lines += [f"{n}" for n in names]
        lines += ["```", ""]
    _write(OUT / "api" / "index.md", "\n".join(lines))


# ---------------------------------------------------------------------------- property pages


def located_properties() -> list[Located]:
    """Every property of ``properties/test_*.py``, with its source range."""
    found: list[Located] = []
    for path in sorted((ROOT / "properties").glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        props = {(p.name, p.line): p for p in rules.properties_in(source, rel)}
        tree = ast.parse(source, filename=rel)

        def visit(body: list[ast.stmt], prefix: str) -> None:
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    p = props.get((node.name, node.lineno))
                    if p is not None:
                        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                        found.append(Located(p, path.stem, prefix + node.name, first,
                                             node.end_lineno or node.lineno))
                elif isinstance(node, ast.ClassDef):
                    visit(node.body, prefix + node.name + ".")

        visit(tree.body, "")
    return found


def _rule_refs(ids: tuple[str, ...] | list[str], statements: dict[str, str]) -> str:
    return ", ".join(f"{{ref}}`{rid} <{rule_label(rid)}>`" if rid in statements else f"`{rid}`"
                     for rid in ids)


def _prop_ref(loc: Located) -> str:
    return f"{{ref}}`{loc.qualname} <{loc.label}>`"


def _rst_block(text: str) -> str:
    """A docstring as an ``eval-rst`` block (the docstrings are reStructuredText)."""
    return "```{eval-rst}\n" + text.strip() + "\n```\n" if text.strip() else ""


def property_pages(located: list[Located], statements: dict[str, str]) -> None:
    by_module: dict[str, list[Located]] = {}
    for loc in located:
        by_module.setdefault(loc.module, []).append(loc)
    for module, locs in by_module.items():
        path = ROOT / "properties" / f"{module}.py"
        source = path.read_text(encoding="utf-8").splitlines()
        doc = ast.get_docstring(ast.parse("\n".join(source))) or ""
        out = [f"# `properties/{module}.py`", "", _rst_block(doc)]
        for loc in locs:
            body = "\n".join(source[loc.first - 1:loc.last])
            out += [f"({loc.label})=", f"## `{loc.qualname}`", "",
                    f"Checks {_rule_refs(loc.prop.rules, statements)} · "
                    f"`properties/{module}.py`, line {loc.first}", "",
                    _rst_block(loc.prop.docstring),
                    f"```{{code-block}} python\n:lineno-start: {loc.first}\n\n{body}\n```", ""]
        _write(OUT / "properties" / f"{module}.md", "\n".join(out))
    index = ["# The properties", "",
             "The conformance suite (`properties/`), one page per module: each property with the",
             "rules of [the specification](../../SPEC.md) it cites and its source.", "",
             "```{toctree}", ":maxdepth: 1", ""] + list(by_module) + ["```", ""]
    _write(OUT / "properties" / "index.md", "\n".join(index))


def checked_by(located: list[Located]) -> dict[str, list[Located]]:
    table: dict[str, list[Located]] = {}
    for loc in located:
        for rid in loc.prop.rules:
            table.setdefault(rid, []).append(loc)
    return table


def rules_page(statements: dict[str, str], table: dict[str, list[Located]],
               topics: dict[str, str] | None = None) -> None:
    """Every rule, under its family's lecture topic, with the properties that check it."""
    out = ["# Rules → properties", "",
           "Every rule of [the specification](../SPEC.md) and the properties that check it "
           "(generated from `docs/SPEC.md` and the `@pytest.mark.rule` marks of `properties/`).", ""]
    topic = None
    for rid, statement in statements.items():
        family = rid.rsplit("-", 1)[0]
        here = (topics or {}).get(family, family)
        if here != topic:
            topic = here
            out += [f"## {topic[:1].upper()}{topic[1:]}", ""]
        props = " · ".join(_prop_ref(loc) for loc in table.get(rid, [])) or "**none**"
        out += [f"- {{ref}}`{rid} <{rule_label(rid)}>` — {statement}\\", f"  checked by {props}"]
    _write(OUT / "rules.md", "\n".join(out) + "\n")


# ------------------------------------------------------------------------- SPEC.md, annotated


def annotate_spec(text: str, table: dict[str, list[Located]]) -> str:
    """SPEC.md's text with a target before each rule heading and a "Checked by" line after it."""
    out: list[str] = []
    for line in text.splitlines():
        m = rules.RULE_HEADING.match(line)
        if m is None:
            out.append(line)
            continue
        rid = m.group(1)
        props = " · ".join(_prop_ref(loc) for loc in table.get(rid, [])) or "no property"
        out += [f"({rule_label(rid)})=", line, "", f"*Checked by* {props}", ""]
    return "\n".join(out) + "\n"


_STATE: dict[str, dict[str, list[Located]]] = {}


def generate(app: Any) -> None:
    text = (DOCS / "SPEC.md").read_text(encoding="utf-8")
    statements = rules.parse(text)
    located = located_properties()
    table = checked_by(located)
    _STATE["table"] = table
    api_pages()
    property_pages(located, statements)
    rules_page(statements, table, rules.parse_topics(text))
    for stale in set(OUT.rglob("*.md")) - _WRITTEN:  # a module or property that is gone
        stale.unlink()


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    if docname == "SPEC":
        source[0] = annotate_spec(source[0], _STATE.get("table", {}))




def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    app.connect("source-read", on_source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
