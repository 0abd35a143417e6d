"""refnn.course: the course's API — names, signatures, tuple layouts, seeding — over refnn's core.

(The course's published numbers are checked in tests/course/test_golden.py.)
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

import refnn.course as course
from refnn.conformance.course_functions import (
    NOTEBOOKS,
    CourseFunction,
    functions,
    markdown_table,
)
from refnn.conformance.protocol import CACHES, FUNCTIONS
from refnn.course import gradient_checking, initialization, regularization
from refnn.init import initialize
from refnn.network import backward, forward

def _course_function(f: CourseFunction) -> object:
    """refnn's version of the course function ``f`` (the 1-D pair lives in gradient_checking)."""
    return getattr(gradient_checking if f.kind == "scalar" else course, f.name)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f"{f.name}[{f.kind}]")
def test_the_course_layer_defines_every_listed_function_with_its_signature(
        function: CourseFunction) -> None:
    """The one list (refnn.conformance.course_functions) against refnn.course: the course's
    arguments first, in order, with the course's defaults; refnn may add arguments with defaults."""
    func = _course_function(function)
    params = list(inspect.signature(func).parameters.values())  # type: ignore[arg-type]
    listed = function.parameter_names
    assert tuple(p.name for p in params[:len(listed)]) == listed
    assert all(p.default is not p.empty for p in params[len(listed):])
    for text in function.parameters:
        if "=" in text:
            name, default = text.split("=")
            assert params[listed.index(name)].default == ast.literal_eval(default)
    if function.kind == "network":
        assert function.name in course.__all__


def test_docs_target_md_lists_the_protocol_from_the_one_list() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "TARGET.md").read_text(encoding="utf-8")
    assert markdown_table() in doc


def test_the_one_list_names_each_notebooks_graded_functions() -> None:
    graded = {nb: {f.name for f in functions(role="graded", notebook=nb)} for nb in NOTEBOOKS}
    assert graded == {
        "Initialization": {"initialize_parameters_zeros", "initialize_parameters_random",
                           "initialize_parameters_he"},
        "Regularization": {"compute_cost_with_regularization",
                           "backward_propagation_with_regularization",
                           "forward_propagation_with_dropout", "backward_propagation_with_dropout"},
        "Gradient Checking": {"forward_propagation", "backward_propagation", "gradient_check",
                              "gradient_check_n"},
    }
    given = {f.name for f in functions(role="given", notebook="Gradient Checking")}
    assert given == {"forward_propagation_n", "backward_propagation_n"}
    assert {f.cache for f in FUNCTIONS if f.cache} == set(CACHES)


def _params(dims: list[int], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = initialize(dims, "he", rng=rng)
    for l in range(1, len(dims)):
        p[f"b{l}"] = rng.standard_normal((dims[l], 1))
    return p


def test_forward_cache_tuple_layout_and_backward_keys() -> None:
    p = _params([3, 2, 3, 1], 0)
    X = np.random.default_rng(1).standard_normal((3, 5))
    Y = np.array([[1, 0, 1, 1, 0]])
    A3, cache = course.forward_propagation(X, p)
    assert len(cache) == 12
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3c, W3, b3 = cache
    assert W1 is not None and np.array_equal(W1, p["W1"]) and np.array_equal(b3, p["b3"])
    np.testing.assert_array_equal(A1, np.maximum(Z1, 0))
    assert np.array_equal(A3, A3c)
    grads = course.backward_propagation(X, Y, cache)
    assert list(grads) == ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]
    _, c = forward(p, X)
    ref = backward(p, c, Y)
    assert all(np.array_equal(grads[k], ref[k]) for k in grads)


