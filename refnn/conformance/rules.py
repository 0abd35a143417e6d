"""The rules of ``docs/SPEC.md``: headings ``### ID: statement``, their topics and dependencies.

* A rule is a heading ``### ID: statement``.
* A rule that can only hold when others hold says so on a line of its body:
  ``Depends on: DROP-1, DROP-2.`` A failure of a property citing it is reported as a
  *consequence* of those rules when one of them is broken in the same run (:func:`dependencies`).
* The lecture topic of each rule family (the id's prefix) is the table under the heading
  ``## Rule families`` (``| INIT | initialization |``, :func:`topics`).

Used for failure messages (the rule's statement beside its id), for the reports' topics, for
"one bug, one rule", and by the traceability test.
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

DEPENDS_LINE = re.compile(r"^\s*\**Depends on\**:?\**\s*(.+?)\s*$")
"""A dependency line of a rule's body: ``Depends on: DROP-1, DROP-2.``"""

_ID_IN_TEXT = re.compile(r"\b[A-Z][A-Z0-9]*-\d+[a-z]?\b")
_FAMILY_ROW = re.compile(r"^\|\s*`?([A-Z][A-Z0-9]*)`?\s*\|\s*([^|]+?)\s*\|")


def spec_path() -> Path:
    """``docs/SPEC.md``: the copy installed inside the package (``refnn/data/docs/SPEC.md``), else
    the checkout's (:func:`refnn.resources.resource`)."""
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


def parse_dependencies(text: str) -> dict[str, tuple[str, ...]]:
    """``{id: (ids it depends on, …)}`` from the ``Depends on:`` lines of a SPEC text.

    Raises:
        ValueError: a dependency names an unknown rule, or the dependencies form a cycle.
    """
    rules = parse(text)
    deps: dict[str, tuple[str, ...]] = {}
    current: str | None = None
    for line in text.splitlines():
        heading = RULE_HEADING.match(line)
        if heading:
            current = heading.group(1)
            continue
        if line.startswith("#"):
            current = None
            continue
        m = DEPENDS_LINE.match(line)
        if m and current is not None:
            ids = tuple(_ID_IN_TEXT.findall(m.group(1)))
            unknown = [i for i in ids if i not in rules]
            if unknown:
                raise ValueError(f"docs/SPEC.md: {current} depends on unknown rule(s) "
                                 f"{', '.join(unknown)}")
            deps[current] = deps.get(current, ()) + ids
    for rid in deps:  # every chain ends: no rule depends on itself through others
        if rid in _closure(rid, deps):
            raise ValueError(f"docs/SPEC.md: rule {rid} depends on itself (a cycle)")
    return deps


def _closure(rid: str, deps: dict[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    todo = list(deps.get(rid, ()))
    while todo:
        r = todo.pop()
        if r not in seen:
            seen.add(r)
            todo += deps.get(r, ())
    return seen


def parse_topics(text: str) -> dict[str, str]:
    """``{family prefix: lecture topic}`` from the table under ``## Rule families``, in order."""
    topics: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Rule families"
            continue
        if inside:
            m = _FAMILY_ROW.match(line)
            if m and m.group(1) != "prefix":
                topics[m.group(1)] = m.group(2).strip()
    return topics


@dataclass(frozen=True)
class Spec:
    """What ``docs/SPEC.md`` says: rule statements, dependencies and family topics."""

    statements: dict[str, str]
    depends: dict[str, tuple[str, ...]]
    topics: dict[str, str]

    def upstream(self, rule_id: str) -> set[str]:
        """Every rule ``rule_id`` depends on, directly or through others."""
        return _closure(rule_id, self.depends)

    def topic(self, rule_id: str) -> str:
        """The lecture topic of ``rule_id``'s family (its prefix when SPEC.md names none)."""
        prefix = rule_id.rsplit("-", 1)[0]
        return self.topics.get(prefix, prefix)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Spec:
    text = Path(path).read_text(encoding="utf-8")
    return Spec(parse(text), parse_dependencies(text), parse_topics(text))


def spec(path: Path | None = None) -> Spec:
    """The parsed ``docs/SPEC.md`` (empty when the file is not there)."""
    p = spec_path() if path is None else path
    try:
        return _load(str(p), p.stat().st_mtime)
    except FileNotFoundError:
        return Spec({}, {}, {})


def load(path: Path | None = None) -> dict[str, str]:
    """The rules of ``docs/SPEC.md`` (empty when the file is not there, e.g. in an installed copy)."""
    return spec(path).statements


def statement(rule_id: str) -> str:
    """The statement of ``rule_id`` ('' if unknown)."""
    return load().get(rule_id, "")


def topic(rule_id: str) -> str:
    """The lecture topic of ``rule_id`` (from SPEC.md's ``## Rule families`` table)."""
    return spec().topic(rule_id)


def topic_order() -> list[str]:
    """The topics in SPEC.md's order."""
    return list(dict.fromkeys(spec().topics.values()))


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
