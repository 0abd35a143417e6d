"""refnn.early_stopping (lecture: "Other Regularization Methods → Early stopping")."""

from __future__ import annotations

import numpy as np
import pytest

import refnn.early_stopping
from refnn.early_stopping import dev_cost, train_with_early_stopping
from refnn.init import initialize
from refnn.training import train

DIMS = [2, 5, 1]


def _data(seed: int = 0) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, 40))
    Y = (X[:1] > 0).astype(float)
    Xd = rng.normal(size=(2, 40))
    Yd = (Xd[1:] + 0.5 * Xd[:1] > 0).astype(float)
    return X, Y, Xd, Yd


def test_without_patience_limit_it_is_plain_gradient_descent() -> None:
    X, Y, Xd, Yd = _data()
    p0 = initialize(DIMS, "he", rng=np.random.default_rng(1))
    r = train_with_early_stopping(X, Y, Xd, Yd, DIMS, rng=np.random.default_rng(2), patience=10**6,
                                  learning_rate=0.5, num_iterations=50, params=p0)
    assert r.stopped_iteration == 50 and not r.stopped_early and r.dev_costs.shape == (51,)
    plain = train(X, Y, DIMS, rng=np.random.default_rng(0), params=p0, learning_rate=0.5,
                  num_iterations=50)
    assert np.array_equal(r.train_costs[:50], plain.costs)
    best = train(X, Y, DIMS, rng=np.random.default_rng(0), params=p0, learning_rate=0.5,
                 num_iterations=r.best_iteration).params
    assert all(np.array_equal(best[k], r.params[k]) for k in best)
    assert r.best_dev_cost == dev_cost(best, Xd, Yd) == r.dev_costs.min()


def test_min_delta_demands_a_real_improvement() -> None:
    X, Y, Xd, Yd = _data()
    p0 = initialize(DIMS, "he", rng=np.random.default_rng(1))
    big = train_with_early_stopping(X, Y, Xd, Yd, DIMS, rng=np.random.default_rng(2), patience=0,
                                    min_delta=10.0, learning_rate=0.5, num_iterations=50, params=p0)
    assert big.best_iteration == 0 and big.stopped_iteration == 1


def test_zero_iterations_returns_the_start() -> None:
    X, Y, Xd, Yd = _data()
    p0 = initialize(DIMS, "he", rng=np.random.default_rng(1))
    r = train_with_early_stopping(X, Y, Xd, Yd, DIMS, rng=np.random.default_rng(2),
                                  num_iterations=0, params=p0)
    assert r.best_iteration == r.stopped_iteration == 0
    assert all(np.array_equal(p0[k], r.params[k]) for k in p0)
    assert all(not np.shares_memory(p0[k], r.params[k]) for k in p0)


def test_caller_arrays_are_untouched() -> None:
    X, Y, Xd, Yd = _data()
    p0 = initialize(DIMS, "he", rng=np.random.default_rng(1))
    before = [a.copy() for a in (X, Y, Xd, Yd)] + [p0[k].copy() for k in sorted(p0)]
    r = train_with_early_stopping(X, Y, Xd, Yd, DIMS, rng=np.random.default_rng(2),
                                  learning_rate=0.5, num_iterations=20, params=p0)
    for k in r.params:
        r.params[k][...] = 0.0
    after = [X, Y, Xd, Yd] + [p0[k] for k in sorted(p0)]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_dropout_runs_are_reproducible_from_the_seed() -> None:
    X, Y, Xd, Yd = _data()
    runs = [train_with_early_stopping(X, Y, Xd, Yd, DIMS, rng=np.random.default_rng(9),
                                      keep_prob=0.8, learning_rate=0.3, num_iterations=30)
            for _ in range(2)]
    assert np.array_equal(runs[0].dev_costs, runs[1].dev_costs)


X_, Y_, XD_, YD_ = _data()


def _call(**overrides: object) -> object:
    kwargs: dict[str, object] = {"X_train": X_, "Y_train": Y_, "X_dev": XD_, "Y_dev": YD_,
                                 "layer_dims": DIMS, "rng": np.random.default_rng(0),
                                 "num_iterations": 2}
    kwargs.update(overrides)
    return train_with_early_stopping(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "error", "words"),
    [
        ({"patience": -1}, ValueError, ["'patience'", ">= 0"]),
        ({"patience": 2.5}, TypeError, ["'patience'"]),
        ({"patience": True}, TypeError, ["'patience'"]),
        ({"min_delta": -0.1}, ValueError, ["'min_delta'"]),
        ({"X_dev": np.zeros((3, 40))}, ValueError, ["'X_dev'", "(n_x, m_dev) = (2, 40)"]),
        ({"Y_dev": np.full((1, 40), 0.5)}, ValueError, ["'Y_dev'", "labels in {0, 1}"]),
        ({"X_dev": np.zeros((2, 0)), "Y_dev": np.zeros((1, 0))}, ValueError, ["'X_dev'"]),
        ({"rng": None}, TypeError, ["'rng'", "Generator"]),
        ({"learning_rate": 0.0}, ValueError, ["'learning_rate'", "> 0"]),
        ({"params": initialize([2, 3, 1], "he", rng=np.random.default_rng(0))}, ValueError,
         ["'params'", "[2, 5, 1]"]),
    ],
    ids=["patience=-1", "patience=2.5", "patience=True", "min_delta=-0.1", "X_dev n_x 3",
         "Y_dev 0.5", "empty dev", "rng=None", "learning_rate=0", "params for [2, 3, 1]"],
)
def test_bad_input(overrides: dict[str, object], error: type[Exception], words: list[str]) -> None:
    with pytest.raises(error) as info:
        _call(**overrides)
    message = str(info.value)
    assert message.startswith("train_with_early_stopping: argument ")
    for w in words:
        assert w in message, (w, message)
