"""The suite proves itself (issue 5, point 10): it kills every mutant of the bug catalog and passes
every valid alternative.

The catalog lives in ``tests/catalog/`` (see ``tests/catalog/runner.py`` for how each entry is run and
judged). ``test_catalog_kills_every_mutant_and_passes_every_alternative`` runs the whole catalog —
the property files judging each entry's functions, ``-x`` for mutants, ``-m "not golden"``, the
``catalog`` Hypothesis profile (``ci``'s examples, no shrinking), in as many worker interpreters as
there are CPUs (``$REFNN_CATALOG_JOBS`` overrides) — prints a line per entry and the summary
``catalog kill rate: K/N = P%`` with the wall and CPU time, and fails listing every survivor, every
mutant killed by a rule it does not name (its ``"kills"``: the rules its mistake breaks as a root
cause), every rejected valid alternative and every run that errored.

The other tests check the catalog itself (cheap, no suite run): each entry is well formed, and each
mutant differs from its base in exactly the course functions it says it ``"breaks"``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import types
from pathlib import Path
from types import ModuleType

import pytest

from refnn.conformance import rules
from refnn.conformance.target import load

_RUNNER_PATH = Path(__file__).resolve().parents[1] / "catalog" / "runner.py"


def _load_runner() -> ModuleType:
    name = "refnn_catalog_runner"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _RUNNER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
ENTRIES = runner.discover()
MUTANTS = [e for e in ENTRIES if e.kind == "mutant"]
VALID = [e for e in ENTRIES if e.kind == "valid"]

FAMILIES = {"INIT", "COST", "L2", "DROP", "BP", "UPD", "PRED", "GC", "VEC", "ALL"}
BASES = ("_base", "_gc_base")
"""The modules in ``mutants/`` a mutant builds on (each also judged as a valid alternative)."""

def test_catalog_has_at_least_40_mutants_and_3_valid_alternatives() -> None:
    assert len(MUTANTS) >= 40, [e.id for e in MUTANTS]
    assert len(VALID) >= 3, [e.id for e in VALID]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_catalog_entry_is_well_formed(entry: object) -> None:
    """Id = file name, a description and a rule family, and at least one course function defined;
    a mutant builds on a base, marks its mistake '# BUG', names the course functions it breaks and
    the rules (docs/SPEC.md ids) that must kill it."""
    assert entry.id == entry.path.stem
    assert entry.description and len(entry.description) <= 120
    assert entry.family in FAMILIES
    assert entry.defines, f"{entry.id} redefines no course function"
    text = entry.path.read_text(encoding="utf-8")
    if entry.kind == "mutant":
        assert any(f"from {base} import *" in text for base in BASES), "import a base: from _base import *"
        assert "rebind(globals())" in text, "end with rebind(globals())"
        assert "# BUG" in text, "mark the mutated line(s) with '# BUG'"
        assert set(entry.defines) <= set(runner._COURSE_NAMES), f"breaks: not course functions: {entry.defines}"
        spec = rules.load()
        assert entry.kills, "name the rules that must kill it: \"kills\": [\"DROP-2\", ...]"
        assert set(entry.kills) <= set(spec), f"kills: not rules of docs/SPEC.md: {set(entry.kills) - set(spec)}"
    else:
        assert "from refnn.course import *" in text
        assert not entry.kills


@pytest.mark.parametrize("entry", MUTANTS, ids=[e.id for e in MUTANTS])
def test_mutant_breaks_exactly_the_functions_it_names(entry: object) -> None:
    """Imported as the catalog runner has the suite import a target (its top-level code run,
    ``--refnn-run-top-level``), a mutant holds its base's course functions except those its entry
    ``"breaks"``, which are rebuilt around its pieces (``rebind``)."""
    module = load(str(entry.path), run_top_level=True).module
    base = next(sys.modules[b] for b in BASES if f"from {b} import *" in entry.path.read_text(encoding="utf-8"))
    for name in runner._COURSE_NAMES:
        mine, theirs = getattr(module, name, None), getattr(base, name, None)
        if name in entry.defines:
            assert isinstance(mine, types.FunctionType) and mine is not theirs, f"{name} is not rebuilt"
            assert mine.__module__ == module.__name__
        else:
            assert mine is theirs, f"{name} differs from the base's but is not in \"breaks\""


def test_catalog_ids_are_unique() -> None:
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))


def test_catalog_kills_every_mutant_and_passes_every_alternative(capsys: pytest.CaptureFixture[str]) -> None:
    if not runner.property_files():
        pytest.fail("properties/ holds no test_*.py: there is no suite to judge the catalog with")
    start, cpu0 = time.perf_counter(), runner.children_cpu()
    outcomes = runner.run_catalog(ENTRIES)
    report = runner.summary(outcomes, time.perf_counter() - start, runner.children_cpu() - cpu0)
    with capsys.disabled():
        print("\n" + report)
    survivors = [o.entry.id for o in outcomes if o.entry.kind == "mutant" and o.verdict == "survived"]
    wrong_rule = [f"{o.entry.id} (killed by {' '.join(o.killed_by)}, names {' '.join(o.entry.kills)})"
                  for o in outcomes if o.verdict == "wrong-rule"]
    rejected = [o.entry.id for o in outcomes if o.entry.kind == "valid" and o.verdict == "failed"]
    errors = [o.entry.id for o in outcomes if o.verdict == "error"]
    assert not (survivors or wrong_rule or rejected or errors), (
        f"survivors (the suite passed a buggy target): {survivors}; "
        f"killed by a rule the entry does not name: {wrong_rule}; "
        f"valid alternatives the suite rejected: {rejected}; runs that errored: {errors} "
        "(details in the report printed above)"
    )
