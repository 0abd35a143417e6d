"""The conformance suite's findings on the framework adapters (issues 6, 14; docs/FRAMEWORKS.md).

Each adapter (``refnn.adapters.{torch,jax,keras,sklearn,flax}_target``) is judged once,
in-process, by the RNG-independent tier restricted to the properties the findings are about.
Every property below is a test that asserts the property *passed*: a known, explained difference —
an entry of the registry :mod:`refnn.adapters.findings`, which the frameworks matrix shares — is an
expected failure (``xfail(strict=True)``) with its reason, so a framework upgrade that changes the
behaviour (a property that starts passing, or one that starts failing) turns this module red. The
frameworks are optional (``refnn[torch]``, ``[jax]``, ``[keras]``, ``[flax]``, scikit-learn);
without one its tests skip, saying what to install.
"""

from __future__ import annotations

import os

import pytest

from refnn.adapters.findings import FINDINGS
from refnn.conformance import RunResult, run

# The properties the findings are about (pytest -k over the suite's node ids), kept fast: the
# whole RNG-independent tier takes ~40 s on torch and ~5 min on JAX (docs/FRAMEWORKS.md).
FRAMEWORKS = ["torch", "jax", "keras", "sklearn", "flax"]
SELECTED_FILES = ("test_init.py", "test_course_numbers.py", "test_gradient_checking.py",
                  "test_dropout.py", "test_weight_decay.py", "test_l2.py")
SELECTION = (
    "(test_init.py and (variance or gaussian or biases)) or "
    "(test_course_numbers.py and (planted or l2_backward or dropout_backward)) or "
    "(test_gradient_checking.py and vector) or "
    "(test_dropout.py and (probability or expected_activation or mask_over_keep_prob)) or "
    "test_weight_decay.py or "
    "(test_l2.py and (lambda_over_2m or lambda_over_m_times))"
)
ARGS = ["-m", "not golden", "--hypothesis-profile=refnn-ci", "-p", "no:cacheprovider", "-k", SELECTION,
        "--refnn-target-timeout=300"]  # eager JAX on a busy 2-core machine: no false hangs

_runs: dict[str, RunResult] = {}


def outcome(result: RunResult, test: str) -> str:
    hits = [o for o in result.outcomes if o.nodeid.endswith(test)]
    assert len(hits) == 1, f"{test}: {len(hits)} properties match (suite renamed?)\n{result.output[-3000:]}"
    return hits[0].outcome


# The pass side of the pins: properties each adapter is asserted to *pass* (the failures are the
# registry refnn.adapters.findings, shared with the frameworks matrix).
COMMON = [
    "test_init.py::test_random_initialization_draws_variance_100",
    "test_init.py::test_he_initialization_draws_variance_2_over_fan_in",
    "test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters_random]",
    "test_dropout.py::test_stored_activations_are_relu_times_mask_over_keep_prob",
    "test_dropout.py::test_each_unit_is_kept_with_probability_keep_prob",
    "test_dropout.py::test_inverted_dropout_preserves_the_expected_activation",
]
VECTORS = [
    "test_gradient_checking.py::test_dictionary_to_vector_stacks_w1_b1_w2_b2_w3_b3_row_major",
    "test_gradient_checking.py::test_vector_to_dictionary_inverts_dictionary_to_vector",
    "test_gradient_checking.py::test_gradients_are_vectorized_in_the_order_of_the_parameters",
]
WD = [
    "test_weight_decay.py::test_gradient_descent_with_l2_is_weight_decay",
    "test_weight_decay.py::test_adam_with_l2_steps_on_the_regularized_gradient",
    "test_weight_decay.py::test_adamw_decays_the_weights_beside_the_adam_step",
    "test_weight_decay.py::test_under_adam_l2_is_not_weight_decay",
]
L2 = ["test_l2.py::test_l2_cost_adds_lambda_over_2m_times_the_squared_weights",
      "test_l2.py::test_l2_gradient_adds_lambda_over_m_times_w_and_nothing_to_db"]
