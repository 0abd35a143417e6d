"""refnn.normalization: statistics fitted on the training set (lecture: "Normalizing Inputs")."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import refnn.normalization
from refnn.normalization import (
    NormalizationStats,
    normalize_fit,
    normalize_inverse,
    normalize_transform,
)


def test_worked_example() -> None:
    X = np.array([[1.0, 2.0, 3.0, 4.0], [10.0, 10.0, 30.0, 30.0]])
    s = normalize_fit(X)
    assert s.mu.tolist() == [[2.5], [20.0]]
    assert s.sigma2.tolist() == [[1.25], [100.0]]
    Z = normalize_transform(s, X)
    assert np.allclose(Z[1], [-1.0, -1.0, 1.0, 1.0])
    assert np.allclose(normalize_transform(s, np.array([[2.5], [40.0]])), [[0.0], [2.0]])


def test_statistics_are_frozen_and_read_only() -> None:
    s = normalize_fit(np.array([[1.0, 3.0]]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.mu = np.zeros((1, 1))  # type: ignore[misc]
    for a in (s.mu, s.sigma2, s.scale, s.constant):
        with pytest.raises(ValueError):
            a[0, 0] = 0


def test_inputs_are_never_modified() -> None:
    X = np.array([[1.0, 5.0, 9.0], [2.0, 2.0, 2.0]])
    T = np.array([[0.0, 100.0], [2.0, 3.0]])
    X0, T0 = X.copy(), T.copy()
    s = normalize_fit(X)
    Z = normalize_transform(s, T)
    back = normalize_inverse(s, Z)
    assert np.array_equal(X, X0) and np.array_equal(T, T0)
    assert not np.shares_memory(Z, T) and not np.shares_memory(back, Z)


def test_constant_feature_policy_even_when_the_mean_rounds() -> None:
    X = np.full((1, 3), 0.1)  # mean(0.1, 0.1, 0.1) = 0.10000000000000002 in floating point
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = normalize_fit(X)
        Z = normalize_transform(s, X)
    assert s.constant.tolist() == [[True]] and s.sigma2.tolist() == [[0.0]]
    assert s.scale.tolist() == [[1.0]] and s.mu.tolist() == [[0.1]]
    assert Z.tolist() == [[0.0, 0.0, 0.0]]


@pytest.mark.parametrize("spread", [1e-200, 1e150, 1e200], ids=["1e-200", "1e150", "1e200"])
def test_extreme_spreads_are_still_standardized(spread: float) -> None:
    X = spread * np.array([[1.0, 2.0, 3.0, 6.0]])
    s = normalize_fit(X)
    Z = normalize_transform(s, X)
    assert np.allclose(Z.mean(), 0.0, atol=1e-12) and np.allclose(np.mean(Z**2), 1.0)
    assert np.allclose(normalize_inverse(s, Z), X, rtol=1e-12)
    assert not s.constant.any()


def test_single_example_is_constant() -> None:
    s = normalize_fit(np.array([[3.0], [-1.0]]))
    assert s.constant.all() and np.array_equal(normalize_transform(s, np.array([[3.0], [0.0]])),
                                               [[0.0], [1.0]])


STATS = normalize_fit(np.array([[1.0, 2.0], [3.0, 5.0]]))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: normalize_fit(np.zeros((2, 0))), ValueError, ["normalize_fit", "'X_train'", "m >= 1"]),
        (lambda: normalize_fit(np.arange(3.0)), ValueError, ["'X_train'", "2-D"]),
        (lambda: normalize_fit(np.array([[np.inf, 1.0]])), ValueError, ["'X_train'", "finite"]),
        (lambda: normalize_fit("X"), TypeError, ["'X_train'", "numpy array"]),
        (lambda: normalize_transform(STATS, np.zeros((3, 4))), ValueError,
         ["normalize_transform", "'X'", "(n_x, m) = (2, 4)"]),
        (lambda: normalize_transform({"mu": 0}, np.zeros((2, 4))), TypeError,  # type: ignore[arg-type]
         ["normalize_transform", "'stats'", "NormalizationStats"]),
        (lambda: normalize_inverse(STATS, np.zeros((1, 4))), ValueError,
         ["normalize_inverse", "'X_norm'"]),
        (lambda: normalize_inverse(None, np.zeros((2, 4))), TypeError, ["'stats'"]),  # type: ignore[arg-type]
    ],
    ids=["fit m=0", "fit 1-D", "fit inf", "fit str", "transform n_x 3 vs 2", "transform dict stats",
         "inverse n_x 1 vs 2", "inverse stats=None"],
)
def test_bad_input(call: object, error: type[Exception], words: list[str]) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_stats_type_is_exported() -> None:
    assert isinstance(STATS, NormalizationStats) and STATS.n_x == 2
