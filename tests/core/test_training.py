"""refnn.training: the fast loop equals the obvious one, and what train() promises about its arguments.

``train`` runs :func:`refnn.fast_training.run`; ``train_reference`` is the obvious loop over
``run_forward`` / ``run_total_cost`` / ``run_backward`` / ``run_gradient_step`` and serves as the
oracle. "Equal" means bit for bit: every recorded cost and every parameter entry identical
(``inf`` equals ``inf``), since both call the same kernel functions in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn.cost import total_cost
from refnn.datasets import load_course_circles
from refnn.network import backward, forward, sigmoid
from refnn.training import accuracy, train_reference, gradient_step, predict, train
from refnn.types import FloatArray, Params, TrainResult

RTOL = 1e-12


# ------------------------------------------------------------------------------------------ helpers

def make_data(n_x: int, m: int, seed: int, scale: float = 1.0) -> tuple[FloatArray, FloatArray]:
    g = np.random.default_rng(seed)
    X = g.standard_normal((n_x, m)) * scale
    Y = g.integers(0, 2, size=(1, m)).astype(np.float64)
    return X, Y


def course_params(layers: Sequence[int], std: str) -> Params:
    """The course's seeding: RandomState(3) (= np.random.seed(3)), randn(n[l], n[l-1]) · std."""
    rs = np.random.RandomState(3)
    P: Params = {}
    for l in range(1, len(layers)):
        factor = 10.0 if std == "x10" else float(np.sqrt(2.0 / layers[l - 1]))
        P[f"W{l}"] = rs.randn(layers[l], layers[l - 1]) * factor
        P[f"b{l}"] = np.zeros((layers[l], 1))
    return P


def assert_same_result(fast: TrainResult, ref: TrainResult) -> None:
    assert fast.costs.shape == ref.costs.shape
    assert np.array_equal(fast.costs, ref.costs), (
        f"costs: fast loop vs train_reference, first difference at iteration "
        f"{int(np.flatnonzero(fast.costs != ref.costs)[0])}")
    assert list(fast.params) == list(ref.params)
    for key, want in ref.params.items():
        got = fast.params[key]
        assert got.shape == want.shape and got.dtype == np.float64, key
        worst = float(np.max(np.abs(got - want))) if want.size else 0.0
        assert np.array_equal(got, want), (
            f"{key}: fast loop differs from train_reference by up to {worst:.3e} (should be 0)")


def run_both(X: object, Y: object, layers: Sequence[int], seed: int, **kw: Any) -> TrainResult:
    """Run train and train_reference from equal generators; assert equal outcomes; return train's."""
    try:
        ref = train_reference(X, Y, layers, rng=np.random.default_rng(seed), **kw)
    except ValueError:  # diverged: the obvious loop's checks stop it, so must the fast loop
        with pytest.raises(ValueError):
            train(X, Y, layers, rng=np.random.default_rng(seed), **kw)
        raise
    fast = train(X, Y, layers, rng=np.random.default_rng(seed), **kw)
    assert_same_result(fast, ref)
    return fast


# ------------------------------------------------------------------ fast loop == reference loop

CIRCLES = load_course_circles()

TABLE = [
    pytest.param(CIRCLES.train_X, CIRCLES.train_Y, [2, 10, 5, 1],
                 dict(params=course_params([2, 10, 5, 1], "he"), learning_rate=0.01,
                      num_iterations=300), id="course-he-circles"),
    pytest.param(CIRCLES.train_X, CIRCLES.train_Y, [2, 10, 5, 1],
                 dict(params=course_params([2, 10, 5, 1], "x10"), learning_rate=0.01,
                      num_iterations=100), id="course-random-x10-circles(inf-costs)"),
    pytest.param(CIRCLES.train_X, CIRCLES.train_Y, [2, 10, 5, 1],
                 dict(init="zeros", learning_rate=0.01, num_iterations=50), id="zeros-init"),
    pytest.param(*make_data(4, 37, 1), [4, 8, 8, 8, 1],
                 dict(learning_rate=0.1, num_iterations=80, lambd=0.7), id="deep-l2"),
    pytest.param(*make_data(3, 50, 2), [3, 20, 3, 1],
                 dict(learning_rate=0.3, num_iterations=80, keep_prob=0.86), id="dropout-0.86"),
    pytest.param(*make_data(3, 50, 3), [3, 6, 5, 4, 1],
                 dict(learning_rate=0.2, num_iterations=60, keep_prob=[0.5, 1.0, 0.9], lambd=0.3),
                 id="per-layer-keep_prob-and-l2"),
    pytest.param(*make_data(5, 40, 4), [5, 1],
                 dict(learning_rate=0.5, num_iterations=60, lambd=0.1), id="logistic-regression"),
    pytest.param(np.asfortranarray(make_data(3, 30, 5)[0]), make_data(3, 30, 5)[1].astype(np.int64),
                 [3, 4, 1], dict(learning_rate=0.1, num_iterations=40, keep_prob=0.7),
                 id="fortran-order-X-int-Y"),
    pytest.param(*make_data(2, 1, 6), [2, 3, 1],
                 dict(learning_rate=0.1, num_iterations=20, keep_prob=0.5), id="one-example"),
    pytest.param(*make_data(2, 9, 7), [2, 3, 1], dict(num_iterations=0), id="zero-iterations"),
]


