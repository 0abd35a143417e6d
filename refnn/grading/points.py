"""Points: which functions each assignment grades, what each is worth, how rules share it.

The table is a small TOML file (default: ``refnn/grading/points.toml``, the course's week-1
assignments; ``refnn grade --points FILE`` for another)::

    golden = false              # judge the course's seeded numbers too (tier "all")
    consequence_credit = 1.0    # a rule failing only as a consequence keeps this share
    [assignments.regularization]
    title = "Regularization (W1A2)"
    functions = { compute_cost_with_regularization = 10, forward_propagation_with_dropout = 10 }
    [rules]
    "DROP-2" = 2                # weight of a rule inside its function (default 1)

Partial credit is per rule: a function worth ``P`` points, judged by rules ``r`` of weights
``w_r``, earns ``P · Σ_{r kept} w_r / Σ_r w_r``; a graded function the submission does not define,
or that nothing judged, earns 0 of its ``P``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_POINTS = Path(__file__).with_name("points.toml")
SCHEMA = "refnn-points/1"


@dataclass(frozen=True)
class Assignment:
    """One assignment: its id, title and ``{function: points}``."""

    id: str
    title: str
    functions: Mapping[str, float]

    @property
    def max_score(self) -> float:
        return float(sum(self.functions.values()))


@dataclass(frozen=True)
class Points:
    """The whole table (see the module's docstring)."""

    assignments: Mapping[str, Assignment]
    rule_weights: Mapping[str, float] = field(default_factory=dict)
    golden: bool = False
    consequence_credit: float = 1.0
    source: str = ""

    def weight(self, rule: str) -> float:
        return float(self.rule_weights.get(rule, 1.0))

    def assignment(self, name: str) -> Assignment:
        """The assignment ``name``.

        Raises:
            ValueError: no such assignment in the table.
        """
        if name not in self.assignments:
            raise ValueError(f"assignment: expected one of {', '.join(self.assignments)}, got "
                             f"{name!r}")
        return self.assignments[name]

    def detect(self, functions: Iterable[str]) -> Assignment | None:
        """The assignment grading most of ``functions`` (``None`` when none grades any)."""
        names = set(functions)
        best, overlap = None, 0
        for a in self.assignments.values():
            n = len(names & set(a.functions))
            if n > overlap:
                best, overlap = a, n
        return best


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{where}: expected a number of points >= 0, got {value!r}")
    return float(value)


def parse(doc: Mapping[str, Any], source: str = "") -> Points:
    """A :class:`Points` from a parsed TOML document.

    Raises:
        ValueError: naming the key, the expected form and what was found.
    """
    schema = doc.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise ValueError(f"{source or 'points'}: schema: expected {SCHEMA!r}, got {schema!r}")
    raw = doc.get("assignments")
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"{source or 'points'}: expected an [assignments.NAME] table with "
                         "functions = {{name = points}}, got none")
    assignments: dict[str, Assignment] = {}
    for name, body in raw.items():
        if not isinstance(body, Mapping) or not isinstance(body.get("functions"), Mapping):
            raise ValueError(f"assignments.{name}: expected a table with functions = "
                             f"{{name = points}}, got {body!r}")
        functions = {str(f): _number(p, f"assignments.{name}.functions.{f}")
                     for f, p in body["functions"].items()}
        assignments[str(name)] = Assignment(str(name), str(body.get("title", name)), functions)
    rules = doc.get("rules", {})
    if not isinstance(rules, Mapping):
        raise ValueError(f"rules: expected a table of rule = weight, got {rules!r}")
    weights = {str(r): _number(w, f"rules.{r}") for r, w in rules.items()}
    golden = doc.get("golden", False)
    if not isinstance(golden, bool):
        raise ValueError(f"golden: expected true or false, got {golden!r}")
    credit = _number(doc.get("consequence_credit", 1.0), "consequence_credit")
    if credit > 1:
        raise ValueError(f"consequence_credit: expected a share between 0 and 1, got {credit!r}")
    return Points(assignments, weights, golden, credit, source)


def load(path: str | Path | None = None) -> Points:
    """The points table at ``path`` (default :data:`DEFAULT_POINTS`).

    Raises:
        ValueError: the file is not valid TOML or not a points table.
        FileNotFoundError: no file there.
    """
    file = Path(path) if path is not None else DEFAULT_POINTS
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{file}: not valid TOML: {exc}") from None
    return parse(doc, str(file))
