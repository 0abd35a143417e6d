"""refnn.mismatch: dev and test from one distribution (lecture: "Mismatched train/test distribution")."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from scipy import stats

import refnn.mismatch
from refnn.mismatch import (
    DistributionMismatchWarning,
    check_same_distribution,
    ks_pvalues,
    ks_statistics,
)


@pytest.mark.parametrize("seed", range(6))
def test_statistics_and_exact_pvalues_match_scipy(seed: int) -> None:
    """The oracle: scipy.stats.ks_2samp(method='exact'), also with ties and unequal sizes."""
    rng = np.random.default_rng(seed)
    for _ in range(15):
        n, m = int(rng.integers(1, 45)), int(rng.integers(1, 45))
        if rng.random() < 0.4:
            a = rng.integers(0, 4, (2, n)).astype(float)
            b = rng.integers(0, 4, (2, m)).astype(float)
        else:
            a = rng.normal(size=(2, n))
            b = rng.normal(size=(2, m)) + rng.uniform(0, 2)
        h = ks_statistics(a, b)
        p = ks_pvalues(h, n, m)
        for j in range(2):
            ref = stats.ks_2samp(a[j], b[j], method="exact")
            assert h[j] / (n * m) == pytest.approx(float(ref.statistic), abs=1e-12)
            assert p[j] == pytest.approx(float(ref.pvalue), rel=1e-9, abs=1e-300)


def test_large_sets_use_scipys_asymptotic_pvalue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(refnn.mismatch, "_EXACT_WORK_LIMIT", 0)
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(1, 300)), rng.normal(size=(1, 200)) + 0.2
    p = ks_pvalues(ks_statistics(a, b), 300, 200)
    ref = stats.ks_2samp(a[0], b[0], method="asymp")
    assert p[0] == pytest.approx(float(ref.pvalue), rel=1e-9)


def test_shift_is_flagged_with_a_warning_and_a_verdict() -> None:
    rng = np.random.default_rng(0)
    dev, test = rng.normal(size=(4, 300)), rng.normal(size=(4, 300))
    test[2] *= 3.0  # a scale change, not a shift
    with pytest.warns(DistributionMismatchWarning, match=r"feature\(s\) \[2\]"):
        r = check_same_distribution(dev, test)
    assert not r.same_distribution and r.flagged_features == (2,)
    assert r.threshold == pytest.approx(0.01 / 4)
    assert r.p_values.shape == (4,) and r.statistics.shape == (4,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quiet = check_same_distribution(dev, test, warn=False)
        same = check_same_distribution(dev, dev[:, ::-1])
    assert not quiet.same_distribution and same.same_distribution
    assert "no evidence" in same.message


def test_result_is_frozen_and_inputs_are_untouched() -> None:
    rng = np.random.default_rng(2)
    dev, test = rng.normal(size=(3, 20)), rng.normal(size=(3, 30))
    d0, t0 = dev.copy(), test.copy()
    r = check_same_distribution(dev, test)
    assert np.array_equal(dev, d0) and np.array_equal(test, t0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.alpha = 0.5  # type: ignore[misc]
    with pytest.raises(ValueError):
        r.p_values[0] = 0.0


def test_constant_features() -> None:
    same = check_same_distribution(np.ones((1, 5)), np.ones((1, 7)))
    differ = check_same_distribution(np.ones((1, 30)), np.zeros((1, 30)), warn=False)
    assert same.same_distribution and same.p_values[0] == 1.0
    assert not differ.same_distribution


DEV = np.zeros((3, 10))


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((DEV, np.zeros((2, 10))), {}, ValueError, ["'X_test'", "(n_x, m_test) = (3, 10)"]),
        ((DEV, np.zeros((3, 0))), {}, ValueError, ["'X_test'", "at least 1 example"]),
        ((np.zeros((0, 4)), np.zeros((0, 4))), {}, ValueError, ["'X_dev'", "n_x >= 1"]),
        (([1.0, 2.0], DEV), {}, ValueError, ["'X_dev'", "2-D"]),
        (("dev", DEV), {}, TypeError, ["'X_dev'", "numpy array"]),
        ((DEV, np.full((3, 10), np.nan)), {}, ValueError, ["'X_test'", "finite"]),
        ((DEV, DEV), {"alpha": 0.0}, ValueError, ["'alpha'", "in (0, 1)"]),
        ((DEV, DEV), {"alpha": 1.0}, ValueError, ["'alpha'", "in (0, 1)"]),
        ((DEV, DEV), {"alpha": "5%"}, TypeError, ["'alpha'", "real number"]),
        ((DEV, DEV), {"warn": "no"}, TypeError, ["'warn'", "bool"]),
    ],
    ids=["n_x differs", "empty test", "n_x=0", "X_dev 1-D list", "X_dev str", "X_test nan",
         "alpha=0", "alpha=1", "alpha str", "warn str"],
)
def test_bad_input(args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception],
                   words: list[str]) -> None:
    with pytest.raises(error) as info:
        check_same_distribution(*args, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("check_same_distribution: argument ")
    for w in words:
        assert w in message, (w, message)