@pytest.mark.parametrize(("X", "Y", "layers", "kw"), TABLE)
def test_fast_loop_equals_reference_loop(X: FloatArray, Y: FloatArray, layers: list[int],
                                         kw: dict[str, Any]) -> None:
    run_both(X, Y, layers, seed=11, **kw)


@st.composite
def setups(draw: st.DrawFn) -> tuple[list[int], int, int, dict[str, Any]]:
    n_layers = draw(st.integers(1, 4), label="L")
    layers = [draw(st.integers(1, 5))] + [draw(st.integers(1, 7)) for _ in range(n_layers - 1)]
    layers.append(1)
    n_hidden = n_layers - 1
    keep_prob = draw(st.one_of(
        st.just(1.0),
        st.floats(0.05, 1.0),
        st.lists(st.sampled_from([1.0, 0.9, 0.5, 0.2]), min_size=n_hidden, max_size=n_hidden),
    ), label="keep_prob")
    kw = dict(
        init=draw(st.sampled_from(["he", "xavier", "glorot", "random", "zeros"])),
        learning_rate=draw(st.sampled_from([0.001, 0.05, 0.3, 1.0])),
        num_iterations=draw(st.integers(0, 25)),
        lambd=draw(st.sampled_from([0.0, 0.0, 0.1, 0.7, 5.0])),
        keep_prob=keep_prob,
    )
    return layers, draw(st.integers(1, 30), label="m"), draw(st.integers(0, 2**32 - 1)), kw


@settings(max_examples=60, deadline=None)
@given(setups())
def test_fast_loop_equals_reference_loop_on_random_networks(
    setup: tuple[list[int], int, int, dict[str, Any]],
) -> None:
    layers, m, seed, kw = setup
    X, Y = make_data(layers[0], m, seed, scale=3.0)
    try:
        run_both(X, Y, layers, seed, **kw)
    except ValueError:
        pass  # diverged; run_both already checked that both loops refuse to go on


def test_divergence_stops_both_loops_with_a_readable_error() -> None:
    X, Y = make_data(3, 20, 0, scale=10.0)
    kw: dict[str, Any] = dict(init="random", learning_rate=1e150, num_iterations=50)
    with pytest.raises(ValueError, match=r"train_reference: gradient descent diverged"):
        train_reference(X, Y, [3, 8, 8, 1], rng=np.random.default_rng(0), **kw)
    with pytest.raises(ValueError, match=r"train: gradient descent diverged at iteration \d+.*"
                                         r"learning_rate"):
        train(X, Y, [3, 8, 8, 1], rng=np.random.default_rng(0), **kw)


# ------------------------------------------------------------------------- the recorded costs

def test_cost_is_recorded_before_each_update() -> None:
    X, Y = make_data(3, 25, 1)
    kw: dict[str, Any] = dict(learning_rate=0.2, lambd=0.4)
    P0 = train(X, Y, [3, 5, 1], rng=np.random.default_rng(0), num_iterations=0, **kw).params
    full = train(X, Y, [3, 5, 1], rng=np.random.default_rng(1), num_iterations=6, params=P0, **kw)
    P = P0
    for i in range(6):
        AL, cache = forward(P, X)
        assert full.costs[i] == pytest.approx(total_cost(AL, Y, P, kw["lambd"]), rel=RTOL), i
        P = gradient_step(P, backward(P, cache, Y, lambd=kw["lambd"]), kw["learning_rate"])
    for key in P:
        np.testing.assert_allclose(full.params[key], P[key], rtol=RTOL, atol=1e-15)