def test_dropout_cache_tuple_layout_and_course_reseeding() -> None:
    p = _params([3, 4, 2, 1], 2)
    X = np.random.default_rng(3).standard_normal((3, 6))
    A3, cache = course.forward_propagation_with_dropout(X, p, keep_prob=0.7)
    assert len(cache) == 14
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3c, W3, b3 = cache
    np.random.seed(1)  # the course's reseeding, first statement of the function
    assert np.array_equal(D1, np.random.rand(4, 6) < 0.7)
    assert np.array_equal(D2, np.random.rand(2, 6) < 0.7)
    np.testing.assert_array_equal(A1, np.maximum(Z1, 0) * D1 / 0.7)
    # the same masks at every call (the course's quirk)
    _, again = course.forward_propagation_with_dropout(X, p, keep_prob=0.7)
    assert np.array_equal(again[1], D1)


def test_dropout_backward_uses_the_keep_prob_it_is_given() -> None:
    p = _params([3, 4, 2, 1], 2)
    X = np.random.default_rng(3).standard_normal((3, 6))
    Y = np.array([[1, 0, 1, 1, 0, 0]])
    _, cache = course.forward_propagation_with_dropout(X, p, keep_prob=0.5)
    g5 = course.backward_propagation_with_dropout(X, Y, cache, 0.5)
    g8 = course.backward_propagation_with_dropout(X, Y, cache, 0.8)
    np.testing.assert_allclose(g8["dA2"] * 0.8, g5["dA2"] * 0.5, rtol=1e-14)


def test_update_does_not_modify_its_inputs() -> None:
    p = _params([2, 3, 1], 0)
    g = {f"d{k}": np.ones_like(v) for k, v in p.items()}
    before = {k: v.copy() for k, v in p.items()}
    new = course.update_parameters(p, g, 0.1)
    assert all(np.array_equal(p[k], before[k]) for k in p)
    assert all(np.allclose(new[k], before[k] - 0.1) for k in p)


def test_vectorization_order_and_round_trip_for_the_course_network_and_others() -> None:
    p = _params([4, 5, 3, 1], 0)
    theta, keys = course.dictionary_to_vector(p)
    assert theta.shape == (47, 1)
    assert keys[:20] == ["W1"] * 20 and keys[20:25] == ["b1"] * 5 and keys[-1] == "b3"
    np.testing.assert_array_equal(theta[:20, 0], p["W1"].ravel())
    back = course.vector_to_dictionary(theta)
    assert all(np.array_equal(back[k], p[k]) for k in p)
    q = _params([2, 6, 1], 1)
    t, _ = course.dictionary_to_vector(q)
    assert all(np.array_equal(course.vector_to_dictionary(t, [2, 6, 1])[k], q[k]) for k in q)
    g = {f"d{k}": v for k, v in p.items()}
    assert np.array_equal(course.gradients_to_vector(g), theta)


def test_gradient_check_uses_the_modules_own_1d_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    # J = x·θ² is neither linear nor symmetric in (x, θ); its derivative is 2xθ.
    monkeypatch.setattr(gradient_checking, "forward_propagation", lambda x, theta: x * theta**2)
    monkeypatch.setattr(gradient_checking, "backward_propagation", lambda x, theta: 2 * x * theta)
    assert course.gradient_check(3.0, 4.0) < 1e-7
    monkeypatch.setattr(gradient_checking, "backward_propagation", lambda x, theta: x * theta)
    assert course.gradient_check(3.0, 4.0) > 0.1


def test_gradient_check_n_any_depth_and_planted_bugs_detected() -> None:
    p = _params([3, 4, 2, 1], 3)
    X = np.random.default_rng(4).standard_normal((3, 8))
    Y = np.array([[1, 0, 1, 0, 1, 1, 0, 0]])
    _, cache = course.forward_propagation_n(X, Y, p)
    good = course.backward_propagation_n(X, Y, cache)
    assert np.abs(good["dW2"]).sum() > 0.01 and np.abs(good["db1"]).sum() > 0.01  # a live network
    bad = course.backward_propagation_n_with_planted_bugs(X, Y, cache)
    assert course.gradient_check_n(p, good, X, Y) < 2e-7
    assert course.gradient_check_n(p, bad, X, Y) > 1e-3


