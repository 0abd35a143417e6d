"""The conformance suite's findings on PyTorch and JAX (issue 6; docs/FRAMEWORKS.md), pinned.

Each framework's adapter (:mod:`refnn.adapters.torch_target`, :mod:`refnn.adapters.jax_target`)
is judged once, in-process, by the RNG-independent tier restricted to the properties the findings
are about. Every property below is a test that asserts the property *passed*: a known, explained
difference is an expected failure (``xfail(strict=True)``) with its reason, so a framework upgrade
that changes the behaviour — a property that starts passing, or one that starts failing — turns
this module red. The adapters' frameworks are optional (``refnn[torch]``, ``refnn[jax]``); without
one its tests skip, saying which extra to install.
"""

from __future__ import annotations

import pytest

from refnn.conformance import RunResult, run

# The properties the findings are about (pytest -k over the suite's node ids), kept fast: the
# whole RNG-independent tier takes ~40 s on torch and ~5 min on JAX (docs/FRAMEWORKS.md).
SELECTION = (
    "(test_init.py and (variance or gaussian)) or "
    "(test_course_numbers.py and (planted or l2_backward or dropout_backward)) or "
    "(test_gradient_checking.py and vector) or "
    "(test_dropout.py and (probability or expected_activation or mask_over_keep_prob))"
)
ARGS = ["-m", "not golden", "--hypothesis-profile=refnn-ci", "-p", "no:cacheprovider", "-k", SELECTION]

_runs: dict[str, RunResult] = {}


def judged(framework: str) -> RunResult:
    """The suite's verdicts on the ``framework`` adapter (one run per test session)."""
    pytest.importorskip(framework, reason=f"{framework} is not installed: pip install "
                                          f"'refnn[{framework}]' to judge its adapter")
    if framework not in _runs:
        _runs[framework] = run(f"refnn.adapters.{framework}_target", ARGS)
    return _runs[framework]


def outcome(result: RunResult, test: str) -> str:
    hits = [o for o in result.outcomes if o.nodeid.endswith(test)]
    assert len(hits) == 1, f"{test}: {len(hits)} properties match (suite renamed?)\n{result.output[-3000:]}"
    return hits[0].outcome


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# Findings shared by both adapters: the suite's demands on the course's *arithmetic*.
RECOMPUTE = xfail(
    "L2-2 course example: autograd/jax.grad recompute the forward pass from the cache's W, b "
    "(rounded to 8 decimals), while the course reads A3 from its 8-decimal cache: db3 is off by "
    "5.55e-9, just over the 5e-9 print tolerance (suite assumes the cached activations are read)")
INCONSISTENT_CACHE = xfail(
    "DROP-7 course example: the course builds the cache with keep_prob = 0.5 and calls backward "
    "with 0.8; an autograd backward recomputes A1 = relu(Z1)·D1/0.8, so dW1 differs by 1e-2")
COMMON = [
    ("test_init.py::test_random_initialization_draws_variance_100", None),
    ("test_init.py::test_he_initialization_draws_variance_2_over_fan_in", None),
    ("test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters_random]", None),
    ("test_dropout.py::test_stored_activations_are_relu_times_mask_over_keep_prob", None),
    ("test_dropout.py::test_each_unit_is_kept_with_probability_keep_prob", None),
    ("test_dropout.py::test_inverted_dropout_preserves_the_expected_activation", None),
    ("test_course_numbers.py::test_l2_backward_reproduces_the_courses_example", RECOMPUTE),
    ("test_course_numbers.py::test_dropout_backward_reproduces_the_courses_example", INCONSISTENT_CACHE),
    # (was a finding: the 1e-9 tolerance demanded the course's log(σ(z)) rounding; the derived
    # tolerance of issue 10 accepts any correct arithmetic, so a cost from the logits passes)
    ("test_course_numbers.py::test_gradient_check_n_reproduces_the_courses_verdict_on_the_planted_bugs", None),
]

TORCH = [
    ("test_init.py::test_xavier_initialization_draws_variance_1_over_fan_in", xfail(
        "INIT-9: torch.nn.init.xavier_normal_ (the lecture's name 'Xavier') is Glorot's "
        "N(0, 2/(fan_in + fan_out)), not the course's N(0, 1/n[l−1]); observed variance ratio 1.26")),
    ("test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters]", xfail(
        "INIT-7 via INIT-9: xavier_normal_ is normal, but standardized by the course's √(1/n[l−1]) "
        "its draws are N(0, ≠1), so the KS test against N(0, 1) rejects (scale, not shape)")),
    ("test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters_he]", None),
    ("test_gradient_checking.py::test_dictionary_to_vector_stacks_w1_b1_w2_b2_w3_b3_row_major", None),
    ("test_gradient_checking.py::test_vector_to_dictionary_inverts_dictionary_to_vector", None),
    ("test_gradient_checking.py::test_gradients_are_vectorized_in_the_order_of_the_parameters", None),
]

TRUNCATED = ("jax.nn.initializers.{} draws from a normal truncated at ±2σ' (σ' = σ/0.8796): the "
             "variance is exact (INIT-6/INIT-9 pass) but the KS distance to N(0, 1) is 0.0167 "
             "(p ≈ 1e-12 at N = 41000)")
PYTREE = ("GC-5: jax.flatten_util.ravel_pytree flattens a dict in sorted-key order, W1, W2, W3, "
          "b1, b2, b3, not the course's W1, b1, W2, …")
JAX = [
    ("test_init.py::test_xavier_initialization_draws_variance_1_over_fan_in", None),
    ("test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters]",
     xfail("INIT-7: " + TRUNCATED.format("lecun_normal"))),
    ("test_init.py::test_random_weights_are_gaussian_not_uniform[initialize_parameters_he]",
     xfail("INIT-7: " + TRUNCATED.format("he_normal"))),
    ("test_gradient_checking.py::test_dictionary_to_vector_stacks_w1_b1_w2_b2_w3_b3_row_major",
     xfail(PYTREE)),
    ("test_gradient_checking.py::test_vector_to_dictionary_inverts_dictionary_to_vector",
     xfail(PYTREE + " (the unravel of a sorted-order θ)")),
    ("test_gradient_checking.py::test_gradients_are_vectorized_in_the_order_of_the_parameters",
     xfail(PYTREE)),
]


def _params(framework: str, cases: list[tuple[str, pytest.MarkDecorator | None]]
            ) -> list[object]:
    return [pytest.param(framework, test, marks=[mark] if mark else [], id=f"{framework}-{test}")
            for test, mark in cases]


@pytest.mark.parametrize(("framework", "test"),
                         _params("torch", COMMON + TORCH) + _params("jax", COMMON + JAX))
def test_framework_meets_the_property(framework: str, test: str) -> None:
    """The suite's verdict on one property for one framework: passed (or an explained xfail)."""
    result = judged(framework)
    got = outcome(result, test)
    assert got == "passed", f"{framework}: {test} {got}\n" + "\n".join(
        o.message for o in result.outcomes if o.nodeid.endswith(test))


@pytest.mark.parametrize("framework", ["torch", "jax"])
def test_no_other_property_breaks_and_none_errors(framework: str) -> None:
    """Beyond the pinned findings, the selection breaks no rule and raises no environment error."""
    result = judged(framework)
    pinned = {t for t, m in COMMON + (TORCH if framework == "torch" else JAX) if m}
    unexpected = [o.nodeid for o in result.failed if not any(o.nodeid.endswith(t) for t in pinned)]
    assert not unexpected and not result.environment_errors and not result.errors, (
        unexpected, result.environment_errors, result.errors)
