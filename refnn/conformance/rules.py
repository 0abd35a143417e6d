"""The rules of ``docs/SPEC.md``: headings ``### ID: statement``.

Used for failure messages (the rule's statement beside its id) and by the traceability test.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

RULE_HEADING = re.compile(r"^###\s+([A-Z][A-Z0-9]*-\d+[a-z]?):\s+(.+?)\s*$")
"""A rule heading: ``### L2-2: the gradient of the L2 term is λ/m·W[l]``."""

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*-\d+[a-z]?$")


def repo_root() -> Path:
    """The checkout holding this package (``refnn/conformance/rules.py`` → the repository)."""
    return Path(__file__).resolve().parents[2]


def spec_path() -> Path:
    """``docs/SPEC.md`` of the checkout."""
    return repo_root() / "docs" / "SPEC.md"


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
