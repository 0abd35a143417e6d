"""refnn.network: the one L-layer forward/backward mechanism, with L2 and dropout as options."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn.cost import cross_entropy, cross_entropy_from_logits, l2_penalty
from refnn.init import initialize
from refnn.network import backward, forward
from refnn.types import ForwardCache


def _net(dims: list[int], m: int, seed: int) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = initialize(dims, "he", rng=rng)
    for l in range(1, len(dims)):  # non-zero biases, so that bias bugs show
        p[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.3
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    return p, X, Y


def _numeric_grad(f: object, p: dict[str, np.ndarray], eps: float = 1e-6) -> dict[str, np.ndarray]:
    assert callable(f)
    out = {}
    for k, v in p.items():
        g = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            plus = {kk: vv.copy() for kk, vv in p.items()}
            minus = {kk: vv.copy() for kk, vv in p.items()}
            plus[k][idx] += eps
            minus[k][idx] -= eps
            g[idx] = (f(plus) - f(minus)) / (2 * eps)
        out["d" + k] = g
    return out


dims_strategy = st.lists(st.integers(1, 5), min_size=2, max_size=4).map(lambda d: d[:-1] + [1])


@settings(max_examples=25, deadline=None)
@given(dims=dims_strategy, m=st.integers(1, 6), seed=st.integers(0, 2**16),
       lambd=st.sampled_from([0.0, 0.7]))
def test_backward_equals_finite_differences(dims: list[int], m: int, seed: int, lambd: float) -> None:
    p, X, Y = _net(dims, m, seed)
    _, cache = forward(p, X)
    g = backward(p, cache, Y, lambd=lambd)

    def J(q: dict[str, np.ndarray]) -> float:
        # the stable cost from the logits: the course's log(1 − σ(z)) loses the digits the
        # difference needs when an output saturates (the false alarm of issue 10, DROP-7)
        return cross_entropy_from_logits(forward(q, X)[1].layers[-1].Z, Y) + l2_penalty(q, lambd, m)

    num = _numeric_grad(J, p)
    for k, v in num.items():
        # Away from ReLU kinks the two agree to ~1e-8; a kink within ±eps is astronomically unlikely here.
        np.testing.assert_allclose(g[k], v, rtol=1e-5, atol=1e-7, err_msg=k)


@settings(max_examples=20, deadline=None)
@given(dims=dims_strategy.filter(lambda d: len(d) >= 3), m=st.integers(1, 6),
       seed=st.integers(0, 2**16), kp=st.sampled_from([0.5, 0.8, 0.95]))
def test_dropout_backward_equals_finite_differences_with_masks_held(
    dims: list[int], m: int, seed: int, kp: float
) -> None:
    p, X, Y = _net(dims, m, seed)
    _, cache = forward(p, X, keep_prob=kp, rng=np.random.default_rng(seed))
    masks = [layer.D for layer in cache.layers[:-1]]
    g = backward(p, cache, Y)

    def J(q: dict[str, np.ndarray]) -> float:
        return cross_entropy_from_logits(forward(q, X, keep_prob=kp, masks=masks)[1].layers[-1].Z, Y)

    for k, v in _numeric_grad(J, p).items():
        np.testing.assert_allclose(g[k], v, rtol=1e-5, atol=1e-7, err_msg=k)


def test_keep_prob_one_is_exactly_the_plain_network() -> None:
    p, X, Y = _net([4, 6, 3, 1], 7, 0)
    a, c = forward(p, X)
    b, d = forward(p, X, keep_prob=1.0, rng=np.random.default_rng(0))
    assert np.array_equal(a, b)
    assert all(layer.D is None for layer in d.layers)
    ga, gb = backward(p, c, Y), backward(p, d, Y)
    assert all(np.array_equal(ga[k], gb[k]) for k in ga)


def test_dropout_masks_hidden_layers_only_and_scales() -> None:
    p, X, _ = _net([4, 6, 5, 1], 9, 1)
    _, c = forward(p, X, keep_prob=[0.5, 0.9], rng=np.random.default_rng(3))
    assert c.layers[-1].D is None and c.layers[-1].keep_prob == 1.0
    for layer, kp in zip(c.layers[:-1], (0.5, 0.9)):
        assert layer.D is not None and layer.D.dtype == np.bool_
        np.testing.assert_array_equal(layer.A, np.maximum(layer.Z, 0) * layer.D / kp)


def test_per_layer_keep_prob_of_one_draws_no_mask() -> None:
    p, X, _ = _net([4, 6, 5, 1], 9, 1)
    _, c = forward(p, X, keep_prob=[1.0, 0.7], rng=np.random.default_rng(3))
    assert c.layers[0].D is None and c.layers[1].D is not None


def test_masks_from_generator_are_reproducible_and_explicit_masks_reproduce_them() -> None:
    p, X, _ = _net([4, 6, 5, 1], 9, 1)
    a, c = forward(p, X, keep_prob=0.6, rng=np.random.default_rng(11))
    b, _ = forward(p, X, keep_prob=0.6, rng=np.random.default_rng(11))
    e, _ = forward(p, X, keep_prob=0.6, masks=[c.layers[0].D, c.layers[1].D])
    assert np.array_equal(a, b) and np.array_equal(a, e)


def test_no_gradient_flows_through_dropped_units() -> None:
    p, X, Y = _net([4, 6, 5, 1], 9, 2)
    _, c = forward(p, X, keep_prob=0.5, rng=np.random.default_rng(0))
    g = backward(p, c, Y)
    for l, layer in enumerate(c.layers[:-1], start=1):
        assert layer.D is not None
        assert not g[f"dA{l}"][~layer.D].any()
        assert not g[f"dZ{l}"][~layer.D].any()


def test_l2_adds_lambda_over_m_w_to_dw_and_nothing_to_db() -> None:
    p, X, Y = _net([3, 4, 2, 1], 5, 4)
    _, c = forward(p, X)
    g0, g1 = backward(p, c, Y), backward(p, c, Y, lambd=0.7)
    for l in (1, 2, 3):
        np.testing.assert_allclose(g1[f"dW{l}"] - g0[f"dW{l}"], 0.7 / 5 * p[f"W{l}"], rtol=1e-12, atol=1e-15)
        assert np.array_equal(g1[f"db{l}"], g0[f"db{l}"])


def test_inputs_are_not_modified() -> None:
    p, X, Y = _net([3, 4, 2, 1], 5, 4)
    copies = {k: v.copy() for k, v in p.items()}, X.copy(), Y.copy()
    _, c = forward(p, X, keep_prob=0.5, rng=np.random.default_rng(0))
    backward(p, c, Y, lambd=0.3)
    assert all(np.array_equal(p[k], copies[0][k]) for k in p)
    assert np.array_equal(X, copies[1]) and np.array_equal(Y, copies[2])


def test_any_depth_and_width() -> None:
    p, X, Y = _net([2, 7, 7, 7, 7, 7, 1], 3, 5)
    AL, c = forward(p, X)
    assert isinstance(c, ForwardCache) and len(c.layers) == 6 and AL.shape == (1, 3)
    assert set(backward(p, c, Y)) >= {f"dW{l}" for l in range(1, 7)}


P, X, Y = _net([3, 4, 1], 5, 0)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: forward(P, X[:2]), ValueError, "argument 'X' must be of shape (n_x, m) = (3, 5)"),
        (lambda: forward(P, X[0]), ValueError, "argument 'X' must be a 2-D array"),
        (lambda: forward(P, np.full((3, 5), np.nan)), ValueError, "finite"),
        (lambda: forward(P, X.astype(complex)), TypeError, "real-valued"),
        (lambda: forward(P, "X"), TypeError, "numpy array"),
        (lambda: forward({**P, "b1": np.zeros((4,))}, X), ValueError, "forward: argument 'params['b1']'"),
        (lambda: forward({**P, "b1": np.zeros((1, 4))}, X), ValueError, "(n[1], 1)"),
        (lambda: forward({**P, "W2": np.zeros((1, 3))}, X), ValueError, "to follow W1"),
        (lambda: forward({"W1": P["W1"]}, X), ValueError, "'b1'"),
        (lambda: forward(P, X, keep_prob=0.0, rng=np.random.default_rng(0)), ValueError, "(0, 1]"),
        (lambda: forward(P, X, keep_prob=1.5, rng=np.random.default_rng(0)), ValueError, "(0, 1]"),
        (lambda: forward(P, X, keep_prob=[0.5, 0.5], rng=np.random.default_rng(0)), ValueError, "one per hidden layer"),
        (lambda: forward(P, X, keep_prob=0.5), TypeError, "rng"),
        (lambda: forward(P, X, keep_prob=0.5, masks=[np.ones((4, 4), bool)]), ValueError, "masks[0]"),
        (lambda: forward(P, X, keep_prob=0.5, masks=[np.full((4, 5), 2)]), ValueError, "{0, 1}"),
        (lambda: backward(P, forward(P, X)[1], Y[:, :3]), ValueError, "argument 'Y'"),
        (lambda: backward(P, forward(P, X)[1], Y + 0.5), ValueError, "labels in {0, 1}"),
        (lambda: backward(P, forward(P, X)[1], Y, lambd=-1.0), ValueError, "lambd"),
        (lambda: backward(P, (1, 2), Y), TypeError, "ForwardCache"),
    ],
    ids=[
        "X-wrong-rows", "X-1d", "X-nan", "X-complex", "X-string", "b1-1d", "b1-row",
        "W2-wrong-fan-in", "b1-missing", "keep_prob-0", "keep_prob-1.5", "keep_prob-too-many",
        "dropout-without-rng", "mask-wrong-shape", "mask-not-binary", "Y-wrong-m", "Y-not-binary",
        "lambd-negative", "cache-tuple",
    ],
)
def test_bad_input(call: object, error: type[Exception], words: str) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value), str(info.value)


# ------------------------------------ the core's public functions check their arguments as themselves

def _core_bad_calls() -> list[object]:
    from refnn import cost, training
    from refnn.early_stopping import dev_cost, train_with_early_stopping

    P, X, Y = _net([4, 3, 1], 5, 0)
    AL, cache = forward(P, X)
    grads = backward(P, cache, Y)
    rng = np.random.default_rng(0)

    def call(f: object, func: str, name: str) -> object:
        return pytest.param(f, func, name, id=f"{func}-{name}")

    return [
        call(lambda: forward(P, X[:2]), "forward", "X"),
        call(lambda: forward(P, X, keep_prob=0.5), "forward", "rng"),
        call(lambda: backward(P, cache, Y, lambd=-1.0), "backward", "lambd"),
        call(lambda: cost.cross_entropy(AL + 2, Y), "cross_entropy", "AL"),
        call(lambda: cost.cross_entropy_from_logits(AL, Y[:, :1]), "cross_entropy_from_logits", "Y"),
        call(lambda: cost.l2_penalty(P, 0.1, 0), "l2_penalty", "m"),
        call(lambda: cost.total_cost(AL, Y, P, -1), "total_cost", "lambd"),
        call(lambda: cost.total_cost(AL + 2, Y, P, 0.1), "total_cost", "AL"),
        call(lambda: training.gradient_step(P, grads, 0), "gradient_step", "learning_rate"),
        call(lambda: training.gradient_step(P, {}, 0.1), "gradient_step", "grads"),
        call(lambda: training.predict(P, X[:1]), "predict", "X"),
        call(lambda: training.accuracy(P, X, Y + 2), "accuracy", "Y"),
        call(lambda: training.train(X, Y, [4, 3, 1], rng=rng, keep_prob=2), "train", "keep_prob"),
        call(lambda: training.train_reference(X, Y, [4, 3, 1], rng=rng, lambd=-1), "train_reference",
             "lambd"),
        call(lambda: dev_cost(P, X, Y[:, :2]), "dev_cost", "Y_dev"),
        call(lambda: train_with_early_stopping(X, Y, X, Y, [4, 3, 1], rng=rng, keep_prob=0),
             "train_with_early_stopping", "keep_prob"),
        call(lambda: train_with_early_stopping(X[:1], Y, X, Y, [4, 3, 1], rng=rng),
             "train_with_early_stopping", "X_train"),
        call(lambda: train_with_early_stopping(X, Y + 2, X, Y, [4, 3, 1], rng=rng),
             "train_with_early_stopping", "Y_train"),
    ]


@pytest.mark.parametrize(("call", "func", "name"), _core_bad_calls())
def test_errors_name_the_function_called_and_its_argument(call: object, func: str, name: str
                                                          ) -> None:
    assert callable(call)
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{func}: argument '{name}' must be "), message
    assert ", got " in message, message


def test_a_hint_follows_the_message() -> None:
    P, X, _ = _net([4, 3, 1], 5, 0)
    with pytest.raises(TypeError) as info:
        forward(P, X, keep_prob=0.5)
    assert str(info.value).endswith("got None (type NoneType); it draws the dropout masks when "
                                    "keep_prob < 1"), str(info.value)
