"""refnn.depth (lecture: "Vanishing / Exploding Gradients", "Weight Initialization for Deep Networks")."""

from __future__ import annotations

import numpy as np
import pytest

import refnn.depth
from refnn.depth import (
    deep_linear_activations,
    deep_relu_second_moments,
    relu_second_moments,
    scaled_identity_weights,
)
from refnn.init import initialize
from refnn.network import forward


def test_the_notes_numbers() -> None:
    X = np.ones((2, 1))
    up = deep_linear_activations(scaled_identity_weights(2, 150, 1.5), X)[-1]
    down = deep_linear_activations(scaled_identity_weights(2, 150, 0.5), X)[-1]
    assert up[0, 0] == pytest.approx(1.5**150, rel=1e-12)
    assert down[0, 0] == 0.5**150  # powers of two are exact


def test_inputs_are_never_modified() -> None:
    W = [np.eye(2) * 2.0, np.ones((3, 2))]
    X = np.ones((2, 4))
    copies = [w.copy() for w in W] + [X.copy()]
    A = deep_linear_activations(W, X)
    A[0][...] = 7.0
    assert all(np.array_equal(a, b) for a, b in zip(copies, W + [X]))


def test_relu_second_moments_reads_the_forward_cache() -> None:
    p = initialize([4, 6, 5, 1], "he", rng=np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(4, 7))
    _, cache = forward(p, X)
    want = [np.mean(X**2), np.mean(cache.A(1) ** 2), np.mean(cache.A(2) ** 2)]
    assert np.allclose(relu_second_moments(p, X), want)


def test_deep_relu_second_moments_shape_and_seed() -> None:
    a = deep_relu_second_moments(8, 5, rng=np.random.default_rng(3), n_networks=2, m=4)
    b = deep_relu_second_moments(8, 5, rng=np.random.default_rng(3), n_networks=2, m=4)
    assert a.shape == (2, 6) and np.array_equal(a, b)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: deep_linear_activations([], np.ones((2, 1))), ValueError, ["'weights'", "at least one"]),
        (lambda: deep_linear_activations(np.eye(2), np.ones((2, 1))), TypeError, ["'weights'", "sequence"]),  # type: ignore[arg-type]
        (lambda: deep_linear_activations([np.eye(2), np.ones((3, 3))], np.ones((2, 1))), ValueError,
         ["'weights[1]'", "(n[2], n[1]) = (3, 2)"]),
        (lambda: deep_linear_activations([np.eye(2)], np.ones((3, 1))), ValueError,
         ["'X'", "(n[0], m) = (2, 1)"]),
        (lambda: scaled_identity_weights(0, 3, 1.0), ValueError, ["'n'", "positive int"]),
        (lambda: scaled_identity_weights(2, 3, float("nan")), ValueError, ["'c'"]),
        (lambda: deep_relu_second_moments(8, 5, rng=None), TypeError, ["'rng'", "Generator"]),  # type: ignore[arg-type]
        (lambda: deep_relu_second_moments(8, 0, rng=np.random.default_rng(0)), ValueError, ["'depth'"]),
        (lambda: deep_relu_second_moments(8, 2, rng=np.random.default_rng(0), scheme="kaiming"),
         ValueError, ["'scheme'"]),
    ],
    ids=["no weights", "weights array", "weights do not chain", "X rows", "n=0", "c=nan",
         "rng=None", "depth=0", "unknown scheme"],
)
def test_bad_input(call: object, error: type[Exception], words: list[str]) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))
