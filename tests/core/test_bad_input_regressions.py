"""Issue 15's examples, one named test each: the silent wrong answers, crashes and misnamed errors
that the bad-input probe found (tests/core/test_bad_input.py covers the classes in general)."""

from __future__ import annotations

import numpy as np
import pytest

import refnn.course as course
from refnn import augmentation, cost, datasets, early_stopping, init, network, normalization
from refnn import training
from refnn.gradcheck import complex_step_gradient, directional_check, loop_gradapprox, reading
from refnn.gradcheck import check_network
from refnn.gradcheck.objective import NetworkObjective

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix


def _net(dims: list[int], seed: int = 0) -> dict[str, np.ndarray]:
    return init.initialize(dims, "he", rng=np.random.default_rng(seed))


def _data(n_x: int = 3, m: int = 6) -> tuple[np.ndarray, np.ndarray]:
    g = np.random.default_rng(1)
    X = g.standard_normal((n_x, m))
    return X, (X[:1] > 0).astype(float)


def test_forward_refuses_a_gap_in_the_layer_numbering() -> None:
    p = _net([3, 4, 5, 1])
    gap = {"W1": p["W1"], "b1": p["b1"], "W3": p["W3"], "b3": p["b3"]}
    with pytest.raises(ValueError, match=r"^forward: argument 'params' .*extra key\(s\) \['W3', 'b3'\]"):
        network.forward(gap, _data()[0])


def test_backward_refuses_a_cache_of_another_network() -> None:
    X, Y = _data()
    _, other = network.forward(_net([3, 2, 2, 1]), X)
    with pytest.raises(ValueError, match=r"^backward: argument 'cache' must be a forward pass of "
                                         r"these params \(Z1 of shape \(4, 6\)\)"):
        network.backward(_net([3, 4, 5, 1]), other, Y)


def test_accuracy_refuses_three_outputs_against_one_label_row() -> None:
    X, Y = _data()
    with pytest.raises(ValueError, match=r"^accuracy: argument 'params' .*n\[L\] = 3"):
        training.accuracy(_net([3, 4, 3]), X, Y)


def test_an_np_matrix_input_gives_the_ndarray_dropout_values() -> None:
    X, _ = _data()
    p = _net([3, 4, 5, 1])
    plain = network.forward(p, X, keep_prob=0.5, rng=np.random.default_rng(2))
    matrix = network.forward(p, np.matrix(X), keep_prob=0.5, rng=np.random.default_rng(2))
    assert type(matrix[0]) is np.ndarray
    np.testing.assert_array_equal(matrix[0], plain[0])
    for a, b in zip(matrix[1].layers, plain[1].layers):
        np.testing.assert_array_equal(a.A, b.A)


@pytest.mark.parametrize(("scale", "mode", "name"), [
    (-1.0, "fan_in", "scale"), (float("nan"), "fan_in", "scale"), (2.0, "bogus", "mode"),
])
def test_variance_scaling_refuses_a_bad_scale_or_mode(scale: float, mode: str, name: str) -> None:
    with pytest.raises(ValueError, match=f"^VarianceScaling: argument '{name}'"):
        init.VarianceScaling("x", scale, mode)  # type: ignore[arg-type]


def test_cross_entropy_from_logits_is_finite_at_1e308() -> None:
    J = cost.cross_entropy_from_logits(np.array([[1e308, 1e308, -1e308]]), np.array([[0, 0, 1]]))
    assert J == 1e308  # the mean of three losses of 1e308, each exactly z·(1 − y) or −z·y


def test_normalize_fit_is_finite_for_huge_finite_input() -> None:
    X = np.array([[1e308, -1e308, 1.7e308], [1.0, 2.0, 3.0]])
    s = normalization.normalize_fit(X)
    assert np.isfinite(s.mu).all() and np.isfinite(s.scale).all()
    Z = normalization.normalize_transform(s, X)
    assert np.isfinite(Z).all()
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=1), 1.0, rtol=1e-12)