def test_costs_use_the_course_cross_entropy_nan_terms_dropped_and_inf_on_saturation() -> None:
    # One unit, W = 1000: A[L] is exactly 1 for x = 1 and exactly 0 for x = -1.
    X = np.array([[1.0, -1.0]])
    P = {"W1": np.array([[1000.0]]), "b1": np.zeros((1, 1))}
    right = train(X, np.array([[1, 0]]), [1, 1], rng=np.random.default_rng(0), params=P,
                  num_iterations=1)
    wrong = train(X, np.array([[0, 1]]), [1, 1], rng=np.random.default_rng(0), params=P,
                  num_iterations=1)
    assert right.costs[0] == 0.0  # both terms 0·log 0: nansum drops them
    assert wrong.costs[0] == np.inf
    # the course's random×10 run starts at inf
    x10 = train(CIRCLES.train_X, CIRCLES.train_Y, [2, 10, 5, 1], rng=np.random.default_rng(0),
                params=course_params([2, 10, 5, 1], "x10"), learning_rate=0.01, num_iterations=2)
    assert x10.costs[0] == np.inf


@pytest.mark.golden
def test_train_reproduces_the_course_he_run() -> None:
    # course_golden.json, init_model_he: costs every 1000 iterations and the accuracies.
    published = {0: 0.8830537463419761, 5000: 0.5304944491717495, 10000: 0.15015556280371808,
                 14000: 0.07357895962677366}
    r = train(CIRCLES.train_X, CIRCLES.train_Y, [2, 10, 5, 1], rng=np.random.default_rng(0),
              params=course_params([2, 10, 5, 1], "he"), learning_rate=0.01, num_iterations=15000)
    for i, cost in published.items():
        assert r.costs[i] == pytest.approx(cost, rel=1e-10), i
    assert accuracy(r.params, CIRCLES.train_X, CIRCLES.train_Y) == 0.9933333333333333
    assert accuracy(r.params, CIRCLES.test_X, CIRCLES.test_Y) == 0.96


# ----------------------------------------------------------- L2 is weight decay (issue 2, point 5)

