"""refnn.init: one variance-scaling rule and its presets (lecture: weight initialization)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from refnn.init import PRESETS, VarianceScaling, initialize

ALPHA = 1e-6  # false-alarm rate of every statistical assertion in this file


def _variance_pvalue(W: np.ndarray, var: float) -> float:
    """Two-sided p-value of H0: entries i.i.d. N(0, var), from Σw²/var ~ χ²(N)."""
    N = W.size
    q = float(np.sum(W**2) / var)
    return float(2 * min(stats.chi2.cdf(q, N), stats.chi2.sf(q, N)))


@pytest.mark.parametrize("scheme", sorted(PRESETS))
@pytest.mark.parametrize("dims", [[3, 1, 2], [5, 4, 3, 1], [1, 1]])
def test_shapes_keys_and_zero_biases(scheme: str, dims: list[int]) -> None:
    p = initialize(dims, scheme, rng=np.random.default_rng(0))
    assert sorted(p) == sorted(f"{k}{l}" for l in range(1, len(dims)) for k in "Wb")
    for l in range(1, len(dims)):
        assert p[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert p[f"b{l}"].shape == (dims[l], 1)
        assert not p[f"b{l}"].any()
        assert p[f"W{l}"].dtype == np.float64


@pytest.mark.parametrize(
    ("scheme", "variance"),
    [
        ("he", lambda n_in, n_out: 2 / n_in),
        ("xavier", lambda n_in, n_out: 1 / n_in),
        ("glorot", lambda n_in, n_out: 2 / (n_in + n_out)),
        ("random", lambda n_in, n_out: 100.0),
    ],
)
@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_variance_matches_the_preset(scheme: str, variance: object, distribution: str) -> None:
    """χ² test of the variance at α = 1e-6 on an asymmetric (800 × 300) layer: 240,000 draws.

    Power: under a 10% variance error the statistic moves by 0.1·N = 24,000 while its sd is
    √(2N) ≈ 693 — 35 sd, so power is 1 to machine precision. A fan-in/fan-out swap (300 vs 800)
    is an even larger error. (For the uniform draws the χ² form is only approximate; the mean of
    w² is exact, and its sd is smaller than the normal's, so the test is conservative.)
    """
    assert callable(variance)
    n_in, n_out = 300, 800
    W = initialize([n_in, n_out], scheme, rng=np.random.default_rng(7),
                   distribution=distribution)["W1"]  # type: ignore[arg-type]
    var = variance(n_in, n_out)
    assert _variance_pvalue(W, var) > ALPHA
    assert _variance_pvalue(W, 1.1 * var) < ALPHA  # the test has the power it claims here


def test_normal_is_normal_and_uniform_is_not() -> None:
    """Kolmogorov–Smirnov at α = 1e-6, 240,000 draws: uniform vs normal at equal variance differ by
    a KS distance of ≈ 0.03, far above the critical ≈ 0.0055, so the check has power ≈ 1."""
    rng = np.random.default_rng(3)
    for distribution, should_pass in (("normal", True), ("uniform", False)):
        W = initialize([300, 800], "he", rng=rng, distribution=distribution)["W1"]  # type: ignore[arg-type]
        p = stats.kstest(W.ravel(), "norm", args=(0, np.sqrt(2 / 300))).pvalue
        assert (p > ALPHA) == should_pass, (distribution, p)


def test_uniform_bounds() -> None:
    W = initialize([50, 40], "he", rng=np.random.default_rng(1), distribution="uniform")["W1"]
    assert np.abs(W).max() <= np.sqrt(3 * 2 / 50)


def test_zeros_preset_is_all_zero() -> None:
    p = initialize([4, 3, 1], "zeros", rng=np.random.default_rng(0))
    assert all(not v.any() for v in p.values())


def test_random_scale_is_the_std() -> None:
    W = initialize([400, 500], "random", rng=np.random.default_rng(2), scale=0.01)["W1"]
    assert _variance_pvalue(W, 1e-4) > ALPHA


def test_custom_rule() -> None:
    rule = VarianceScaling("lecun3", 3.0, "fan_in")
    W = initialize([300, 800], rule, rng=np.random.default_rng(4))["W1"]
    assert _variance_pvalue(W, 3.0 / 300) > ALPHA


def test_same_generator_state_gives_same_weights_and_global_state_untouched() -> None:
    before = np.random.get_state()[1].copy()  # type: ignore[index]
    a = initialize([3, 4, 1], "he", rng=np.random.default_rng(5))
    b = initialize([3, 4, 1], "he", rng=np.random.default_rng(5))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert np.array_equal(before, np.random.get_state()[1])  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"layer_dims": [3]}, ValueError, "at least two"),
        ({"layer_dims": [3, 0, 1]}, ValueError, "layer_dims[1]"),
        ({"layer_dims": [3, 2.5, 1]}, TypeError, "layer_dims[1]"),
        ({"layer_dims": "321"}, TypeError, "layer_dims"),
        ({"scheme": "kaiming"}, ValueError, "scheme"),
        ({"scheme": "he", "scale": 2.0}, ValueError, "scale"),
        ({"rng": 0}, TypeError, "numpy.random.Generator"),
        ({"rng": None}, TypeError, "rng"),
        ({"distribution": "laplace"}, ValueError, "distribution"),
        ({"scheme": "random", "scale": -1.0}, ValueError, "scale"),
    ],
    ids=lambda v: repr(v) if not isinstance(v, type) else v.__name__,
)
def test_bad_input(kwargs: dict[str, object], error: type[Exception], words: str) -> None:
    args: dict[str, object] = {"layer_dims": [3, 2, 1], "scheme": "he",
                               "rng": np.random.default_rng(0)}
    args.update(kwargs)
    with pytest.raises(error, match="initialize") as info:
        initialize(**args)  # type: ignore[arg-type]
    assert words in str(info.value)