def test_normalize_transform_refuses_statistics_of_the_wrong_shape() -> None:
    X, _ = _data()
    s = normalization.normalize_fit(X)
    import dataclasses
    bad = dataclasses.replace(s, scale=s.scale.T.copy())
    with pytest.raises(ValueError, match=r"^normalize_transform: argument 'stats' .*scale"):
        normalization.normalize_transform(bad, X)


def test_directional_check_refuses_empty_vectors() -> None:
    with pytest.raises(ValueError, match=r"^directional_check: argument 'theta' must be a non-empty"):
        directional_check(lambda t: 0.0, np.zeros(0), np.zeros(0), rng=np.random.default_rng(0))


def test_loop_gradapprox_refuses_an_unknown_method() -> None:
    X, Y = _data()
    obj, theta = NetworkObjective.build("test", _net([3, 2, 1]), X, Y)
    with pytest.raises(ValueError, match=r"^loop_gradapprox: argument 'method' .*got 'bogus'"):
        loop_gradapprox(obj, theta, "bogus", 1e-7)  # type: ignore[arg-type]


def test_the_reading_of_nan_is_an_error_not_worry() -> None:
    """A NaN difference has no reading: it means the gradient or its approximation holds NaN."""
    with pytest.raises(ValueError, match=r"^reading: argument 'difference' .*got nan; nan means"):
        reading(float("nan"))
    assert reading(0.5).startswith("worry")


@pytest.mark.parametrize("call", [
    lambda X, Y, p: network.backward(p, network.forward(p, X)[1], Y),
    lambda X, Y, p: cost.cross_entropy(np.full(Y.shape, 0.5), Y),
    lambda X, Y, p: cost.cross_entropy_from_logits(np.zeros(Y.shape), Y),
    lambda X, Y, p: cost.total_cost(np.full(Y.shape, 0.5), Y, p, 0.1),
    lambda X, Y, p: check_network(p, X, Y),
], ids=["backward", "cross_entropy", "cross_entropy_from_logits", "total_cost", "check_network"])
def test_zero_examples_raise_a_clear_value_error(call: object) -> None:
    X, Y = _data(m=6)
    with pytest.raises(ValueError, match=r"argument 'Y' must be labels of at least one example"):
        call(X[:, :0], Y[:, :0], _net([3, 2, 1]))  # type: ignore[operator]


@pytest.mark.parametrize(("call", "name"), [
    (lambda: init.initialize([3, 2**70, 1], rng=np.random.default_rng(0)), "layer_dims"),
    (lambda: init.initialize([10**5, 10**5, 1], rng=np.random.default_rng(0)), "layer_dims"),
    (lambda: augmentation.augment_batch(np.zeros((2, 4, 4, 1)), np.zeros((1, 2)),
                                        rng=np.random.default_rng(0), copies=2**62), "copies"),
], ids=["width 2**70", "1e5 x 1e5 weights", "copies=2**62"])
def test_absurd_sizes_are_refused_by_name_before_allocating(call: object, name: str) -> None:
    with pytest.raises(ValueError, match=f"argument '{name}' must be sizes needing at most 2\\*\\*30"):
        call()  # type: ignore[operator]


def test_ragged_lists_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match=r"^forward: argument 'X' must be a rectangular array"):
        network.forward(_net([3, 2, 1]), [[1.0, 2.0], [3.0], [4.0, 5.0]])


def test_train_with_early_stopping_names_init() -> None:
    X, Y = _data()
    with pytest.raises(ValueError, match=r"^train_with_early_stopping: argument 'init'"):
        early_stopping.train_with_early_stopping(X, Y, X, Y, [3, 2, 1], rng=np.random.default_rng(0),
                                                 init="bogus", num_iterations=2)


def test_train_checks_init_even_when_params_are_given() -> None:
    X, Y = _data()
    with pytest.raises(ValueError, match=r"^train: argument 'init'"):
        training.train(X, Y, [3, 2, 1], rng=np.random.default_rng(0), init="bogus",
                       params=_net([3, 2, 1]), num_iterations=1)


