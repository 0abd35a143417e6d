"""The conformance suite's machinery: choosing the target, partial and broken targets, environment
errors, notebook-shaped targets, the report, the options, and running in-process or under xdist.

Most scenarios run the suite in-process on a small target through :func:`refnn.conformance.run`
(restricted to one or two property files to stay fast); the command-line behaviour (options,
``$REFNN_TARGET``, the header, plugin loading, ``-n 2``) is checked in subprocesses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import numpy as np
import pytest

from refnn.conformance import judge, run
from refnn.conformance.protocol import kind_of
from refnn.conformance.target import TargetImportError, load, substituted

REPO = Path(__file__).resolve().parents[2]
PROPS = REPO / "properties"
CI = ["--hypothesis-profile=refnn-ci"]


def module(name: str, source: str) -> types.ModuleType:
    mod = types.ModuleType(name)
    exec(textwrap.dedent(source), mod.__dict__)
    return mod


def write(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


GOOD_COST = """
import numpy as np
def compute_cost(a3, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3)) / m)
"""


# ------------------------------------------------------------------------------ target loading


def test_default_target_is_refnn_course(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFNN_TARGET", raising=False)
    loaded = load(None)
    assert loaded.name == "refnn.course" and loaded.source == "default"


def test_env_var_names_the_target_and_the_option_wins(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    path = write(tmp_path, "mine.py", GOOD_COST)
    monkeypatch.setenv("REFNN_TARGET", str(path))
    loaded = load(None)
    assert loaded.source == "$REFNN_TARGET" and hasattr(loaded.module, "compute_cost")
    assert not loaded.name.startswith("refnn")  # the project's refnn.* warning filters stay off it
    assert load("refnn.course").name == "refnn.course"


def test_a_file_target_finds_helper_modules_beside_it(tmp_path: Path) -> None:
    write(tmp_path, "my_utils_for_refnn_test.py", "def helper():\n    return 42\n")
    path = write(tmp_path, "notebook.py", "from my_utils_for_refnn_test import helper\n")
    assert load(str(path)).module.helper() == 42


@pytest.mark.parametrize("source, hint", [
    ('print "hello"\n', "Python 2 print statement"),
    ("import numpy as np\nX = np.zeros(3, dtype=np.int)\n", "np.int was removed in NumPy 1.24"),
    ("from reg_utils_that_is_missing import *\n", "helper files"),
])
def test_import_failures_are_environment_errors_with_a_hint(tmp_path: Path, source: str,
                                                            hint: str) -> None:
    path = write(tmp_path, "broken.py", source)
    load(str(path))  # its top-level code is not run: what fails there is reported when used
    with pytest.raises(TargetImportError, match="failed to import") as info:
        load(str(path), run_top_level=True)  # imported as a module
    assert hint in str(info.value)


def test_a_missing_file_is_an_environment_error() -> None:
    with pytest.raises(TargetImportError, match="does not exist"):
        load("/nonexistent/learner.py")


def test_signature_tells_the_one_dimensional_pair_from_the_network() -> None:
    def fwd_1d(x, theta): ...  # type: ignore[no-untyped-def]
    def bwd_1d(x, theta): ...  # type: ignore[no-untyped-def]
    def fwd_net(X, parameters): ...  # type: ignore[no-untyped-def]
    def bwd_net(X, Y, cache): ...  # type: ignore[no-untyped-def]
    assert kind_of("forward_propagation", fwd_1d) == "scalar"
    assert kind_of("backward_propagation", bwd_1d) == "scalar"
    assert kind_of("forward_propagation", fwd_net) == "network"
    assert kind_of("backward_propagation", bwd_net) == "network"


def test_substitution_is_undone_even_when_the_body_fails() -> None:
    ns = {"f": 1}
    with pytest.raises(RuntimeError), substituted(ns, f=2, g=3):
        assert ns == {"f": 2, "g": 3}
        raise RuntimeError
    assert ns == {"f": 1}


# ----------------------------------------------------------------------- the one call helper


def test_call_turns_exceptions_into_rule_violations_and_environment_errors() -> None:
    def raises(a: object) -> None:
        raise ValueError("shapes (2,3) and (4,5) not aligned")

    def old_numpy(a: object) -> object:
        return np.int  # type: ignore[attr-defined]

    with pytest.raises(judge.RuleViolation, match=r"raises\(a=array\(2, 3\).*raised ValueError"):
        judge.TargetFunction("raises", raises).call(np.zeros((2, 3)))
    with pytest.raises(judge.TargetEnvironmentError, match="np.int was removed"):
        judge.TargetFunction("old_numpy", old_numpy).call(1)


@pytest.mark.parametrize("value, spec, message", [
    ("0.69", judge.Scalar(), "expected a number, got '0.69'"),
    (float("nan"), judge.Scalar(), "is NaN"),
    (np.zeros((2, 2)), judge.Array((2, 1)), "has shape (2, 2), expected (2, 1)"),
    (np.array([[1.0, np.nan]]), judge.Array((1, 2)), "contains NaN"),
    ([1.0], judge.Array((1,)), "expected a numpy array"),
    ({"W1": 1}, judge.Dict({"W1": judge.Anything(), "b1": judge.Anything()}), "lacks the key(s) b1"),
    ((1, 2, 3), judge.Tuple((judge.Anything(),) * 2, ("A3", "cache")), "has 3 entries"),
    (np.array([[0.0, 0.5]]), judge.Array((1, 2), binary=True), "must hold only 0/1"),
])
def test_malformed_returns_are_rule_violations_naming_the_problem(value: object, spec: judge.Spec,
                                                                  message: str) -> None:
    with pytest.raises(judge.RuleViolation) as info:
        judge.TargetFunction("f", lambda: value).call(expect=spec)
    assert message in str(info.value)


def test_the_target_gets_copies_of_its_arguments() -> None:
    def scribble(a: np.ndarray) -> None:
        a[:] = 7

    x = np.zeros(3)
    judge.TargetFunction("scribble", scribble).call(x)
    assert np.all(x == 0)


def test_check_close_names_a_constant_factor() -> None:
    with pytest.raises(judge.RuleViolation, match=r"actual = 2 × expected"):
        judge.check_close(np.array([2.0, 4.0]), np.array([1.0, 2.0]), "dW1")


# ------------------------------------------------------------------ whole runs, in-process


def test_a_partial_target_runs_what_it_can_and_names_what_it_lacks() -> None:
    r = run(module("cost_only", GOOD_COST), CI, properties=PROPS / "test_cost.py")
    assert r.exit_code == 0, r.output
    assert len(r.passed) == 4 and len(r.skipped) == 4
    assert all("does not provide compute_loss()" in o.message for o in r.skipped)
    assert "4 passed, 4 skipped" in r.output and "PASS: all 4 properties" in r.output


def test_a_broken_rule_is_reported_with_rule_values_and_counterexample() -> None:
    source = GOOD_COST.replace("/ m)", ")")  # a sum, not a mean
    r = run(module("summing", source), [*CI, "-k", "mean_binary"], properties=PROPS / "test_cost.py")
    assert r.exit_code == 1 and r.killed
    (failure,) = r.failed
    assert failure.rules == ("COST-1",)
    text = failure.message
    assert "expected" in text and "actual" in text
    assert "data=(array(" in failure.counterexample
    assert "RULE COST-1: the cost is the mean binary cross-entropy" in r.output
    assert "Hypothesis's minimal counterexample" in r.output


def test_a_raising_target_fails_its_properties_without_crashing_the_run() -> None:
    source = "def compute_cost(a3, Y):\n    raise IndexError('tuple index out of range')\n"
    r = run(module("raising", source), CI, properties=PROPS / "test_cost.py")
    # one bug, one rule: COST-2 and COST-3 depend on COST-1 (docs/SPEC.md)
    assert r.exit_code == 1 and r.rules_broken == {"COST-1"} and not r.errors
    failures = r.failed + r.consequences
    assert len(failures) == 4 and {o.caused_by for o in r.consequences} == {("COST-1",)}
    assert all("raised IndexError: tuple index out of range" in o.message for o in failures)


def test_a_hanging_target_is_stopped_and_the_run_completes() -> None:
    source = GOOD_COST + "\ndef compute_loss(a3, Y):\n    while True:\n        pass\n"
    r = run(module("hanging", source), [*CI, "--refnn-target-timeout=0.2"],
            properties=PROPS / "test_cost.py")
    failures = r.failed + r.consequences
    assert len(r.passed) == 4 and len(failures) == 4, r.output
    assert all("did not return within 0.2 s" in o.message or "was not called" in o.message
               for o in failures)


def test_environment_errors_are_reported_apart_from_broken_rules(tmp_path: Path) -> None:
    source = """
    import numpy as np
    def compute_cost(a3, Y):
        return float(np.asscalar(np.mean(a3)))
    """
    r = run(write(tmp_path, "old.py", source), CI, properties=PROPS / "test_cost.py")
    assert not r.killed and not r.failed
    assert len(r.environment_errors) == 4
    assert "np.asscalar" in r.environment_errors[0].message
    assert "(not a broken rule)" in r.output or "portability" in r.output


def test_a_target_that_cannot_be_imported_is_an_environment_error(tmp_path: Path) -> None:
    r = run(write(tmp_path, "py2.py", 'print "x"\n'), [*CI, "--refnn-run-top-level"],
            properties=PROPS / "test_cost.py")
    assert not r.killed and r.environment_errors and not r.passed
    assert "Python 2 print statement" in r.output


GC_NOTEBOOK = """
import numpy as np

