"""refnn.cost: the course's cross-entropy, the stable one from the logits, and the L2 term."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from refnn.cost import cross_entropy, cross_entropy_from_logits, l2_penalty, total_cost
from refnn.network import sigmoid


def test_half_everywhere_costs_ln2() -> None:
    # Exact derivation: -log(1/2) = ln 2 for every example, whatever the labels.
    assert cross_entropy(np.full((1, 6), 0.5), np.array([[0, 1, 1, 0, 1, 0]])) == pytest.approx(
        math.log(2), rel=1e-15)


def test_mean_not_sum() -> None:
    A = np.array([[0.9, 0.2]])
    Y = np.array([[1, 0]])
    assert cross_entropy(A, Y) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2, rel=1e-14)


def test_saturated_output_at_the_wrong_label_is_inf_and_at_the_right_label_zero() -> None:
    assert cross_entropy(np.array([[1.0, 0.5]]), np.array([[0, 1]])) == math.inf
    assert cross_entropy(np.array([[1.0, 0.0]]), np.array([[1, 0]])) == 0.0


logits = arrays(np.float64, st.tuples(st.just(1), st.integers(1, 8)),
                elements=st.floats(-1e6, 1e6, allow_nan=False))
labels = st.integers(1, 8).flatmap(lambda m: arrays(np.float64, (1, m), elements=st.sampled_from([0.0, 1.0])))


@settings(max_examples=100, deadline=None)
@given(Z=logits, seed=st.integers(0, 1000))
def test_stable_cost_is_finite_and_equals_the_course_form_where_that_is_finite(Z: np.ndarray, seed: int) -> None:
    Y = (np.random.default_rng(seed).random(Z.shape) < 0.5).astype(float)
    stable = cross_entropy_from_logits(Z, Y)
    assert math.isfinite(stable)
    course = cross_entropy(sigmoid(Z), Y)
    if math.isfinite(course) and np.all(np.abs(Z) < 30):
        # Error model of the course's form: σ(z) is within ~1 ulp of 1 when z > 0, so 1 − σ(z)
        # carries an absolute error ≈ ε, i.e. a relative error ≈ ε·(1 + e^{|z|}) that log passes on
        # as an absolute error; the stable form is within a few ulp. (At z = 20 that is 5e-8.)
        eps = np.finfo(np.float64).eps
        tol = 4 * eps * float(np.sum(1.0 + np.exp(np.abs(Z)))) / Z.shape[1] + 4 * eps * abs(stable)
        assert abs(stable - course) <= tol, (stable, course, tol)


def test_stable_cost_at_extreme_logits() -> None:
    assert cross_entropy_from_logits(np.array([[800.0, -800.0]]), np.array([[0, 1]])) == 800.0
    assert cross_entropy_from_logits(np.array([[800.0, -800.0]]), np.array([[1, 0]])) == 0.0


def test_l2_penalty_formula_and_biases_ignored() -> None:
    p = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[100.0]]),
         "W2": np.array([[3.0]]), "b2": np.array([[-50.0]])}
    assert l2_penalty(p, 0.4, 5) == pytest.approx(0.4 / 10 * (1 + 4 + 9), rel=1e-15)
    q = dict(p, b1=np.array([[0.0]]), b2=np.array([[0.0]]))
    assert l2_penalty(q, 0.4, 5) == l2_penalty(p, 0.4, 5)


def test_total_cost_is_cross_entropy_plus_l2() -> None:
    p = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[1.0]])}
    A, Y = np.array([[0.3, 0.6]]), np.array([[0, 1]])
    assert total_cost(A, Y, p, 0.0) == cross_entropy(A, Y)
    assert total_cost(A, Y, p, 0.5) == cross_entropy(A, Y) + l2_penalty(p, 0.5, 2)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: cross_entropy(np.array([[0.5, 1.2]]), np.array([[0, 1]])), ValueError, "[0, 1]"),
        (lambda: cross_entropy(np.array([0.5, 0.5]), np.array([[0, 1]])), ValueError, "'AL'"),
        (lambda: cross_entropy(np.array([[0.5, 0.5]]), np.array([[0, 2]])), ValueError, "{0, 1}"),
        (lambda: cross_entropy(np.array([[0.5, 0.5]]), np.array([[0, 1, 1]])), ValueError, "(1, 2)"),
        (lambda: cross_entropy_from_logits(np.array([[np.inf]]), np.array([[0]])), ValueError, "finite"),
        (lambda: l2_penalty({"W1": np.ones((1, 1)), "b1": np.ones((1, 1))}, -0.1, 3), ValueError, "lambd"),
        (lambda: l2_penalty({"W1": np.ones((1, 1)), "b1": np.ones((1, 1))}, 0.1, 0), ValueError, "'m'"),
    ],
    ids=["AL-above-1", "AL-1d", "Y-2", "Y-wrong-m", "logit-inf", "lambd-negative", "m-zero"],
)
def test_bad_input(call: object, error: type[Exception], words: str) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value), str(info.value)