def test_dev_cost_names_x_dev_and_y_dev() -> None:
    X, Y = _data()
    p = _net([3, 2, 1])
    with pytest.raises(ValueError, match=r"^dev_cost: argument 'X_dev'"):
        early_stopping.dev_cost(p, X[:2], Y)
    with pytest.raises(ValueError, match=r"^dev_cost: argument 'Y_dev'"):
        early_stopping.dev_cost(p, X, Y[:, :2])


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"n_train": -1}, "n_train"), ({"n_test": 0}, "n_test"), ({"noise": -1.0}, "noise"),
    ({"factor": 1.0}, "factor"),
])
def test_load_circles_names_its_own_arguments(kwargs: dict[str, float], name: str) -> None:
    with pytest.raises(ValueError, match=f"^load_circles: argument '{name}'"):
        datasets.load_circles(np.random.RandomState(0), np.random.RandomState(1), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^load_circles: argument 'rng_test'"):
        datasets.load_circles(np.random.RandomState(0), None)  # type: ignore[arg-type]


def test_complex_step_gradient_names_h() -> None:
    with pytest.raises(ValueError, match=r"^complex_step_gradient: argument 'h' must be > 0"):
        complex_step_gradient(lambda t: complex(np.sum(t * t)), np.ones(3), h=0)


def test_course_forward_propagation_refuses_parameters_without_w2() -> None:
    X, _ = _data(n_x=2)
    p = _net([2, 3, 2, 1])
    del p["W2"]
    with pytest.raises(ValueError, match=r"^forward_propagation: argument 'parameters'"):
        course.forward_propagation(X, p)


def test_course_backward_refuses_x_that_does_not_match_the_cache() -> None:
    X, Y = _data(n_x=2)
    cache = course.forward_propagation(X, _net([2, 3, 2, 1]))[1]
    with pytest.raises(ValueError, match=r"^backward_propagation: argument 'X'"):
        course.backward_propagation(np.vstack([X, X[:1]]), Y, cache)


def test_course_backward_with_regularization_requires_lambd() -> None:
    X, Y = _data(n_x=2)
    cache = course.forward_propagation(X, _net([2, 3, 2, 1]))[1]
    with pytest.raises(TypeError, match=r"^backward_propagation_with_regularization: argument 'lambd'"):
        course.backward_propagation_with_regularization(X, Y, cache, None)  # type: ignore[arg-type]


def test_gradient_step_refuses_gradients_of_a_deeper_network() -> None:
    p = _net([3, 2, 1])
    g = {"d" + k: np.zeros_like(v) for k, v in p.items()}
    g["dW3"] = np.zeros((1, 1))
    with pytest.raises(ValueError, match=r"^gradient_step: argument 'grads' .*\['dW3'\]"):
        training.gradient_step(p, g, 0.1)


def test_adam_direction_is_plus_minus_one_for_huge_gradients() -> None:
    from refnn import weight_decay
    p = {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
    g = {"dW1": np.array([[1e300, -1e300]]), "db1": np.array([[1e-300]])}
    new = weight_decay.adam_l2_step(p, g, 0.1, 0.0, 1)
    np.testing.assert_allclose(new["W1"], [[-0.1, 0.1]])


def test_l2_penalty_refuses_weights_whose_squares_overflow() -> None:
    p = {"W1": np.full((1, 2), 1e200), "b1": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=r"^l2_penalty: argument 'params' must be weights whose squared"):
        cost.l2_penalty(p, 0.1, 3)


def test_forward_refuses_a_pass_that_overflows() -> None:
    p = {"W1": np.full((1, 2), 1e300), "b1": np.zeros((1, 1))}
    with pytest.raises(ValueError, match=r"^forward: argument 'params' and 'X' .*stays finite"):
        network.forward(p, np.full((2, 1), 1e10))