PASSES: dict[str, list[str]] = {
    "torch": COMMON + VECTORS + WD + [
        "test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters_he]"],
    "jax": COMMON + ["test_init.py::test_xavier_initialization_draws_variance_1_over_fan_in"],
    "keras": COMMON + VECTORS + L2 + WD[:1],
    "flax": COMMON + L2 + WD[1:3] + [
        "test_init.py::test_xavier_initialization_draws_variance_1_over_fan_in"],
    "sklearn": L2 + WD[:2] + [
        "test_weight_decay.py::test_the_biases_are_neither_penalized_nor_decayed[sgd_weight_decay_step]",
        "test_weight_decay.py::test_the_biases_are_neither_penalized_nor_decayed[adam_l2_step]"],
}
MODULE = {"sklearn": "sklearn", "flax": "optax"}  # the import that decides whether it can run
os.environ.setdefault("KERAS_BACKEND", "jax")  # as the Keras adapter does: `import keras` alone would
# pick TensorFlow, fail, and skip the Keras rows whenever nothing imported the adapter before


def judged(framework: str) -> RunResult:
    """The suite's verdicts on the ``framework`` adapter (one run per test session)."""
    pytest.importorskip(MODULE.get(framework, framework),
                        reason=f"{framework} is not installed: pip install "
                               f"'refnn[{framework}]' to judge its adapter")
    if framework not in _runs:
        _runs[framework] = run(f"refnn.adapters.{framework}_target", ARGS)
    return _runs[framework]


def _cases(framework: str) -> list[tuple[str, pytest.MarkDecorator | None]]:
    pinned = [(f.test, pytest.mark.xfail(strict=True, reason=f.reason))
              for f in FINDINGS[framework] if _selected(f.test)]
    return [(t, None) for t in PASSES[framework]] + pinned


def _selected(test: str) -> bool:
    return any(test.startswith(part) for part in SELECTED_FILES) and (
        not test.startswith("test_init.py") or "variance" in test or "gaussian" in test
        or "biases" in test)


def _params(framework: str, cases: list[tuple[str, pytest.MarkDecorator | None]]
            ) -> list[object]:
    return [pytest.param(framework, test, marks=[mark] if mark else [], id=f"{framework}-{test}")
            for test, mark in cases]


@pytest.mark.parametrize(("framework", "test"),
                         [p for fw in FRAMEWORKS for p in _params(fw, _cases(fw))])
def test_framework_meets_the_property(framework: str, test: str) -> None:
    """The suite's verdict on one property for one framework: passed (or an explained xfail)."""
    result = judged(framework)
    got = outcome(result, test)
    assert got == "passed", f"{framework}: {test} {got}\n" + "\n".join(
        o.message for o in result.outcomes if o.nodeid.endswith(test))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_other_property_breaks_and_none_errors(framework: str) -> None:
    """Beyond the pinned findings, the selection breaks no rule and raises no environment error."""
    result = judged(framework)
    pinned = {f.test for f in FINDINGS[framework]}
    unexpected = [o.nodeid for o in result.failed if not any(o.nodeid.endswith(t) for t in pinned)]
    assert not unexpected and not result.environment_errors and not result.errors, (
        unexpected, result.environment_errors, result.errors)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_adapter_exports_only_names_it_defines_from_the_course_protocol(framework: str) -> None:
    """An adapter's ``__all__`` is read from the course's function list (plus the optimizer steps of
    the weight-decay rules); each exported name must exist, and every protocol name must be either
    exported or absent (an adapter may leave a function out, never define one it does not export)."""
    import importlib

    from refnn.conformance.course_functions import OPTIMIZER_STEPS, protocol_names

    pytest.importorskip(MODULE.get(framework, framework),
                        reason=f"{framework} is not installed (pip install 'refnn[{framework}]')")
    module = importlib.import_module(f"refnn.adapters.{framework}_target")
    exported = set(module.__all__)
    assert exported <= set(protocol_names()) | set(OPTIMIZER_STEPS), exported
    assert [n for n in exported if not callable(getattr(module, n, None))] == []
    defined = {n for n in protocol_names() if callable(getattr(module, n, None))}
    assert defined <= exported, defined - exported
