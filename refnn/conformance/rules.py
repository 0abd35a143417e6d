"""The rules of ``docs/SPEC.md``: headings ``### ID: statement``.

Used for failure messages (the rule's statement beside its id) and by the traceability test.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from refnn.resources import resource

RULE_HEADING = re.compile(r"^###\s+([A-Z][A-Z0-9]*-\d+[a-z]?):\s+(.+?)\s*$")
"""A rule heading: ``### L2-2: the gradient of the L2 term is λ/m·W[l]``."""

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d+[a-z]?$")


def repo_root() -> Path:
    """The checkout holding this package (``refnn/conformance/rules.py`` → the repository)."""
    return Path(__file__).resolve().parents[2]


def spec_path() -> Path:
    """``docs/SPEC.md`` of the checkout (or the copy a wheel installs)."""
    return resource("docs/SPEC.md")


def parse(text: str) -> dict[str, str]:
    """``{id: statement}`` for every rule heading of a SPEC text, in order.

    Raises:
        ValueError: an id is defined twice.
    """
    rules: dict[str, str] = {}
    for line in text.splitlines():
        m = RULE_HEADING.match(line)
        if m:
            rid, statement = m.group(1), m.group(2)
            if rid in rules:
                raise ValueError(f"docs/SPEC.md defines rule {rid} twice")
            rules[rid] = statement
    return rules


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, str]:
    return parse(Path(path).read_text(encoding="utf-8"))


def load(path: Path | None = None) -> dict[str, str]:
    """The rules of ``docs/SPEC.md`` (empty when the file is not there, e.g. in an installed copy)."""
    p = spec_path() if path is None else path
    try:
        return _load(str(p), p.stat().st_mtime)
    except FileNotFoundError:
        return {}


def statement(rule_id: str) -> str:
    """The statement of ``rule_id`` ('' if unknown)."""
    return load().get(rule_id, "")


# ------------------------------------------------------------------------------ traceability


@dataclass(frozen=True)
class Property:
    """A property found in a test module: where it is, the rules it cites, its docstring."""

    path: str
    name: str
    line: int
    rules: tuple[str, ...]
    docstring: str


def _rule_args(node: ast.AST) -> list[str] | None:
    """The ids of a ``pytest.mark.rule("A", "B")`` call (``None`` if ``node`` is not one)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "rule"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "mark"
    ):
        return [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return None


def _rules_in(node: ast.AST) -> list[str]:
    """Every rule id cited anywhere inside ``node`` (decorators, ``pytest.param(marks=…)``)."""
    found: list[str] = []
    for sub in ast.walk(node):
        ids = _rule_args(sub)
        if ids is not None:
            found += ids
    return found


def properties_in(source: str, path: str = "<source>") -> list[Property]:
    """The test functions of a module's source, with the rules each cites (module ``pytestmark``
    and class decorators included), found with :mod:`ast` (the module is not imported)."""
    tree = ast.parse(source, filename=path)
    module_rules: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            module_rules += _rules_in(node.value)
    out: list[Property] = []

    def visit(body: list[ast.stmt], inherited: list[str]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
                "test"
            ):
                cited = inherited + [r for d in node.decorator_list for r in _rules_in(d)]
                out.append(Property(path, node.name, node.lineno, tuple(dict.fromkeys(cited)),
                                    ast.get_docstring(node) or ""))
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, inherited + [r for d in node.decorator_list for r in _rules_in(d)])

    visit(tree.body, module_rules)
    return out


def traceability_problems(spec_rules: dict[str, str], props: list[Property]) -> list[str]:
    """Everything wrong with the links between the rules and the properties (empty when none):
    a rule no property cites, a property citing no rule or an unknown one, a docstring that names
    none of its rules."""
    problems: list[str] = []
    cited: set[str] = set()
    for p in props:
        where = f"{p.path}:{p.line} {p.name}"
        if not p.rules:
            problems.append(f"{where} cites no rule (add @pytest.mark.rule(\"ID\"))")
        for rid in p.rules:
            if not RULE_ID.match(rid):
                problems.append(f"{where} cites {rid!r}, which is not a rule id")
            elif rid not in spec_rules:
                problems.append(f"{where} cites {rid}, which docs/SPEC.md does not define")
            cited.add(rid)
        if p.rules and not any(rid in p.docstring for rid in p.rules):
            problems.append(f"{where}: the docstring names none of its rules {', '.join(p.rules)}")
    for rid in spec_rules:
        if rid not in cited:
            problems.append(f"rule {rid} ({spec_rules[rid]}) has no property")
    return problems
