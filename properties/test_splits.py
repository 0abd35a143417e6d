"""Train / dev / test splits (docs/SPEC.md, ``SPLIT-*``): lecture, "Train / Dev / Test sets".

The target's ``train_dev_test_split(X, Y, *, rng, ratios=None, preserve_order=False)`` returns an
object with ``X_train, Y_train, X_dev, Y_dev, X_test, Y_test``. Row 0 of every ``X`` used here holds
the example's id (its column number), so each property reads *which* examples a set holds from the
data itself, not from anything the target reports about them.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from refnn.conformance.judge import Evidence, check, check_statistic
from refnn.conformance.plugin import Subject

SETS = ("train", "dev", "test")


def _data(m: int, seed: int = 0, n_x: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    X[0] = np.arange(m)
    Y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    return X, Y


def _ids(split: Any, name: str) -> np.ndarray:
    ids: np.ndarray = np.asarray(getattr(split, f"X_{name}"))[0].astype(np.int64)
    return ids


def _global_state() -> bytes:
    return pickle.dumps(np.random.get_state())


# Ratios as thousandths (a, b) → (1 − a − b, a, b)/1000, so the expected sizes are exact integers.
thousandths = st.tuples(st.integers(0, 1000), st.integers(0, 1000)).filter(lambda t: sum(t) <= 1000)


@pytest.mark.rule("SPLIT-1")
@settings(max_examples=30, deadline=None)
@given(m=st.integers(1, 60), t=thousandths, seed=st.integers(0, 2**32 - 1),
       keep=st.booleans())
def test_the_three_sets_partition_the_examples(target: Subject, m: int, t: tuple[int, int],
                                               seed: int, keep: bool) -> None:
    """SPLIT-1: train, dev and test are disjoint and together hold every example exactly once,
    each example's label travelling with it (column i of Y stays with column i of X)."""
    split_fn = target.require("train_dev_test_split")
    X, Y = _data(m, seed % 1000)
    ratios = ((1000 - t[0] - t[1]) / 1000, t[0] / 1000, t[1] / 1000)
    s = split_fn.call(X, Y, rng=np.random.default_rng(seed), ratios=ratios, preserve_order=keep)
    ids = np.concatenate([_ids(s, name) for name in SETS])
    check(np.array_equal(np.sort(ids), np.arange(m)),
          lambda: f"the sets hold examples {sorted(ids.tolist())}, but should hold 0..{m - 1} "
          "once each")
    for name in SETS:
        i = _ids(s, name)
        check(np.array_equal(np.asarray(getattr(s, f"X_{name}")), X[:, i]),
              f"X_{name} is not the columns of X of the examples it holds")
        check(np.array_equal(np.asarray(getattr(s, f"Y_{name}")), Y[:, i]),
              f"Y_{name} does not hold the labels of the examples in X_{name}")


@pytest.mark.rule("SPLIT-2")
@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 5000), t=thousandths)
def test_set_sizes_follow_the_floor_rule(target: Subject, m: int, t: tuple[int, int]) -> None:
    """SPLIT-2: m_dev = ⌊r_dev·m⌋, m_test = ⌊r_test·m⌋, m_train = m − m_dev − m_test."""
    split_fn = target.require("train_dev_test_split")
    X, Y = _data(m)
    ratios = ((1000 - t[0] - t[1]) / 1000, t[0] / 1000, t[1] / 1000)
    s = split_fn.call(X, Y, rng=np.random.default_rng(0), ratios=ratios)
    want_dev, want_test = t[0] * m // 1000, t[1] * m // 1000
    want = {"train": m - want_dev - want_test, "dev": want_dev, "test": want_test}
    for name in SETS:
        got = np.asarray(getattr(s, f"X_{name}")).shape
        check(got == (2, want[name]),
              f"ratios={ratios}, m={m}: X_{name} has shape {got}, but should be (2, {want[name]})")
        got_y = np.asarray(getattr(s, f"Y_{name}")).shape
        check(got_y == (1, want[name]),
              f"ratios={ratios}, m={m}: Y_{name} has shape {got_y}, but should be (1, {want[name]})")


@pytest.mark.rule("SPLIT-3")
@pytest.mark.parametrize(
    ("m", "ratios"),
    [
        (100, (0.6, 0.2, 0.2)),
        (10_000, (0.6, 0.2, 0.2)),
        (1_000_000, (0.98, 0.01, 0.01)),
        (1_500_000, (0.995, 0.004, 0.001)),
    ],
    ids=["m=100", "m=10000", "m=1e6", "m=1.5e6"],
)
def test_default_ratios_follow_the_lecture_by_data_size(target: Subject, m: int,
                                                        ratios: tuple[float, ...]) -> None:
    """SPLIT-3: without ratios, small data (10²–10⁴) splits 60/20/20, about a million examples
    98/1/1, more than a million 99.5/0.4/0.1 (sizes by the SPLIT-2 floor rule)."""
    split_fn = target.require("train_dev_test_split")
    X = np.arange(m, dtype=np.float64)[None, :]
    Y = np.zeros((1, m))
    s = split_fn.call(X, Y, rng=np.random.default_rng(1))
    dev, test = round(ratios[1] * m), round(ratios[2] * m)
    want = (m - dev - test, dev, test)
    got = tuple(np.asarray(getattr(s, f"X_{name}")).shape[1] for name in SETS)
    check(got == want, f"m={m}, no ratios: sizes (train, dev, test) = {got}, but should be {want}")


