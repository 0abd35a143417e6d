"""A learner's notebook as the target (:mod:`refnn.notebook`): what is taken from it, what is not
run, the course's helper modules, environment relics, and the suite's verdicts on the project's
own small notebooks (``tests/notebooks``: two correct, three with classic bugs, two with relics).

The verdicts run the suite in-process (:func:`refnn.conformance.run`) on one property file each;
``tests/test_cli.py`` drives the same notebooks through ``refnn conform`` and ``pytest``.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path

import numpy as np
import pytest

import refnn.notebook
from refnn.conformance import run
from refnn.conformance.outcome import PortabilityProblem, UnfinishedCode
from refnn.conformance.target import load
from refnn.notebook import HELPER_MODULES, code_cells, load_notebook, notebook_info, strip_ipython

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "tests" / "notebooks"
PROPS = REPO / "properties"
CI = ["--hypothesis-profile=refnn-ci", "-m", "not golden"]


def write_notebook(path: Path, *cells: str, kind: str = "code") -> Path:
    doc = {
        "cells": [{"cell_type": kind, "metadata": {}, "source": c, "outputs": [],
                   "execution_count": None} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- the loader


def test_only_imports_and_function_definitions_are_taken_and_the_last_definition_wins(
        tmp_path: Path) -> None:
    nb = write_notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np\n%matplotlib inline\n!pip install nothing\n",
        "def f(x):\n    return 1\n",
        "raise SystemExit('a test cell must not run')\nX = 5\n",
        "def f(x):\n    return np.square(x)\n\nclass C:\n    pass\n\nY = f(3)\n",
    )
    module = load_notebook(nb)
    assert module.f(3) == 9
    assert not hasattr(module, "X") and not hasattr(module, "Y") and not hasattr(module, "C")
    info = notebook_info(module)
    assert info.functions == ("f",) and info.imports == 1 and info.missing == ()


def test_the_course_helper_modules_come_from_refnn_course_and_are_restored(tmp_path: Path) -> None:
    (tmp_path / "reg_utils.py").write_text("raise RuntimeError('the learner copy must not load')\n")
    nb = write_notebook(
        tmp_path / "nb.ipynb",
        "from reg_utils import compute_cost, plot_decision_boundary\nfrom testCases import *\n"
        "from public_tests import *\nimport gc_utils, init_utils\n",
    )
    before = {name: sys.modules.get(name) for name in HELPER_MODULES}
    module = load_notebook(nb)
    assert module.compute_cost.__module__ == "refnn.course.reg_utils"
    assert callable(module.compute_cost_with_regularization_test_case)
    assert callable(module.compute_cost_with_regularization_test)
    assert module.gc_utils.__name__ == "refnn.course.gc_utils"
    assert {name: sys.modules.get(name) for name in HELPER_MODULES} == before
    # a name refnn's helpers lack is a stand-in that fails, when used, as an environment error
    info = notebook_info(module)
    assert [m.split(":")[0] for m in info.missing] == ["plot_decision_boundary"]
    with pytest.raises(ModuleNotFoundError, match="plot_decision_boundary"):
        module.plot_decision_boundary(None)


def test_a_cell_that_does_not_parse_is_skipped_unless_it_defines_something(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "nb.ipynb", 'print "a test cell"\n', "def g():\n    return 2\n")
    module = load_notebook(nb)
    assert module.g() == 2 and notebook_info(module).skipped_cells == (1,)


def test_ipython_lines_are_blanked_with_line_numbers_kept() -> None:
    assert strip_ipython("%time x = 1\ny = 2\n!ls\n") == "\ny = 2\n\n"
    assert strip_ipython("%%timeit\nx = 1\n") == "\n\n"


def test_tracebacks_point_into_the_notebook(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "nb.ipynb", "x = 1\n", "\ndef h():\n    return 1 / 0\n")
    module = load_notebook(nb)
    with pytest.raises(ZeroDivisionError) as info:
        module.h()
    frame = info.traceback[-1]
    assert str(frame.path).endswith("nb.ipynb [code cell 2]") and frame.lineno + 1 == 3
    assert "1 / 0" in str(frame.statement)


@pytest.mark.parametrize("text, error", [
    ("not json", "not a Jupyter notebook"),
    ('{"cells": 3}', "no list of 'cells'"),
])
def test_a_file_that_is_not_a_notebook_is_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    with pytest.raises(ValueError, match=error):
        code_cells(path)


def test_the_projects_notebooks_are_what_they_claim() -> None:
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == [
        "gradient_checking_correct.ipynb", "gradient_checking_inline_j.ipynb",
        "gradient_checking_numpy2_scalar_slot.ipynb", "gradient_checking_planted_bugs_kept.ipynb",
        "regularization_causes.ipynb", "regularization_correct.ipynb",
        "regularization_dropout_no_scaling.ipynb", "regularization_l2_lambda_over_m.ipynb",
        "regularization_np_int.ipynb", "regularization_one_unfinished.ipynb",
        "regularization_python2.ipynb",
    ]
    module = load_notebook(NOTEBOOKS / "regularization_correct.ipynb")
    # the course's own public tests (refnn.course.standins.public_tests) pass on the correct notebook
    module.compute_cost_with_regularization_test(module.compute_cost_with_regularization)
    module.backward_propagation_with_regularization_test(
        module.backward_propagation_with_regularization)
    module.forward_propagation_with_dropout_test(module.forward_propagation_with_dropout)
    module.backward_propagation_with_dropout_test(module.backward_propagation_with_dropout)


# ------------------------------------------------------------------- one broken cell, not all


def test_a_python2_cell_voids_only_its_own_function() -> None:
    module = load(str(NOTEBOOKS / "regularization_python2.ipynb")).module
    info = notebook_info(module)
    assert "backward_propagation_with_dropout" in info.functions  # the other cells' functions
    (broken,) = info.broken
    assert (broken.name, broken.cell, broken.line, broken.kind) == (
        "compute_cost_with_regularization", 3, 12, "portability")
    with pytest.raises(PortabilityProblem) as raised:
        module.compute_cost_with_regularization(None, None, None, 0.1)
    problem = raised.value
    assert problem.where.endswith("[code cell 3]:12") and "Python 2 print statement" in problem.hint
    assert problem.function == "compute_cost_with_regularization"


def test_np_int_in_a_default_argument_voids_only_that_function(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "old.ipynb",
                        "import numpy as np\ndef f(x, dtype=np.int):\n    return x\n",
                        "def g(x):\n    return 2 * x\n")
    module = load(str(nb)).module
    assert module.g(2) == 4
    with pytest.raises(PortabilityProblem, match="np.int was removed in NumPy 1.24"):
        module.f(1)
    assert [b.name for b in notebook_info(module).broken] == ["f"]


def test_an_unfinished_cell_is_reported_with_its_cell_and_line_and_keeps_its_signature() -> None:
    module = load_notebook(NOTEBOOKS / "regularization_one_unfinished.ipynb")
    info = notebook_info(module)
    assert {"compute_cost_with_regularization", "backward_propagation_with_regularization",
            "forward_propagation_with_dropout"} <= set(info.functions)
    (broken,) = info.broken
    assert (broken.name, broken.cell, broken.line, broken.kind) == (
        "backward_propagation_with_dropout", 5, 11, "unfinished")
    assert list(inspect.signature(module.backward_propagation_with_dropout).parameters) == [
        "X", "Y", "cache", "keep_prob"]
    with pytest.raises(UnfinishedCode, match="does not parse"):
        module.backward_propagation_with_dropout(None, None, None, 0.5)


def test_a_cell_that_does_not_parse_keeps_its_other_statements(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "nb.ipynb",
                        "import numpy as np\n\ndef good(x):\n    return np.square(x)\n\n"
                        "def bad(x):\n    y = \n    return y\n\nprint 'done'\n")
    module = load_notebook(nb)
    assert module.good(3) == 9
    assert [b.name for b in notebook_info(module).broken] == ["bad"]


# ------------------------------------------------------------------------------ the verdicts


def _judge(notebook: str, properties: str, *args: str) -> tuple[set[str], list[str], int]:
    result = run(str(NOTEBOOKS / notebook), [*CI, *args], properties=PROPS / properties)
    env = [o.message for o in result.environment_errors]
    return result.rules_broken, env, len(result.passed)


@pytest.mark.parametrize("notebook, properties, rule, broken", [
    ("regularization_correct.ipynb", "test_l2.py", "L2", set()),
    ("regularization_l2_lambda_over_m.ipynb", "test_l2.py", "L2-1", {"L2-1"}),
    ("regularization_dropout_no_scaling.ipynb", "test_dropout.py", "DROP-1", {"DROP-1"}),
    ("gradient_checking_correct.ipynb", "test_gradient_checking.py", "GC-3", set()),
    ("gradient_checking_inline_j.ipynb", "test_gradient_checking.py", "GC-3", {"GC-3"}),
])
def test_the_suite_judges_a_notebook(notebook: str, properties: str, rule: str,
                                     broken: set[str]) -> None:
    rules_broken, env, passed = _judge(notebook, properties, "--refnn-rule", rule)
    assert rules_broken == broken and env == []
    assert passed > 0 or broken


def test_a_pasted_predict_with_np_int_is_given_code_not_judged() -> None:
    result = run(str(NOTEBOOKS / "regularization_np_int.ipynb"), [*CI, "--refnn-rule", "NET-4"],
                 properties=PROPS / "test_network.py")
    assert result.rules_broken == set() and not result.environment_errors and not result.passed
    assert result.not_judged and all("predict() is code the course hands out" in o.message
                                     for o in result.not_judged)


def test_the_correct_notebooks_functions_keep_their_own_globals() -> None:
    module = load_notebook(NOTEBOOKS / "gradient_checking_correct.ipynb")
    assert module.gradient_check.__globals__ is module.__dict__
    assert module.gradient_check(3, 4) < 1e-9
    assert np.isclose(module.forward_propagation(2, 4), 8)
