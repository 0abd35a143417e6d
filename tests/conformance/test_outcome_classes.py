"""Outcomes by cause (issue 10.3, 10.4, 10.6): each class, on notebooks written for it
(``tests/notebooks``), and the reproduction snippet of a failure.

Two levels: the exception a target call raises (:meth:`refnn.conformance.judge.TargetFunction.call`,
:meth:`refnn.conformance.subject.Subject.require`) — which is the cause's class — and a whole run
(:func:`refnn.conformance.run`), asserting what its outcomes report.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from refnn.conformance import judge, oracle, run
from refnn.conformance.outcome import (
    NotJudged,
    PortabilityProblem,
    TargetEnvironmentError,
    TargetProblem,
    UnfinishedCode,
)
from refnn.conformance.protocol import forward_spec, grads_spec
from refnn.conformance.subject import Subject
from refnn.conformance.target import load
from refnn.course import forward_propagation_with_dropout as reference_dropout

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "tests" / "notebooks"
PROPS = REPO / "properties"
ARGS = ["-m", "not golden", "--hypothesis-profile=refnn-ci"]


def subject(notebook: str) -> Subject:
    return Subject(load(str(NOTEBOOKS / notebook)), judge.CALL_TIMEOUT)


def network(seed: int = 1) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    dims = (4, 5, 3, 1)
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.randn(dims[l], dims[l - 1])
        params[f"b{l}"] = rng.randn(dims[l], 1)
    return params, rng.randn(4, 3), np.array([[1.0, 0.0, 1.0]])


# -------------------------------------------------------------------- the call's exception


def test_np_sum_of_a_generator_is_portability_with_the_line_and_the_fix() -> None:
    params, X, Y = network()
    A3, _, _ = oracle.forward(params, X)
    fn = subject("regularization_causes.ipynb").require("compute_cost_with_regularization")
    with pytest.raises(PortabilityProblem) as raised:
        fn.call(A3, Y, params, 0.1)
    problem = raised.value
    assert problem.kind == "portability"
    assert problem.where.endswith("regularization_causes.ipynb [code cell 2]:10")
    assert "builtin sum" in problem.hint and "np.sum(generator)" in problem.message


def test_a_one_number_array_in_a_scalar_slot_is_portability() -> None:
    params, X, Y = network()
    fn = subject("gradient_checking_numpy2_scalar_slot.ipynb").require("gradient_check_n")
    with pytest.raises(PortabilityProblem) as raised:
        fn.call(params, oracle.gradients(params, X, Y), X, Y)
    assert "gradapprox[i] = (J_plus[i] - J_minus[i])" in raised.value.message
    assert ".item()" in raised.value.hint and "[code cell 8]:22" in raised.value.where


def test_more_than_one_number_in_a_scalar_slot_is_a_bug_not_portability() -> None:
    def learner(n: int) -> np.ndarray:
        out = np.zeros(n)
        pair = np.ones(2)
        out[0] = pair
        return out

    with pytest.raises(judge.RuleViolation, match="setting an array element"):
        judge.TargetFunction("learner", learner).call(3)


def test_removed_numpy_aliases_and_python2_builtins_are_portability() -> None:
    def old_alias(x: object) -> object:
        return np.float(x)  # type: ignore[attr-defined]

    def python2(n: int) -> list[int]:
        return list(xrange(n))  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(PortabilityProblem, match="np.float was removed in NumPy 1.24"):
        judge.TargetFunction("old_alias", old_alias).call(1)
    with pytest.raises(PortabilityProblem) as raised:
        judge.TargetFunction("python2", python2).call(3)
    assert "use range" in raised.value.hint


def test_a_name_a_helper_module_provides_is_environment() -> None:
    params, X, _ = network()
    fn = subject("regularization_causes.ipynb").require("forward_propagation_with_dropout")
    with pytest.raises(TargetEnvironmentError) as raised:
        fn.call(X, params, 0.7)
    assert "from reg_utils import relu" in raised.value.hint


def test_a_missing_helper_module_is_environment() -> None:
    def uses_missing_module() -> None:
        import reg_utils_that_is_not_here  # type: ignore[import-not-found]  # noqa: F401

    with pytest.raises(TargetEnvironmentError, match="not importable"):
        judge.TargetFunction("uses_missing_module", uses_missing_module).call()


def test_a_name_defined_nowhere_is_the_learners_bug_with_a_hint() -> None:
    params, X, Y = network()
    _, cache = reference_dropout(X, params, 0.7)
    fn = subject("regularization_causes.ipynb").require("backward_propagation_with_dropout")
    with pytest.raises(judge.RuleViolation) as raised:
        fn.call(X, Y, cache, 0.7)
    assert "'keep_probability' is used in backward_propagation_with_dropout()" in raised.value.hint
    assert not isinstance(raised.value, TargetProblem)


def test_a_none_placeholder_of_the_old_template_is_unfinished() -> None:
    params, X, Y = network()
    _, cache, _ = oracle.forward(params, X)
    fn = subject("regularization_causes.ipynb").require("backward_propagation_with_regularization")
    with pytest.raises(UnfinishedCode) as raised:
        fn.call(X, Y, cache, 0.7, expect=grads_spec((4, 5, 3, 1)))
    assert "dW2 = None" in raised.value.message and "[code cell 3]" in raised.value.where


def test_an_empty_your_code_block_is_unfinished() -> None:
    params, X, _ = network()
    fn = subject("regularization_one_unfinished.ipynb").require("forward_propagation_with_dropout")
    with pytest.raises(UnfinishedCode) as raised:
        fn.call(X, params, 0.7, expect=forward_spec((4, 5, 3, 1), 3, dropout=True))
    assert "YOUR CODE STARTS HERE" in raised.value.message
    assert raised.value.where.endswith("regularization_one_unfinished.ipynb [code cell 4]:18")


def test_raise_not_implemented_is_unfinished() -> None:
    def template(x: object) -> None:
        # YOUR CODE HERE
        raise NotImplementedError()

    with pytest.raises(UnfinishedCode):
        judge.TargetFunction("template", template).call(1)


def test_given_code_and_stand_ins_are_not_judged() -> None:
    gc = subject("gradient_checking_planted_bugs_kept.ipynb")
    with pytest.raises(NotJudged) as raised:
        gc.require("backward_propagation_n")
    assert raised.value.whose == "given"
    assert raised.value.note == ("given code: backward_propagation_n keeps the course's planted "
                                 "bugs, as handed out")
    assert gc.require("gradient_check_n").name == "gradient_check_n"  # the learner's: judged
    reg = subject("regularization_correct.ipynb")
    with pytest.raises(NotJudged) as raised:
        reg.require("forward_propagation", "network")
    assert raised.value.whose == "stand-in"
    assert reg.helper("forward_propagation", "network").name == "forward_propagation"


def test_the_default_target_judges_everything() -> None:
    ref = Subject(load("refnn.course"), judge.CALL_TIMEOUT)
    for name in ("backward_propagation_n", "predict", "forward_propagation_with_dropout"):
        assert ref.require(name).name == name


def test_a_py_file_is_judged_on_the_functions_it_defines(tmp_path: Path) -> None:
    path = tmp_path / "entry.py"
    path.write_text("from refnn.course import *\n\ndef predict(X, y, parameters):\n"
                    "    return forward_propagation(X, parameters)[0] > 0.5\n")
    target = Subject(load(str(path)), judge.CALL_TIMEOUT)
    assert target.require("predict").name == "predict"
    with pytest.raises(NotJudged) as raised:
        target.require("update_parameters")
    assert raised.value.whose == "stand-in"


# ------------------------------------------------------------------------------ whole runs


def test_a_correct_notebook_that_keeps_the_planted_backward_pass_has_no_failure() -> None:
    result = run(str(NOTEBOOKS / "gradient_checking_planted_bugs_kept.ipynb"), ARGS,
                 properties=PROPS / "test_network.py")
    assert result.exit_code in (0, 5) and not result.failed and not result.environment_errors, \
        result.output
    notes = [o.message for o in result.not_judged if "backward_propagation_n" in o.message]
    assert notes and all("keeps the course's planted bugs" in m for m in notes)
    result = run(str(NOTEBOOKS / "gradient_checking_planted_bugs_kept.ipynb"), ARGS,
                 properties=PROPS / "test_gradient_checking.py")
    assert result.exit_code == 0 and not result.failed and result.passed, result.output


def test_one_unfinished_function_leaves_the_others_judged() -> None:
    result = run(str(NOTEBOOKS / "regularization_one_unfinished.ipynb"), ARGS,
                 properties=PROPS / "test_dropout.py")
    # today's plugin files every TargetProblem under "environment"
    unfinished = result.with_outcome("unfinished")
    assert unfinished and not result.failed, result.output
    assert all("unfinished" in o.message or "does not parse" in o.message for o in unfinished)
    result = run(str(NOTEBOOKS / "regularization_one_unfinished.ipynb"), [*ARGS, "--refnn-rule", "L2"],
                 properties=PROPS / "test_l2.py")
    assert result.exit_code == 0 and result.passed and not result.failed, result.output


def test_a_target_problem_ends_its_property_at_the_first_example(tmp_path: Path) -> None:
    # every input shows an unportable function: Hypothesis does not shrink it (that would call
    # the function dozens of times for the same verdict); the record is the problem's, with its
    # call, and no minimal counterexample
    target = tmp_path / "np_float_target.py"
    target.write_text(
        "import numpy as np\n"
        "def compute_cost_with_regularization(A3, Y, parameters, lambd):\n"
        "    return np.float(0.5)\n", encoding="utf-8")
    calls: list[int] = []
    original = judge.TargetFunction.call

    def counted(self: judge.TargetFunction, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(self, *args, **kwargs)

    judge.TargetFunction.call = counted  # type: ignore[method-assign]
    try:
        result = run(str(target), [*ARGS, "-k", "test_l2_cost_adds_lambda_over_2m_times_the"],
                     properties=PROPS / "test_l2.py")
    finally:
        judge.TargetFunction.call = original  # type: ignore[method-assign]
    (record,) = result.records
    assert record.outcome == "portability", result.output
    assert "np.float was removed in NumPy 1.24" in record.message
    assert "the call: compute_cost_with_regularization(" in record.message
    assert not record.counterexample
    assert len(calls) == 1


def test_a_numpy2_only_failure_is_not_a_broken_rule() -> None:
    result = run(str(NOTEBOOKS / "gradient_checking_numpy2_scalar_slot.ipynb"),
                 [*ARGS, "--refnn-rule", "GC-6"], properties=PROPS / "test_gradient_checking.py")
    portability = result.with_outcome("portability")
    assert not result.failed and portability, result.output
    assert any("no longer turns an array of one number" in o.message for o in portability)


def test_a_pasted_helper_with_np_int_is_not_judged() -> None:
    result = run(str(NOTEBOOKS / "regularization_np_int.ipynb"), ARGS,
                 properties=PROPS / "test_network.py")
    assert not result.failed and not result.environment_errors, result.output
    assert any("predict() is code the course hands out" in o.message for o in result.not_judged)


# ------------------------------------------------------------------ runnable counterexamples


def test_the_repro_snippet_runs_and_reproduces_the_call() -> None:
    params, X, _ = network(3)
    X = X * (1 / 3)  # floats with long representations
    judge.reset_calls()
    fn = judge.TargetFunction("forward_propagation_with_dropout", reference_dropout)
    A3, _ = fn.call(X, params, keep_prob=0.25)
    snippet = judge.repro_snippet()
    assert snippet.startswith("import numpy as np\n")
    assert "forward_propagation_with_dropout(X, parameters, keep_prob=0.25)" in snippet
    ast.parse(snippet)
    namespace: dict[str, object] = {"forward_propagation_with_dropout": reference_dropout}
    lines = snippet.rstrip().splitlines()
    exec("\n".join(lines[:-1]) + "\n_out = " + lines[-1], namespace)
    again, _ = namespace["_out"]  # type: ignore[misc]
    assert np.array_equal(again, A3)  # the same inputs, to the last bit
    judge.reset_calls()
    assert judge.repro_snippet() == ""


def test_a_rule_violation_carries_the_compared_values_at_full_precision() -> None:
    expected = np.array([1 / 3, 2 / 3])
    with pytest.raises(judge.RuleViolation) as raised:
        judge.check_close(2 * expected, expected, "dW2")
    error = raised.value
    assert error.what == "dW2" and error.ratio == pytest.approx(2.0)
    assert repr(1 / 3) in error.expected and repr(2 / 3) in error.actual
    assert repr(2 / 3) in str(error)  # the worst entry, never cut


def test_a_statistical_failure_carries_its_evidence() -> None:
    evidence = judge.Evidence("keep rate of D1", "binomial test", "0.5", "0.8", 1e-9, 1e-6,
                              "keep rate 0.7 (power 0.99)")
    with pytest.raises(judge.RuleViolation) as raised:
        judge.check_statistic(evidence)
    assert raised.value.evidence is evidence and raised.value.actual == "0.5"
