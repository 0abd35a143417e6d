"""Input normalization (docs/SPEC.md, ``NORM-*``): lecture, "Normalizing Inputs".

The target's ``normalize_fit(X_train)`` returns statistics with ``mu`` and ``sigma2`` (each
``(n_x, 1)``); ``normalize_transform(stats, X)`` and ``normalize_inverse(stats, X_norm)`` apply and
undo ``(X − μ)/σ``. The oracle here is plain numpy: ``μ = X.mean(axis=1)``, ``σ² = X.var(axis=1)``
(with ``1/m``).

Data: feature ``j`` is ``loc_j + scale_j · Z_j`` with ``Z`` on an integer grid, so every non-constant
feature is well conditioned (spread ≥ 1% of its magnitude) and constant features (``Z_j`` all equal)
occur naturally.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from refnn.conformance import rounding
from refnn.conformance.judge import check, check_close
from refnn.conformance.plugin import Subject


def _budget(fraction: float) -> settings:
    """A share of the active profile's ``max_examples``, without a deadline (numpy is slow to warm)."""
    return settings(max_examples=max(2, round(settings().max_examples * fraction)),
                    deadline=None)


@st.composite
def feature_sets(draw: st.DrawFn, min_m: int = 2) -> np.ndarray:
    n_x = draw(st.integers(1, 5))
    m = draw(st.integers(min_m, 40))
    Z = draw(hnp.arrays(np.int64, (n_x, m), elements=st.integers(-20, 20)))
    loc = draw(hnp.arrays(np.float64, (n_x, 1), elements=st.floats(-100, 100)))
    scale = draw(hnp.arrays(np.float64, (n_x, 1), elements=st.floats(0.01, 100)))
    X: np.ndarray = loc + scale * Z
    return X


def _constant(X: np.ndarray) -> np.ndarray:
    flags: np.ndarray = np.ptp(X, axis=1) == 0
    return flags


