"""A learner's notebook as the target (:mod:`refnn.notebook`): what is taken from it, what is not
run, the course's helper modules, environment relics, and the suite's verdicts on the project's
own small notebooks (``tests/notebooks``: two correct, three with classic bugs, two with relics).

The verdicts run the suite in-process (:func:`refnn.conformance.run`) on one property file each;
``tests/packaging/test_cli.py`` drives the same notebooks through ``refnn conform`` and ``pytest``.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import refnn.notebook
from refnn.conformance import run
from refnn.conformance.outcome import PortabilityProblem, TargetEnvironmentError, UnfinishedCode
from refnn.conformance.target import TargetImportError, load
from refnn.notebook import HELPER_MODULES, code_cells, load_notebook, notebook_info, strip_ipython

REPO = Path(__file__).resolve().parents[2]
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


def test_only_imports_functions_and_constants_are_taken_and_the_last_definition_wins(
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
    assert module.X == 5  # a literal is kept; a call and a class are not run
    assert not hasattr(module, "Y") and not hasattr(module, "C")
    info = notebook_info(module)
    assert info.functions == ("f",) and info.imports == 1 and info.missing == ()
    assert info.constants == ("X",)
    assert [(u.name, u.cell) for u in info.unrun] == [("C", 4), ("Y", 4)]


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


def _v4(*cells: dict[str, object], **top: object) -> str:
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
                       **top})


def _code(source: object, **extra: object) -> dict[str, object]:
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
            "execution_count": None, **extra}


@pytest.mark.parametrize("text, error", [
    ("not json", r"not JSON \(Expecting value at line 1, column 1\)"),
    ('{"cells": [],\n "nbformat": 4,,}', r"not JSON \(.* at line 2, column 16\)"),
    ("[1, 2]", "its JSON is a list, not an object"),
    ('{"cells": 3}', "no 'nbformat' version number"),
    ('{"cells": [], "metadata": {}, "nbformat": 5, "nbformat_minor": 0}',
     r"Unsupported nbformat version 5 \(refnn reads nbformat 1 to 4\)"),
    ('{"cells": [{"cell_type": "code", "source": "x = 1"}], "metadata": {}, "nbformat": 4, '
     '"nbformat_minor": 5}', "missing an expected key: metadata"),
    (_v4(_code(3)), r"cell 0 \(the code cell 1\) has a 'source' of type int, not text"),
])
def test_a_file_that_is_not_a_readable_notebook_is_refused_naming_it(
        tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    with pytest.raises(refnn.notebook.NotebookReadError,
                       match=rf"^'{tmp_path}/bad.ipynb' is not a Jupyter notebook refnn can read: "
                       rf".*{error}"):
        code_cells(path)


def test_a_notebook_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.ipynb"
    path.write_bytes(_v4(_code("s = 'caf\u00e9'")).encode("utf-8").replace(b"\\u00e9", b"\xe9"))
    with pytest.raises(ValueError, match="not UTF-8 text"):
        code_cells(path)


def test_an_unreadable_notebook_target_is_a_target_problem_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [], "nbformat": 4,')
    with pytest.raises(TargetImportError, match="broken.ipynb' is not a Jupyter notebook") as info:
        load(str(path))
    assert info.value.problem.kind == "environment" and "save it again" in info.value.problem.hint


def test_an_nbformat_3_notebook_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({
        "nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"},
        "worksheets": [{"metadata": {}, "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Old"},
            {"cell_type": "code", "metadata": {}, "language": "python", "collapsed": False,
             "outputs": [], "input": ["import numpy as np\n", "def f(x):\n",
                                      "    return np.square(x)\n"]},
        ]}],
    }))
    module = load_notebook(path)
    assert module.f(3) == 9 and notebook_info(module).schema_problem == ""


def test_a_schema_violation_jupyter_tolerates_is_read_and_noted(tmp_path: Path) -> None:
    path = tmp_path / "odd.ipynb"
    path.write_text(_v4(_code("def f():\n    return 1\n", execution_count="one")))
    module = load_notebook(path)
    assert module.f() == 1
    assert "execution_count" in notebook_info(module).schema_problem


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


# ------------------------------------------------------------- top-level names a function uses


def _name_error_cause(func: object, *args: object) -> object:
    from refnn.conformance import causes

    assert callable(func)
    with pytest.raises(NameError) as raised:
        func(*args)
    return causes.classify(raised.value, function=getattr(func, "__name__", ""))


def test_safe_top_level_assignments_are_kept_and_the_others_reported_by_name_and_cell(
        tmp_path: Path) -> None:
    nb = write_notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np\n",
        "scale = lambda z: 2 * z\nkeep = 0.5\nlayers = [2, 20, 3, 1]\neps = np.float64(1e-7)\n"
        "twice = keep * 2 + layers[0]\n",
        "X, Y = np.random.randn(2, 3), None\n",
        "m = X.shape[1]\n\nfor i in range(3):\n    counter = i\n",
        "def forward(z):\n    return scale(z) * keep + eps\n\n"
        "def per_example(z):\n    return z / m\n\ndef last(z):\n    return counter\n",
    )
    module = load_notebook(nb)
    info = notebook_info(module)
    assert info.constants == ("scale", "keep", "layers", "eps", "twice")
    assert module.forward(3.0) == pytest.approx(3.0 + 1e-7) and module.twice == 3.0
    assert {u.name: (u.cell, u.line) for u in info.unrun} == {
        "X": (3, 1), "Y": (3, 1), "m": (4, 1), "i": (4, 3), "counter": (4, 3)}
    assert info.unrun_name("X").reason == "it calls `np.random.randn`"  # type: ignore[union-attr]
    assert "`X`, which is not kept" in info.unrun_name("m").reason  # type: ignore[union-attr]
    cause = _name_error_cause(module.per_example, 1.0)
    assert isinstance(cause, TargetEnvironmentError)
    assert cause.message.startswith("per_example() uses `m`, assigned in code cell 4 (line 1) by "
                                    "code refnn does not run")
    assert "--run-top-level" in cause.hint and cause.where.endswith("[code cell 5]:5")
    cause = _name_error_cause(module.last, 1.0)
    assert isinstance(cause, TargetEnvironmentError) and "(a for loop)" in cause.message
    # with the top-level code run, every name is there
    ran = load_notebook(nb, run_top_level=True)
    assert ran.per_example(3.0) == 1.0 and ran.last(0) == 2


def test_a_name_defined_nowhere_is_still_the_learners_typo(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "nb.ipynb", "def f(z):\n    return z * scael\n")
    cause = _name_error_cause(load_notebook(nb).f, 1.0)
    assert isinstance(cause, str) and "defined nowhere in the target" in cause


def test_a_later_kept_binding_wins_and_an_unrun_one_does_not_remove_a_kept_one(
        tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "nb.ipynb", "a = load()\nb = 1\n", "a = 2\nb = load()\n",
                        "def f():\n    return a + b\n")
    module = load_notebook(nb)
    assert module.f() == 3 and notebook_info(module).unrun == ()


def test_the_suite_reports_an_unrun_name_as_a_target_problem_not_a_broken_rule(
        tmp_path: Path) -> None:
    source = json.loads((NOTEBOOKS / "regularization_correct.ipynb").read_text())
    cells = ["".join(c["source"]) for c in source["cells"] if c["cell_type"] == "code"]
    graded = next(c for c in cells if "def compute_cost_with_regularization" in c)
    using = graded.replace("lambd / (2 * m)", "lambd / (2 * m) * one")
    assert using != graded
    for value, ok in (("np.random.rand() * 0 + 1", False), ("1.0", True)):
        nb = write_notebook(tmp_path / f"nb_{ok}.ipynb", cells[0], f"one = {value}\n", using)
        result = run(str(nb), [*CI, "--refnn-rule", "L2-1"], properties=PROPS / "test_l2.py")
        if ok:
            assert result.passed and not result.environment_errors and not result.failed
        else:
            assert result.environment_errors and not result.failed and not result.passed
            assert all("compute_cost_with_regularization() uses `one`, assigned in code cell 2"
                       in r.message for r in result.environment_errors)


# --------------------------------------------------------------------- scripts from notebooks


EXPORTED = NOTEBOOKS / "regularization_nbconvert.py"


def test_an_nbconvert_script_is_split_at_its_markers_with_its_magics_dropped() -> None:
    cells = code_cells(EXPORTED)
    assert len(cells) == 9 and all(c.filename == str(EXPORTED) and c.on_disk for c in cells)
    lines = EXPORTED.read_text().splitlines()
    assert all(lines[c.first_line - 2].startswith("# In[") for c in cells)
    assert "get_ipython" in cells[0].source and "get_ipython" not in strip_ipython(cells[0].source)


def test_an_exported_script_is_loaded_like_its_notebook_without_its_training_loop() -> None:
    target = load(str(EXPORTED))
    assert target.policy == "assignment"
    info = notebook_info(target.module)
    assert {"compute_cost_with_regularization", "backward_propagation_with_dropout",
            "model"} <= set(info.functions)
    assert info.script and {u.name for u in info.unrun} >= {"parameters", "predictions_train"}
    assert "rng" in {u.name for u in info.unrun}  # RandomState(1) is a call: not run
    # the helper modules are refnn's (no reg_utils.py beside the script)
    assert target.module.compute_cost.__module__ == "refnn.course.reg_utils"
    with pytest.raises(KeyError) as raised:  # tracebacks point into the script, at its lines
        target.module.compute_cost_with_regularization(np.ones((1, 2)) / 2, np.ones((1, 2)), {},
                                                       0.1)
    frame = raised.traceback[-1]
    assert str(frame.path) == str(EXPORTED)
    assert EXPORTED.read_text().splitlines()[frame.lineno].strip() == 'W1 = parameters["W1"]'



def test_a_percent_format_script_is_split_and_its_markdown_cells_left_out(tmp_path: Path) -> None:
    script = tmp_path / "percent.py"
    script.write_text("# %% [markdown]\n# def not_code(): ...\n\n# %%\nimport numpy as np\n"
                      "raise SystemExit('top-level code must not run')\n\n#%% Graded\n"
                      "def f(x):\n    return np.square(x)\n")
    cells = code_cells(script)
    assert [(c.number, c.first_line) for c in cells] == [(1, 5), (2, 9)]
    target = load(str(script))
    assert target.policy == "assignment" and target.module.f(3) == 9


def test_a_py_target_gets_the_helper_stand_ins_and_its_top_level_code_is_not_run(
        tmp_path: Path) -> None:
    (tmp_path / "reg_utils.py").write_text("raise RuntimeError('the learner copy must not load')\n")
    script = tmp_path / "mine.py"
    script.write_text("from reg_utils import compute_cost\nprint(undefined)\n"
                      "def f(a3, y):\n    return compute_cost(a3, y)\n")
    target = load(str(script))
    assert target.policy == "own" and target.module.f.__module__ == target.module.__name__
    assert target.module.compute_cost.__module__ == "refnn.course.reg_utils"
    with pytest.raises(TargetImportError, match="NameError"):
        load(str(script), run_top_level=True)  # asked for: imported as a module, its code runs
    script.write_text("from reg_utils import compute_cost\nglobals()['g'] = lambda: 7\n")
    assert load(str(script), run_top_level=True).module.g() == 7  # module semantics
    assert "reg_utils" not in sys.modules or sys.modules["reg_utils"].__name__ != "reg_utils"


def test_an_exported_script_run_at_top_level_ignores_its_magics(tmp_path: Path) -> None:
    script = tmp_path / "exported.py"
    script.write_text("#!/usr/bin/env python\n\n# In[1]:\n\n\nimport numpy as np\n"
                      "get_ipython().run_line_magic('matplotlib', 'inline')\nip = get_ipython()\n"
                      "ip.system('ls')\nvalue = np.arange(3).sum()\n\n\n# In[2]:\n\n\n"
                      "def f():\n    return value\n")
    assert load(str(script), run_top_level=True).module.f() == 3
    assert {u.name for u in notebook_info(load(str(script)).module).unrun} == {"value", "ip"}


def test_a_top_level_value_that_raises_or_a_failed_star_import_is_reported_when_used(
        tmp_path: Path) -> None:
    script = tmp_path / "old.py"
    script.write_text("import numpy as np\nfrom reg_utils_that_is_missing import *\n"
                      "X = np.zeros(3, dtype=np.int)\n\ndef f():\n    return X\n\n"
                      "def g():\n    return helper_from_there()\n")
    module = load(str(script)).module  # loads: nothing at top level is run but the safe parts
    cause = _name_error_cause(module.f)
    assert isinstance(cause, TargetEnvironmentError)
    assert cause.message.startswith("f() uses `X`, whose top-level assignment in line 3 of "
                                    "old.py raised when refnn evaluated it: AttributeError")
    assert "np.int was removed in NumPy 1.24" in cause.hint
    cause = _name_error_cause(module.g)
    assert isinstance(cause, TargetEnvironmentError)
    assert "may come from `from reg_utils_that_is_missing import *`, which failed" in cause.message


# ------------------------------------------------------------------ one policy, both commands


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(REPO)}
    env.pop("REFNN_TARGET", None)
    return subprocess.run([sys.executable, "-m", "refnn", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=600)


@pytest.mark.parametrize("command", ["conform", "grade"])
def test_conform_and_grade_run_a_py_targets_top_level_code_only_when_asked(
        tmp_path: Path, command: str) -> None:
    marker = tmp_path / "ran.txt"
    script = tmp_path / "mine.py"
    script.write_text("from refnn.course import compute_cost_with_regularization as _c\n"
                      f"open({str(marker)!r}, 'w').write('top-level code ran')\n\n"
                      "def compute_cost_with_regularization(A3, Y, parameters, lambd):\n"
                      "    return _c(A3, Y, parameters, lambd)\n")
    where = ["--target", str(script)] if command == "conform" else [str(script)]
    common = [*where, "--rule", "L2-1", "--properties", "properties/test_l2.py", "--profile",
              "dev"]
    proc = _cli(command, *common)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not marker.exists()
    proc = _cli(command, *common, "--run-top-level")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert marker.read_text() == "top-level code ran"