def test_gradient_check_messages(capsys: pytest.CaptureFixture[str]) -> None:
    course.gradient_check(3, 4, print_msg=True)
    assert "works perfectly fine" in capsys.readouterr().out


def test_predict_returns_ints_and_prints_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    p = _params([2, 3, 1], 0)
    X = np.random.default_rng(0).standard_normal((2, 8))
    AL, _ = forward(p, X)
    y = (AL > 0.5).astype(int)
    pred = course.predict(X, y, p)
    assert pred.dtype == np.int64 and np.array_equal(pred, y)
    assert capsys.readouterr().out.strip() == "Accuracy: 1.0"


@pytest.mark.parametrize("name", ["initialize_parameters_random", "initialize_parameters_he",
                                  "initialize_parameters"])
def test_initializers_reseed_like_the_course(name: str) -> None:
    a = getattr(course, name)([5, 4, 1])
    np.random.rand(10)
    b = getattr(course, name)([5, 4, 1])
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert "seed(3)" in (getattr(course, name).__doc__ or "")


def test_seeding_is_documented_in_the_docstrings() -> None:
    assert "np.random.seed(1)" in (course.forward_propagation_with_dropout.__doc__ or "")
    assert "np.random.seed(1)" in (regularization.__doc__ or "")
    assert "np.random.seed(3)" in (initialization.__doc__ or "")


def test_model_refuses_l2_with_dropout() -> None:
    with pytest.raises(ValueError, match="lambd"):
        regularization.model(np.zeros((2, 3)), np.zeros((1, 3)), lambd=0.1, keep_prob=0.5)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: course.backward_propagation(np.zeros((3, 5)), np.zeros((1, 5)), (1, 2, 3)),
         ValueError, "4L entries"),
        (lambda: course.backward_propagation(np.zeros((3, 5)), np.zeros((1, 5)), "cache"),
         TypeError, "cache tuple"),
        (lambda: course.forward_propagation_with_dropout(np.zeros((3, 5)), _params([3, 2, 1], 0), 0),
         ValueError, "keep_prob"),
        (lambda: course.initialize_parameters_he([3, -1]), ValueError, "layers_dims[1]"),
        (lambda: course.vector_to_dictionary(np.zeros((46, 1))), ValueError, "(47, 1)"),
        (lambda: course.compute_cost(np.array([[0.5]]), np.array([[3]])), ValueError, "{0, 1}"),
    ],
    ids=["cache-3-entries", "cache-string", "keep_prob-0", "layers_dims-negative",
         "theta-46", "label-3"],
)
def test_bad_input(call: object, error: type[Exception], words: str) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value), str(info.value)


# ------------------------------------------------- each function checks its arguments as itself