@pytest.mark.rule("SPLIT-4")
@settings(max_examples=15, deadline=None)
@given(m=st.integers(2, 200), seed=st.integers(0, 2**32 - 1))
def test_the_split_is_a_function_of_the_seed_alone(target: Subject, m: int, seed: int) -> None:
    """SPLIT-4: the same seed gives the same split, and numpy's global random state is neither
    read nor advanced (all randomness comes from the rng argument)."""
    split_fn = target.require("train_dev_test_split")
    X, Y = _data(m)
    before = _global_state()
    a = split_fn.call(X, Y, rng=np.random.default_rng(seed), ratios=(0.5, 0.25, 0.25))
    after = _global_state()
    b = split_fn.call(X, Y, rng=np.random.default_rng(seed), ratios=(0.5, 0.25, 0.25))
    for name in SETS:
        check(np.array_equal(_ids(a, name), _ids(b, name)),
              f"two splits with seed {seed} put different examples in the {name} set")
    check(before == after, "train_dev_test_split drew from numpy's global random stream (its state changed)")


@pytest.mark.rule("SPLIT-5")
@settings(max_examples=20, deadline=None)
@given(m=st.integers(1, 100), t=thousandths, seed=st.integers(0, 2**32 - 1))
def test_preserve_order_keeps_the_original_order_within_each_set(
    target: Subject, m: int, t: tuple[int, int], seed: int
) -> None:
    """SPLIT-5: with preserve_order=True every set lists its examples in their original order."""
    split_fn = target.require("train_dev_test_split")
    X, Y = _data(m)
    ratios = ((1000 - t[0] - t[1]) / 1000, t[0] / 1000, t[1] / 1000)
    s = split_fn.call(X, Y, rng=np.random.default_rng(seed), ratios=ratios, preserve_order=True)
    for name in SETS:
        i = _ids(s, name)
        check(bool(np.all(np.diff(i) > 0)),
              lambda: f"X_{name} holds examples {i.tolist()}, but should hold them in order")


@pytest.mark.rule("SPLIT-6")
def test_every_example_is_equally_likely_to_land_in_each_set(target: Subject) -> None:
    """SPLIT-6: the split is uniformly random — each example lands in train/dev/test with
    probabilities (r_train, r_dev, r_test).

    Design: m = 10 examples, ratios (0.6, 0.2, 0.2) (sizes 6/2/2, so the probabilities are exactly
    0.6/0.2/0.2), N = 600 splits from one seeded generator. For each example, a χ² goodness-of-fit
    test (scipy.stats.chisquare, 2 df) of its (train, dev, test) counts against N·(0.6, 0.2, 0.2);
    the splits are independent, so each example's counts are exactly multinomial. Bonferroni over
    the 10 examples: fail if min p < 1e-7 / 10. False-alarm rate ≤ 1e-7 (asymptotic χ²).
    Power ≈ 1 against "no shuffling" (fixed sets: χ² ≥ 600) and against "example 0 never in the
    test set" (its counts ≈ (450, 150, 0): χ² ≈ 150 on 2 df, p ≈ 1e-33).
    """
    split_fn = target.require("train_dev_test_split")
    m, N = 10, 600
    probs = np.array([0.6, 0.2, 0.2])
    X, Y = _data(m)
    rng = np.random.default_rng(20240611)
    counts = np.zeros((m, 3), dtype=np.int64)
    for _ in range(N):
        s = split_fn.call(X, Y, rng=rng, ratios=tuple(probs))
        for k, name in enumerate(SETS):
            counts[_ids(s, name), k] += 1
    p = np.array([stats.chisquare(counts[i], N * probs).pvalue for i in range(m)])
    worst = int(np.argmin(p))
    check_statistic(Evidence(
        what=f"how often example {worst} (of {m}) landed in train/dev/test over {N} splits",
        test="χ² goodness-of-fit test per example (scipy.stats.chisquare, 2 df), Bonferroni over "
             f"{m} examples",
        observed=str(counts[worst].tolist()),
        expected=f"about {(N * probs).astype(int).tolist()}",
        pvalue=float(p[worst]),
        alpha=1e-7 / m,
        alternative="no shuffling, or example 0 never in the test set (power ≈ 1)",
    ))
