"""refnn.gradcheck.check_network: the network's cost (L2, fixed dropout masks), the three engines,
kinks, bugs and their culprits."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn import network
from refnn.gradcheck import ParamLayout, check_network, relative_difference
from refnn.gradcheck.objective import NetworkObjective
from refnn.init import initialize
from refnn.types import FloatArray, Params


def _net(dims: list[int], m: int, seed: int, *, scheme: str = "he", bias: float = 0.1
         ) -> tuple[Params, FloatArray, FloatArray]:
    rng = np.random.default_rng(seed)
    p = initialize(dims, scheme, rng=rng)
    for l in range(1, len(dims)):
        p[f"b{l}"] = p[f"b{l}"] + bias * rng.standard_normal((dims[l], 1))
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    return p, X, Y


def _masks(dims: list[int], m: int, keep: float, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.random((dims[l], m)) < keep for l in range(1, len(dims) - 1)]


CASES = [
    ([4, 5, 3, 1], 3, 0.0, 1.0),
    ([3, 6, 5, 4, 1], 40, 0.0, 1.0),
    ([3, 6, 5, 4, 1], 40, 0.7, 1.0),
    ([2, 10, 5, 1], 60, 0.0, 0.6),
    ([3, 7, 6, 1], 25, 0.3, 0.8),
    ([5, 1], 10, 0.5, 1.0),
    ([2, 3, 1], 1, 0.0, 1.0),
]


@pytest.mark.parametrize(("dims", "m", "lambd", "keep"), CASES,
                         ids=[f"{d}-m{m}-l{lam}-kp{k}" for d, m, lam, k in CASES])
@pytest.mark.parametrize(("method", "epsilon"),
                         [("two-sided", 1e-7), ("two-sided", 1e-3), ("one-sided", 1e-6),
                          ("complex-step", 1e-20)],
                         ids=["two-sided", "two-sided-eps1e-3", "one-sided", "complex-step"])
def test_the_fast_engines_agree_with_the_per_coordinate_loop(
        dims: list[int], m: int, lambd: float, keep: float, method: str, epsilon: float) -> None:
    p, X, Y = _net(dims, m, seed=len(dims) * 100 + m)
    masks = _masks(dims, m, keep, seed=m) if keep < 1 else None
    reports = {engine: check_network(p, X, Y, lambd=lambd, keep_prob=keep, masks=masks,
                                     method=method, epsilon=epsilon,  # type: ignore[arg-type]
                                     engine=engine)
               for engine in ("loop", "batched", "rank1")}
    loop = reports["loop"]
    # the loop's own rounding noise is ~u·|J|/ε per coordinate; at ε = 1e-3 there is almost none
    tol = {1e-7: 1e-7, 1e-3: 1e-10, 1e-6: 1e-8, 1e-20: 1e-13}[epsilon]
    for engine in ("batched", "rank1"):
        got = reports[engine]
        assert relative_difference(loop.numeric, got.numeric) < tol, engine
        assert got.kinks == loop.kinks, engine
        assert np.array_equal(got.analytic, loop.analytic)


def test_large_steps_cross_kinks_and_all_engines_flag_the_same_coordinates() -> None:
    p, X, Y = _net([3, 8, 6, 1], 50, seed=7)
    masks = _masks([3, 8, 6, 1], 50, 0.8, seed=1)
    reports = [check_network(p, X, Y, keep_prob=0.8, masks=masks, epsilon=3e-2, engine=e)
               for e in ("loop", "batched", "rank1")]
    assert len(reports[0].kinks) > 10
    assert reports[0].kinks == reports[1].kinks == reports[2].kinks
    assert relative_difference(reports[0].numeric, reports[2].numeric) < 1e-10
    # the kink coordinates carry the error; without them the check is back to truncation level
    assert reports[2].difference > 10 * reports[2].difference_without_kinks


def test_zero_initialization_sits_on_every_first_layer_kink() -> None:
    p, X, Y = _net([3, 4, 2, 1], 20, seed=0, scheme="zeros", bias=0.0)
    for method in ("two-sided", "complex-step"):
        report = check_network(p, X, Y, method=method)
        names = set(report.kink_names)
        assert {f"W1[{i},{j}]" for i in range(4) for j in range(3)} <= names, method
        assert {f"b1[{i},0]" for i in range(4)} <= names, method
        assert not any(n.startswith(("W2", "W3", "b3")) for n in names), method
        assert report.passed  # the kink-free coordinates agree
        assert "cross a ReLU kink" in str(report)


def test_dropout_with_fixed_masks_is_a_valid_check() -> None:
    p, X, Y = _net([4, 10, 8, 1], 80, seed=3)
    report = check_network(p, X, Y, keep_prob=[0.5, 0.8], rng=np.random.default_rng(0))
    assert report.passed and report.difference_without_kinks < 1e-8
    # the masks really are the ones drawn once from the rng, as refnn.network.forward draws them
    _, cache = network.forward(p, X, keep_prob=[0.5, 0.8], rng=np.random.default_rng(0))
    obj, _ = NetworkObjective.build("t", p, X, Y, keep_prob=[0.5, 0.8],
                                    rng=np.random.default_rng(0))
    assert all(a is not None and b is not None and np.array_equal(a, b)
               for a, b in zip(obj.masks, cache.masks[:-1]))


def test_gradients_from_other_masks_fail_the_check() -> None:
    # what "switch dropout off" guards against: backprop through one mask, differences through another
    p, X, Y = _net([4, 10, 8, 1], 80, seed=3)
    m1, m2 = _masks([4, 10, 8, 1], 80, 0.7, 1), _masks([4, 10, 8, 1], 80, 0.7, 2)
    _, cache = network.forward(p, X, keep_prob=0.7, masks=m1)
    grads = network.backward(p, cache, Y)
    assert check_network(p, X, Y, grads=grads, keep_prob=0.7, masks=m1).passed
    assert not check_network(p, X, Y, grads=grads, keep_prob=0.7, masks=m2).passed


def test_the_l2_term_is_part_of_the_cost() -> None:
    p, X, Y = _net([3, 5, 4, 1], 30, seed=5)
    assert check_network(p, X, Y, lambd=0.9).passed
    _, cache = network.forward(p, X)
    no_l2 = network.backward(p, cache, Y, lambd=0.0)
    report = check_network(p, X, Y, lambd=0.9, grads=no_l2)
    assert not report.passed
    assert set(report.culprits) <= {"W1", "W2", "W3"} and report.culprits


@pytest.mark.parametrize(("key", "factor", "blamed"),
                         [("dW2", 2.0, "W2"), ("db1", 4.0, "b1"), ("dW1", 1.001, "W1"),
                          ("db3", -1.0, "b3")])
def test_a_planted_bug_is_blamed_on_its_block(key: str, factor: float, blamed: str) -> None:
    p, X, Y = _net([4, 6, 5, 1], 40, seed=11)
    _, cache = network.forward(p, X)
    grads = network.backward(p, cache, Y)
    grads[key] = grads[key] * factor
    report = check_network(p, X, Y, grads=grads)
    assert not report.passed
    assert report.culprits == (blamed,)
    assert report.worst[0].name.startswith(blamed)


def test_a_transposed_gradient_is_refused_not_checked() -> None:
    p, X, Y = _net([3, 3, 1], 5, seed=0)
    _, cache = network.forward(p, X)
    grads = network.backward(p, cache, Y)
    grads["dW1"] = grads["dW1"].T.copy()
    grads["dW2"] = grads["dW2"].T.copy()
    with pytest.raises(ValueError, match=r"check_network: argument 'grads\['dW2'\]'"):
        check_network(p, X, Y, grads=grads)


@settings(max_examples=15, deadline=None)
@given(dims=st.lists(st.integers(1, 6), min_size=2, max_size=4).map(lambda d: d[:-1] + [1]),
       m=st.integers(1, 12), seed=st.integers(0, 2**16), lambd=st.sampled_from([0.0, 0.5]),
       keep=st.sampled_from([1.0, 0.6]))
def test_refnn_backward_passes_its_own_check(dims: list[int], m: int, seed: int, lambd: float,
                                             keep: float) -> None:
    p, X, Y = _net(dims, m, seed)
    report = check_network(p, X, Y, lambd=lambd, keep_prob=keep, rng=np.random.default_rng(seed))
    assert report.passed, str(report)
    assert report.verdict_difference < 1e-7


def test_inputs_are_not_modified() -> None:
    p, X, Y = _net([3, 5, 4, 1], 20, seed=2)
    masks = _masks([3, 5, 4, 1], 20, 0.8, 0)
    _, cache = network.forward(p, X, keep_prob=0.8, masks=masks)
    grads = network.backward(p, cache, Y)
    before = copy.deepcopy((p, X, Y, masks, grads))
    for engine in ("rank1", "batched", "loop"):
        for method in ("two-sided", "complex-step"):
            check_network(p, X, Y, grads=grads, keep_prob=0.8, masks=masks,
                          method=method, engine=engine)
    p0, X0, Y0, masks0, grads0 = before
    assert all(np.array_equal(p[k], p0[k]) for k in p)
    assert all(np.array_equal(grads[k], grads0[k]) for k in grads)
    assert all(np.array_equal(u, v) for u, v in zip(masks, masks0))
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)


def test_the_report_reads_well() -> None:
    p, X, Y = _net([3, 4, 1], 10, seed=4)
    _, cache = network.forward(p, X)
    grads = network.backward(p, cache, Y)
    grads["db1"] = grads["db1"] * 4
    text = str(check_network(p, X, Y, grads=grads, worst=3))
    lay = ParamLayout.from_params(p)
    assert text.startswith("gradient check (two-sided, epsilon = 1e-07, 21 parameters): FAIL")
    assert "culprits: b1" in text and "worst 3 coordinate(s)" in text
    assert all(key in text for key in ("W1", "b1", "W2", "b2"))
    assert any(name in text for name in lay.names if name.startswith("b1"))


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"engine": "fastest"}, ValueError, "argument 'engine'"),
        ({"method": "central"}, ValueError, "argument 'method'"),
        ({"epsilon": 0.0}, ValueError, "argument 'epsilon'"),
        ({"threshold": -1.0}, ValueError, "argument 'threshold'"),
        ({"keep_prob": 0.5}, TypeError, "argument 'rng' must be a numpy.random.Generator"),
        ({"keep_prob": 0.5, "masks": [np.ones((2, 2), dtype=bool)]}, ValueError, "masks"),
        ({"lambd": -1.0}, ValueError, "argument 'lambd'"),
        ({"grads": {"dW1": np.zeros((4, 3))}}, ValueError, "argument 'grads'"),
        ({"worst": -1}, ValueError, "argument 'worst'"),
    ],
    ids=["bad-engine", "bad-method", "zero-epsilon", "negative-threshold", "dropout-without-rng",
         "wrong-mask-shape", "negative-lambd", "missing-gradients", "negative-worst"],
)
def test_bad_arguments_are_refused_naming_them(kwargs: dict[str, object], error: type[Exception],
                                               words: str) -> None:
    p, X, Y = _net([3, 4, 2, 1], 5, seed=0)
    with pytest.raises(error) as info:
        check_network(p, X, Y, **kwargs)  # type: ignore[arg-type]
    assert words in str(info.value) and str(info.value).startswith("check_network: argument ")


def test_only_single_output_networks() -> None:
    p, X, Y = _net([3, 2], 5, seed=0)
    with pytest.raises(ValueError, match="one output unit"):
        check_network(p, X, Y)


@settings(max_examples=60, deadline=None)
@given(K=st.integers(1, 6), n=st.integers(1, 6), P=st.integers(1, 5), seed=st.integers(0, 2**16),
       dropout=st.booleans())
def test_unit_switches_are_decided_exactly_from_the_roots(K: int, n: int, P: int, seed: int,
                                                          dropout: bool) -> None:
    from refnn.gradcheck.batched import _switches

    rng = np.random.default_rng(seed)
    Z = rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], (K, n)) * rng.choice([1.0, 0.25], (K, n))
    c = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0], (K, n))
    d = rng.choice([-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0], (P, K))  # hits the roots exactly
    keep = rng.random((K, n)) < 0.7 if dropout else None
    moved = Z[None] + d[:, :, None] * c[None]
    brute = (moved > 0) != (Z > 0)[None]
    if keep is not None:
        brute &= keep[None]
    assert np.array_equal(_switches(Z, c, keep, d), brute.any(axis=2))