def _bad_calls() -> list[object]:
    p = _params([3, 2, 3, 1], 0)
    X = np.random.default_rng(1).standard_normal((3, 5))
    Y = np.array([[1.0, 0.0, 1.0, 0.0, 1.0]])
    a3, cache = course.forward_propagation(X, p)
    _, dcache = course.forward_propagation_with_dropout(X, p, 0.8)
    grads = course.backward_propagation(X, Y, cache)
    theta, _ = course.dictionary_to_vector(p)
    bad_b1 = {**p, "b1": np.zeros(2)}
    def call(f: object, func: str, name: str) -> object:
        return pytest.param(f, func, name, id=f"{func}-{name}")

    return [
        call(lambda: course.forward_propagation(X[:2], p), "forward_propagation", "X"),
        call(lambda: course.forward_propagation(X, bad_b1), "forward_propagation", "parameters['b1']"),
        call(lambda: course.backward_propagation(X, Y + 2, cache), "backward_propagation", "Y"),
        call(lambda: course.backward_propagation(X, Y, "cache"), "backward_propagation", "cache"),
        call(lambda: course.compute_cost(a3 + 1.5, Y), "compute_cost", "a3"),
        call(lambda: course.compute_loss(a3, Y[:, :2]), "compute_loss", "Y"),
        call(lambda: course.update_parameters(p, grads, -1.0), "update_parameters", "learning_rate"),
        call(lambda: course.update_parameters(p, {}, 0.1), "update_parameters", "grads"),
        call(lambda: course.update_parameters(bad_b1, grads, 0.1), "update_parameters",
             "parameters['b1']"),
        call(lambda: course.predict(X, Y + 3, p), "predict", "y"),
        call(lambda: course.compute_cost_with_regularization(a3 + 1.5, Y, p, 0.1),
             "compute_cost_with_regularization", "A3"),
        call(lambda: course.compute_cost_with_regularization(a3, Y, p, -1),
             "compute_cost_with_regularization", "lambd"),
        call(lambda: course.compute_cost_with_regularization(a3, Y, bad_b1, 0.1),
             "compute_cost_with_regularization", "parameters['b1']"),
        call(lambda: course.backward_propagation_with_regularization(X, Y, cache, -1),
             "backward_propagation_with_regularization", "lambd"),
        call(lambda: course.forward_propagation_with_dropout(X, p, 0), "forward_propagation_with_dropout",
             "keep_prob"),
        call(lambda: course.forward_propagation_with_dropout(X[:1], p, 0.5),
             "forward_propagation_with_dropout", "X"),
        call(lambda: course.backward_propagation_with_dropout(X, Y, dcache, 2),
             "backward_propagation_with_dropout", "keep_prob"),
        call(lambda: course.backward_propagation_with_dropout(X, Y[:, :1], dcache, 0.8),
             "backward_propagation_with_dropout", "Y"),
        call(lambda: course.forward_propagation_n(X, Y + 2, p), "forward_propagation_n", "Y"),
        call(lambda: course.forward_propagation_n(X[:1], Y, p), "forward_propagation_n", "X"),
        call(lambda: course.backward_propagation_n(X[:, :2], Y, cache), "backward_propagation_n",
             "cache Z1"),
        call(lambda: course.backward_propagation_n_with_planted_bugs(X, Y + 2, cache),
             "backward_propagation_n_with_planted_bugs", "Y"),
        call(lambda: course.gradient_check_n(p, {"dW1": 1}, X, Y), "gradient_check_n",
             "gradients['dW1']"),
        call(lambda: course.gradient_check_n(p, grads, X[:1], Y), "gradient_check_n", "X"),
        call(lambda: course.gradient_check_n(p, grads, X, Y, epsilon=0), "gradient_check_n",
             "epsilon"),
        call(lambda: course.dictionary_to_vector({"W1": 1}), "dictionary_to_vector", "parameters"),
        call(lambda: course.vector_to_dictionary(theta[:-1], [3, 2, 3, 1]), "vector_to_dictionary",
             "theta"),
        call(lambda: course.vector_to_dictionary(theta, [3, 0]), "vector_to_dictionary",
             "layer_dims[1]"),
        call(lambda: course.gradients_to_vector({"dW1": np.ones((2, 3))}), "gradients_to_vector",
             "gradients"),
        call(lambda: course.initialize_parameters_he([3, -1]), "initialize_parameters_he",
             "layers_dims[1]"),
        call(lambda: course.initialize_parameters([3]), "initialize_parameters", "layer_dims"),
        call(lambda: regularization.model(X, Y, lambd=0.1, keep_prob=0.5, print_cost=False), "model",
             "keep_prob"),
        call(lambda: regularization.model(X, Y, learning_rate=0, print_cost=False), "model",
             "learning_rate"),
        call(lambda: initialization.model(X, Y + 2, print_cost=False), "model", "Y"),
    ]


@pytest.mark.parametrize(("call", "func", "name"), _bad_calls())
def test_errors_name_the_function_called_and_its_argument(call: object, func: str, name: str
                                                          ) -> None:
    assert callable(call)
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{func}: argument '{name}' must be "), message
    assert ", got " in message, message