def forward_propagation(x, theta):
    return theta * x

def backward_propagation(x, theta):
    return x

def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    {body}
"""
GOOD_CHECK = """J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))"""
INLINE_CHECK = """gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
    grad = x
    return abs(grad - gradapprox) / (abs(grad) + abs(gradapprox))"""


def test_a_gradient_checking_notebook_is_judged_for_what_it_is() -> None:
    mod = module("gc_notebook", GC_NOTEBOOK.format(body=GOOD_CHECK))
    r = run(mod, CI, properties=PROPS / "test_gradient_checking.py")
    assert r.exit_code == 0, r.output
    passed = {o.nodeid.split("::")[1] for o in r.passed}
    assert {"test_one_dimensional_pair_is_theta_times_x_and_its_derivative",
            "test_gradient_check_evaluates_the_modules_j_and_dj",
            "test_gradient_check_flags_a_wrong_derivative"} <= passed
    r = run(mod, CI, properties=PROPS / "test_network.py")
    reasons = " ".join(o.message for o in r.skipped)
    assert "forward_propagation(x, theta) is the Gradient-Checking notebook's 1-D" in reasons
    assert not r.failed


def test_a_gradient_check_that_never_calls_the_module_is_caught_and_restored() -> None:
    mod = module("gc_inline", GC_NOTEBOOK.format(body=INLINE_CHECK))
    original = mod.forward_propagation
    r = run(mod, [*CI, "--refnn-rule", "GC-3"], properties=PROPS / "test_gradient_checking.py")
    assert r.killed and r.rules_broken >= {"GC-3"}
    assert mod.forward_propagation is original  # the substitution was undone


def test_the_rule_option_selects_properties() -> None:
    r = run(module("cost_only", GOOD_COST), [*CI, "--refnn-rule", "COST-3"],
            properties=PROPS / "test_cost.py")
    assert {o.rules for o in r.outcomes} == {("COST-3",)} and len(r.outcomes) == 2


# ----------------------------------------------------------------------- the command line


def pytest_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=REPO, env=full_env, capture_output=True, text=True, timeout=300)


def test_command_line_target_from_the_environment_header_and_summary(tmp_path: Path) -> None:
    path = write(tmp_path, "learner.py", GOOD_COST)
    out = pytest_cli("properties/test_cost.py", *CI, env={"REFNN_TARGET": str(path)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"refnn conformance: target {path}" in out.stdout
    assert "from $REFNN_TARGET" in out.stdout
    assert "4 passed, 4 skipped" in out.stdout


def test_the_options_work_without_plugin_autoloading(tmp_path: Path) -> None:
    path = write(tmp_path, "learner.py", GOOD_COST)
    # (Hypothesis's own plugin is not loaded either then, so no --hypothesis-profile here)
    out = pytest_cli("properties/test_cost.py", f"--refnn-target={path}", "--refnn-rule=COST-3",
                     env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed, 1 skipped" in out.stdout


def test_xdist_gives_the_same_outcomes(tmp_path: Path) -> None:
    pytest.importorskip("xdist")
    path = write(tmp_path, "summing.py", GOOD_COST.replace("/ m)", ")"))
    args = ["properties/test_cost.py", "properties/test_l2.py", *CI, f"--refnn-target={path}", "-rA", "-q"]
    alone = pytest_cli(*args)
    parallel = pytest_cli(*args, "-n", "2")

    def outcomes(text: str) -> set[str]:
        return {line.split(" - ")[0] for line in text.splitlines()
                if line.startswith(("PASSED ", "FAILED ", "SKIPPED "))}

    assert alone.returncode == parallel.returncode == 1
    assert outcomes(alone.stdout) and outcomes(alone.stdout) == outcomes(parallel.stdout)