@pytest.mark.parametrize("lambd", [0.1, 0.7, 3.0])
def test_l2_step_is_weight_decay(lambd: float) -> None:
    """W − α(dW_data + (λ/m)W) = (1 − αλ/m)·W − α·dW_data, and b is not decayed."""
    X, Y = make_data(4, 30, 2)
    P = train(X, Y, [4, 6, 3, 1], rng=np.random.default_rng(3), num_iterations=0).params
    alpha, m = 0.3, X.shape[1]
    _, cache = forward(P, X)
    data = backward(P, cache, Y)
    step = gradient_step(P, backward(P, cache, Y, lambd=lambd), alpha)
    for l in (1, 2, 3):
        decayed = (1 - alpha * lambd / m) * P[f"W{l}"] - alpha * data[f"dW{l}"]
        np.testing.assert_allclose(step[f"W{l}"], decayed, rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(step[f"b{l}"], P[f"b{l}"] - alpha * data[f"db{l}"])


# --------------------------------------------------------------------------- predict / accuracy

def test_predict_thresholds_the_output_strictly_above_one_half() -> None:
    P = {"W1": np.array([[1.0]]), "b1": np.zeros((1, 1))}
    X = np.array([[-2.0, -1e-9, 0.0, 1e-9, 3.0]])
    p = predict(P, X)
    assert p.shape == (1, 5) and p.dtype == np.float64
    np.testing.assert_array_equal(p, [[0, 0, 0, 1, 1]])  # sigmoid(0) = 0.5 is not > 0.5
    np.testing.assert_array_equal(p, (sigmoid(X) > 0.5).astype(float))
    assert accuracy(P, X, np.array([[0, 1, 0, 1, 0]])) == 0.6


def test_predict_uses_no_dropout_and_matches_forward() -> None:
    X, Y = make_data(3, 40, 8)
    r = train(X, Y, [3, 5, 1], rng=np.random.default_rng(0), keep_prob=0.5, num_iterations=30,
              learning_rate=0.1)
    AL, _ = forward(r.params, X)
    np.testing.assert_array_equal(predict(r.params, X), (AL > 0.5).astype(float))
    assert accuracy(r.params, X, Y) == float(np.mean((AL > 0.5) == Y))


# --------------------------------------------------------------------- what train leaves alone

def test_train_does_not_modify_or_alias_the_callers_arrays() -> None:
    X, Y = make_data(3, 20, 9)
    P = course_params([3, 4, 2, 1], "he")
    before = {k: v.copy() for k, v in P.items()}
    X0, Y0 = X.copy(), Y.copy()
    for n in (0, 5):
        r = train(X, Y, [3, 4, 2, 1], rng=np.random.default_rng(0), params=P, num_iterations=n,
                  learning_rate=0.5, lambd=0.3, keep_prob=0.8)
        np.testing.assert_array_equal(X, X0)
        np.testing.assert_array_equal(Y, Y0)
        for k in P:
            np.testing.assert_array_equal(P[k], before[k])
            assert not np.shares_memory(r.params[k], P[k]), k


def test_train_leaves_numpys_global_random_state_alone() -> None:
    X, Y = make_data(3, 20, 10)
    before = np.random.get_state(legacy=False)
    train(X, Y, [3, 4, 1], rng=np.random.default_rng(0), init="he", keep_prob=0.6, lambd=0.2,
          num_iterations=5)
    after = np.random.get_state(legacy=False)
    np.testing.assert_array_equal(after["state"]["key"], before["state"]["key"])
    assert (after["state"]["pos"], after["has_gauss"], after["gauss"]) == (
        before["state"]["pos"], before["has_gauss"], before["gauss"])


def test_same_generator_seed_same_result() -> None:
    X, Y = make_data(3, 20, 11)
    a, b = (train(X, Y, [3, 4, 1], rng=np.random.default_rng(7), keep_prob=0.6,
                  num_iterations=10) for _ in range(2))
    np.testing.assert_array_equal(a.costs, b.costs)


# ------------------------------------------------------------------------------ bad arguments

GOOD_X, GOOD_Y = make_data(2, 6, 0)
GOOD: dict[str, Any] = dict(X=GOOD_X, Y=GOOD_Y, layer_dims=[2, 3, 1],
                            rng=np.random.default_rng(0), num_iterations=2)


def bad(id: str, exc: type[Exception], match: str, **changes: Any) -> Any:
    return pytest.param(changes, exc, match, id=id)


BAD = [
    bad("learning_rate=0", ValueError, r"'learning_rate' must be > 0", learning_rate=0),
    bad("learning_rate=-0.1", ValueError, r"'learning_rate' must be > 0", learning_rate=-0.1),
    bad("learning_rate=nan", ValueError, r"'learning_rate' must be > 0", learning_rate=float("nan")),
    bad("learning_rate='0.1'", TypeError, r"'learning_rate' must be a real number",
        learning_rate="0.1"),
    bad("num_iterations=-1", ValueError, r"'num_iterations' must be an int >= 0", num_iterations=-1),
    bad("num_iterations=2.0", TypeError, r"'num_iterations' must be an int >= 0", num_iterations=2.0),
    bad("num_iterations=True", TypeError, r"'num_iterations' must be an int >= 0",
        num_iterations=True),
    bad("X-n_x=3-for-layer_dims[0]=2", ValueError, r"'X' must be of shape \(n_x, m\)",
        X=np.zeros((3, 6))),
    bad("X-1-D", ValueError, r"'X' must be a 2-D array", X=np.zeros(6)),
    bad("X-with-nan", ValueError, r"'X' must be finite",
        X=np.where(np.eye(2, 6) > 0, np.nan, GOOD_X)),
    bad("X-no-examples-m=0", ValueError, r"'X' must be at least one example",
        X=np.zeros((2, 0)), Y=np.zeros((1, 0))),
    bad("X=None", TypeError, r"'X' must be a numpy array", X=None),
    bad("Y-shape-(6,)", ValueError, r"'Y' must be a 2-D array", Y=GOOD_Y.ravel()),
    bad("Y-shape-(2,6)", ValueError, r"'Y' must be of shape \(1, 6\)", Y=np.zeros((2, 6))),
    bad("Y-m=5-vs-X-m=6", ValueError, r"'Y' must be of shape \(1, 6\)", Y=np.zeros((1, 5))),
    bad("Y-label-0.5", ValueError, r"'Y' must be labels in \{0, 1\}, got value (np\.float64\()?0\.5",
        Y=np.array([[0, 1, 0.5, 1, 0, 1]])),
    bad("Y-label-2", ValueError, r"'Y' must be labels in \{0, 1\}", Y=np.array([[0, 1, 2, 1, 0, 1]])),
    bad("Y-label--1", ValueError, r"'Y' must be labels in \{0, 1\}",
        Y=np.array([[0, 1, -1, 1, 0, 1]])),
    bad("keep_prob=0", ValueError, r"'keep_prob' must be in \(0, 1\]", keep_prob=0.0),
    bad("keep_prob=1.5", ValueError, r"'keep_prob' must be in \(0, 1\]", keep_prob=1.5),
    bad("keep_prob=-0.2", ValueError, r"'keep_prob' must be in \(0, 1\]", keep_prob=-0.2),
    bad("keep_prob=[0.5,0.5]-for-1-hidden-layer", ValueError, r"'keep_prob' must be a scalar or 1",
        keep_prob=[0.5, 0.5]),
    bad("keep_prob='0.5'", TypeError, r"'keep_prob' must be a real number", keep_prob="0.5"),
    bad("lambd=-0.1", ValueError, r"'lambd' must be >= 0", lambd=-0.1),
    bad("lambd=inf", ValueError, r"'lambd' must be >= 0", lambd=float("inf")),
    bad("rng=None", TypeError, r"'rng' must be a numpy.random.Generator", rng=None),
    bad("rng=0", TypeError, r"'rng' must be a numpy.random.Generator", rng=0),
    bad("rng=RandomState(0)", TypeError, r"'rng' must be a numpy.random.Generator",
        rng=np.random.RandomState(0)),
    bad("layer_dims=[2]", ValueError, r"'layer_dims' must be at least two sizes", layer_dims=[2]),
    bad("layer_dims=[2,3,2]-output-not-1", ValueError, r"'layer_dims' must be a list ending in 1",
        layer_dims=[2, 3, 2]),
    bad("layer_dims=[2,0,1]", ValueError, r"'layer_dims\[1\]' must be a positive int",
        layer_dims=[2, 0, 1]),
    bad("init='kaiming'", ValueError, r"'init' must be one of", init="kaiming"),
    bad("params-for-[2,4,1]-vs-layer_dims-[2,3,1]", ValueError,
        r"'params' must be parameters for layer_dims \[2, 3, 1\]",
        params={"W1": np.ones((4, 2)), "b1": np.zeros((4, 1)), "W2": np.ones((1, 4)),
                "b2": np.zeros((1, 1))}),
    bad("params-W2-does-not-chain", ValueError, r"'params\['W2'\]' must be of shape",
        params={"W1": np.ones((3, 2)), "b1": np.zeros((3, 1)), "W2": np.ones((1, 4)),
                "b2": np.zeros((1, 1))}),
    bad("params-missing-b1", ValueError, r"'params' must be a dict with a key 'b1' beside 'W1'",
        params={"W1": np.ones((3, 2)), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}),
]


@pytest.mark.parametrize(("changes", "exc", "match"), BAD)
@pytest.mark.parametrize("loop", [train, train_reference], ids=["train", "train_reference"])
def test_bad_arguments_are_refused_with_a_readable_message(
    loop: Any, changes: Mapping[str, Any], exc: type[Exception], match: str,
) -> None:
    kw = {**GOOD, **changes}
    with pytest.raises(exc, match=rf"^{loop.__name__}: argument " + match):
        loop(kw.pop("X"), kw.pop("Y"), kw.pop("layer_dims"), **kw)


def test_a_monitor_sees_the_same_iterations_in_both_loops_and_stops_them_alike() -> None:
    from refnn.training import check_train_args, run_train, run_train_reference

    X, Y = make_data(3, 30, 8)
    seen: dict[str, list[tuple[int, float, dict[str, np.ndarray]]]] = {"fast": [], "ref": []}

    def watcher(key: str) -> Any:
        def monitor(i: int, cost: float, P: Params) -> bool:
            seen[key].append((i, cost, {k: v.copy() for k, v in P.items()}))
            return i == 17
        return monitor

    def args() -> Any:
        return check_train_args("train", X, Y, [3, 5, 4, 1], np.random.default_rng(5), "he", 0.3,
                                40, 0.1, 0.8, None)

    fast = run_train(args(), monitor=watcher("fast"))
    ref = run_train_reference(args(), monitor=watcher("ref"))
    assert_same_result(fast, ref)
    assert fast.costs.shape == (18,)
    assert [s[:2] for s in seen["fast"]] == [s[:2] for s in seen["ref"]]
    for (_, _, pf), (_, _, pr) in zip(seen["fast"], seen["ref"]):
        assert all(np.array_equal(pf[k], pr[k]) for k in pr)
    # the parameters at the stop are θ_17, the ones the monitor saw, without an update
    assert all(np.array_equal(fast.params[k], seen["fast"][-1][2][k]) for k in fast.params)
