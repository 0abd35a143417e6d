"""Every rule of docs/SPEC.md has a property, and every property cites known rules.

The properties are read with :mod:`ast` (``refnn.conformance.rules.properties_in``), so this test
needs no target and imports nothing from ``properties/``. The checker itself is tested on small
sources first, so a broken checker cannot pass silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from refnn.conformance import rules

REPO = Path(__file__).resolve().parents[2]
PROPERTIES = REPO / "properties"


def all_properties() -> list[rules.Property]:
    props: list[rules.Property] = []
    for path in sorted(PROPERTIES.glob("test_*.py")):
        props += rules.properties_in(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    return props


def test_every_rule_has_a_property_and_every_property_cites_known_rules() -> None:
    spec = rules.load(REPO / "docs" / "SPEC.md")
    assert spec, "docs/SPEC.md defines no rules (headings '### ID: statement')"
    props = all_properties()
    assert props, "no properties found in properties/"
    problems = rules.traceability_problems(spec, props)
    assert not problems, "\n".join(problems)


def test_the_spec_parses_rule_headings_and_refuses_duplicates() -> None:
    text = "### L2-2: the gradient of the L2 term is λ/m·W[l]\nprose\n### DROP-3: never the output\n"
    assert rules.parse(text) == {"L2-2": "the gradient of the L2 term is λ/m·W[l]",
                                 "DROP-3": "never the output"}
    with pytest.raises(ValueError, match="twice"):
        rules.parse(text + "### L2-2: again\n")


SOURCE = '''
import pytest

@pytest.mark.rule("A-1")
def test_cites_a1():
    """A-1: fine."""

@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.rule("B-1"))])
@pytest.mark.rule("A-1")
def test_param_marks(x):
    """A-1 and B-1."""

def test_cites_nothing():
    """no rule here"""

@pytest.mark.rule("Z-9")
def test_unknown():
    """Z-9"""

@pytest.mark.rule("A-1")
def test_docstring_silent():
    """says nothing"""

def helper():
    pass
'''


def test_the_checker_reports_each_kind_of_broken_link() -> None:
    props = rules.properties_in(SOURCE, "x.py")
    assert [p.name for p in props] == ["test_cites_a1", "test_param_marks", "test_cites_nothing",
                                       "test_unknown", "test_docstring_silent"]
    assert props[1].rules == ("B-1", "A-1")
    problems = rules.traceability_problems({"A-1": "a", "B-1": "b", "C-1": "c"}, props)
    text = "\n".join(problems)
    assert "test_cites_nothing cites no rule" in text
    assert "cites Z-9, which docs/SPEC.md does not define" in text
    assert "test_docstring_silent: the docstring names none of its rules A-1" in text
    assert "rule C-1 (c) has no property" in text
    assert len(problems) == 4


def test_module_pytestmark_counts_for_every_test() -> None:
    props = rules.properties_in('import pytest\npytestmark = [pytest.mark.rule("A-1")]\n'
                                'def test_x():\n    """A-1"""\n')
    assert props[0].rules == ("A-1",)