def round_trip_tolerance(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    """How far inverse(transform(X)) may be from X, entrywise: rounding.FACTOR × ((4 + LIBM_ULPS)·u·
    ∣x − μ∣ + u·∣x∣) — subtracting μ, dividing by σ and multiplying by it (σ = √σ² possibly
    formed twice, each within LIBM_ULPS·u), and adding μ back. The statistics' own errors cancel:
    the same μ̃ and σ̃ are used both ways."""
    d = np.abs(X - X_train.mean(axis=1, keepdims=True))
    out: np.ndarray = rounding.FACTOR * rounding.U * ((4 + rounding.LIBM_ULPS) * d + np.abs(X))
    return out


@pytest.mark.rule("NORM-1")
@_budget(0.15)
@given(X=feature_sets())
def test_training_features_come_out_with_mean_0_and_variance_1(target: Subject,
                                                               X: np.ndarray) -> None:
    """NORM-1: transforming the training set with its own statistics gives every non-constant
    feature mean 0 and variance 1 (with 1/m).

    Tolerances (rounding.FACTOR ×, per feature), with δ = rounding.standardized_bound(X, X) the
    entrywise error of (x − μ)/σ: the mean is off by ≤ mean(δ) + (m + 1)·u·mean∣x̂∣ (the suite's
    own mean); the mean of squares by ≤ 2·mean(∣x̂∣·δ) + (m + 2)·u·mean(x̂²). Both scale with the
    feature's condition mean∣x∣/σ (up to ~6e4 here: a spread of 1% of the level); a variance with
    1/(m − 1), or a divisor σ² for σ, is off by ≥ 1/39."""
    fit, transform = target.require("normalize_fit"), target.require("normalize_transform")
    Xn = np.asarray(transform.call(fit.call(X), X), dtype=np.float64)
    check(Xn.shape == X.shape, f"normalize_transform returned shape {Xn.shape}, not {X.shape}")
    keep = ~_constant(X)
    m = X.shape[1]
    delta = rounding.standardized_bound(X, X)
    ref = np.abs((X - X.mean(axis=1, keepdims=True)) /
                 np.where(keep[:, None], X.std(axis=1, keepdims=True), 1.0))
    mean_tol = np.mean(delta, axis=1) + (m + 1) * rounding.U * np.mean(ref, axis=1)
    var_tol = 2 * np.mean(ref * delta, axis=1) + (m + 2) * rounding.U * np.mean(ref**2, axis=1)
    check_close(Xn.mean(axis=1), np.zeros(X.shape[0]), "per-feature mean of the normalized "
                "training set", rtol=0, atol=rounding.FACTOR * mean_tol)
    check_close(np.mean(Xn[keep] ** 2, axis=1), np.ones(int(keep.sum())),
                "per-feature variance (1/m) of the normalized training set (non-constant "
                "features)", rtol=0, atol=rounding.FACTOR * var_tol[keep])


@pytest.mark.rule("NORM-2")
@_budget(0.15)
@given(X=feature_sets(), shift=st.floats(-50, 50), m_test=st.integers(1, 30))
def test_other_sets_are_transformed_with_the_training_statistics(
    target: Subject, X: np.ndarray, shift: float, m_test: int
) -> None:
    """NORM-2: a dev/test set is normalized with the *training* μ and σ: (X_test − μ_train) / σ_train,
    so a shifted test set keeps its shift (its mean is not forced to 0).

    Tolerance (entrywise): rounding.FACTOR × rounding.standardized_bound(X_train, X_test) — the
    subtraction and division, and the training statistics' own rounding carried through."""
    fit, transform = target.require("normalize_fit"), target.require("normalize_transform")
    stats = fit.call(X)
    X_test = X[:, np.arange(m_test) % X.shape[1]] + shift
    got = np.asarray(transform.call(stats, X_test), dtype=np.float64)
    keep = ~_constant(X)
    mu, sd = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
    want = (X_test - mu) / np.where(sd > 0, sd, 1.0)
    check(got.shape == X_test.shape, f"normalize_transform returned {got.shape}, not {X_test.shape}")
    tol = rounding.FACTOR * rounding.standardized_bound(X, X_test)
    check_close(got[keep], want[keep], f"normalize_transform(stats of X_train, X_test = X_train "
                f"columns + {shift}) on the non-constant features: (X_test − μ_train)/σ_train",
                rtol=0, atol=tol[keep])


@pytest.mark.rule("NORM-3")
@_budget(0.15)
@given(X=feature_sets(), other=st.integers(0, 2**32 - 1))
def test_inverse_undoes_transform(target: Subject, X: np.ndarray, other: int) -> None:
    """NORM-3: normalize_inverse(stats, normalize_transform(stats, X)) = X, for the training set and
    for any other set with the same features.

    Tolerance (entrywise): :func:`round_trip_tolerance` — the same statistics go both ways, so
    their own errors cancel; what remains is the rounding of x − μ, ÷σ, ×σ, +μ."""
    fit = target.require("normalize_fit")
    transform, inverse = target.require("normalize_transform"), target.require("normalize_inverse")
    stats = fit.call(X)
    rng = np.random.default_rng(other)
    X_other = X.mean(axis=1, keepdims=True) + 3 * rng.normal(size=(X.shape[0], 7)) * (
        1 + np.abs(X).max(axis=1, keepdims=True))
    for name, data in (("X_train", X), ("another set", X_other)):
        back = np.asarray(inverse.call(stats, transform.call(stats, data)), dtype=np.float64)
        check_close(back, data, f"inverse(transform({name}))", rtol=0,
                    atol=round_trip_tolerance(X, data))


@pytest.mark.rule("NORM-4")
@_budget(0.1)
@given(X=feature_sets(), value=st.floats(-1e6, 1e6), row=st.integers(0, 4))
def test_a_constant_feature_is_centred_never_divided_by_zero(target: Subject, X: np.ndarray,
                                                             value: float, row: int) -> None:
    """NORM-4: a feature constant on the training set has σ² = 0; it is mapped to exactly 0 on the
    training set (centred, not divided by zero), every output is finite, no warning is raised,
    and the inverse restores it — also for a test set in which it is not constant.

    Tolerances: the centred feature is within rounding.FACTOR × (m + 1)·u·∣value∣ of 0 (a mean of
    m equal values need not be exact); the round trip as in NORM-3 (:func:`round_trip_tolerance`)."""
    fit = target.require("normalize_fit")
    transform, inverse = target.require("normalize_transform"), target.require("normalize_inverse")
    X = X.copy()
    j = row % X.shape[0]
    X[j] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a division by zero (RuntimeWarning) fails the property
        stats = fit.func(X.copy())
        Xn = np.asarray(transform.func(stats, X.copy()), dtype=np.float64)
        X_test = X.copy()
        X_test[j] = value + np.arange(X.shape[1], dtype=np.float64)
        Tn = np.asarray(transform.func(stats, X_test.copy()), dtype=np.float64)
        back = np.asarray(inverse.func(stats, Tn), dtype=np.float64)
    check(bool(np.all(np.isfinite(Xn)) and np.all(np.isfinite(Tn))),
          "normalizing with a constant feature produced nan or inf")
    m = X.shape[1]
    check_close(Xn[j], np.zeros(m), f"the constant training feature {j} (= {value}) "
                "after normalization", rtol=0,
                atol=rounding.FACTOR * (m + 1) * rounding.U * abs(value))
    check_close(back, X_test, "inverse(transform(X_test)) with a training-constant feature",
                rtol=0, atol=round_trip_tolerance(X, X_test))


@pytest.mark.rule("NORM-5")
@_budget(0.1)
@given(X=feature_sets(min_m=1))
def test_the_statistics_are_the_training_mean_and_1_over_m_variance(target: Subject,
                                                                   X: np.ndarray) -> None:
    """NORM-5: normalize_fit returns μ = (1/m) Σ x⁽ⁱ⁾ and σ² = (1/m) Σ (x⁽ⁱ⁾ − μ)², each (n_x, 1).

    Tolerances: rounding.FACTOR × rounding.standardization_bounds — μ within (m + 1)·u·mean∣x∣,
    σ² within (m + 4)·u·mean(x²) + 2∣μ∣·E_μ (relative to σ², the condition 1 + μ²/σ²; ≤ 1e-4
    here, against 1/(m − 1) for the n − 1 variance, ≥ 1/39)."""
    stats = target.require("normalize_fit").call(X)
    mu = np.asarray(stats.mu, dtype=np.float64)
    sigma2 = np.asarray(stats.sigma2, dtype=np.float64)
    n_x = X.shape[0]
    check(mu.shape == (n_x, 1) and sigma2.shape == (n_x, 1),
          f"mu has shape {mu.shape} and sigma2 {sigma2.shape}, but both should be ({n_x}, 1)")
    bounds = rounding.standardization_bounds(X)
    check_close(mu, X.mean(axis=1, keepdims=True), "μ = X_train.mean(axis=1)", rtol=0,
                atol=rounding.FACTOR * bounds["mu"])
    check_close(sigma2, X.var(axis=1, keepdims=True), "σ² = X_train.var(axis=1) (1/m, not "
                "1/(m−1))", rtol=0, atol=rounding.FACTOR * bounds["sigma2"])
