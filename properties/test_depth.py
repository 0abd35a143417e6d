"""Vanishing / exploding activations (docs/SPEC.md, ``DEPTH-*``): lecture, "Vanishing / Exploding
Gradients" and "Weight Initialization for Deep Networks".

The target's ``deep_linear_activations(weights, X)`` returns ``[A[0] = X, A[1], …, A[L]]`` of the
deep linear network ``A[l] = W[l] A[l−1]``; ``deep_relu_second_moments(width, depth, *, rng, scheme,
scale, n_networks, m)`` returns, for ``n_networks`` freshly initialized ReLU networks with ``depth``
hidden layers of ``width`` units (zero biases) and standard-normal inputs ``(width, m)``, the
second moments ``q_l = mean(A[l]²)``, ``l = 0..depth``, shape ``(n_networks, depth + 1)``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from refnn.conformance import rounding
from refnn.conformance.judge import Evidence, check, check_close, check_statistic
from refnn.conformance.plugin import Subject

WIDTH, DEPTH = 32, 50


def _budget(fraction: float) -> settings:
    return settings(max_examples=max(2, round(settings().max_examples * fraction)),
                    deadline=None)


@pytest.mark.rule("DEPTH-1")
@_budget(0.15)
@given(c=st.one_of(st.sampled_from([0.5, 1.5]), st.floats(0.25, 2.0)), L=st.integers(1, 150),
       X=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 3)),
                    elements=st.floats(-10, 10).filter(lambda v: abs(v) > 1e-3)))
def test_identity_times_c_scales_the_activations_by_c_to_the_l(target: Subject, c: float, L: int,
                                                               X: np.ndarray) -> None:
    """DEPTH-1: in the deep linear network with W[l] = c·I, A[l] = c^l · X for every l (so
    ŷ = c^L X: 1.5^150 ≈ 2.6e26, 0.5^150 ≈ 7e-46).

    Tolerance (entrywise): SAFETY × (the target's rounding of the product (cI)⋯(cI)X in any order,
    rounding.chain_bound: l·n·u·∣c^l X∣ + the suite's c**l · X, (LIBM_ULPS + 1)·u·∣c^l X∣) — at
    most ~2e-13 relative for l = 150; a power off by one is off by a factor c (≥ 1.03 from 1)."""
    weights = [c * np.eye(X.shape[0]) for _ in range(L)]
    A = target.require("deep_linear_activations").call(weights, X)
    check(len(A) == L + 1, f"{len(A)} activations returned for L = {L} layers, not L + 1 = {L + 1}")
    for l in (0, 1, L // 2, L):
        want = c**l * X
        _, chain = rounding.chain_bound([X, *weights[:l]])
        own = (rounding.LIBM_ULPS + 1) * rounding.U * np.abs(want)
        check_close(np.asarray(A[l]), want, f"A[{l}] with W = {c}·I vs {c}^{l} · X", rtol=0,
                    atol=rounding.SAFETY * (chain + own))


@pytest.mark.rule("DEPTH-2")
@_budget(0.15)
@given(dims=st.lists(st.integers(1, 5), min_size=2, max_size=7), seed=st.integers(0, 2**32 - 1))
def test_the_output_is_the_product_of_the_weights_times_x(target: Subject, dims: list[int],
                                                          seed: int) -> None:
    """DEPTH-2: ŷ = A[L] = W[L] W[L−1] ⋯ W[1] X for any weights W[l]: (n[l], n[l−1]).

    Tolerance (entrywise): rounding.FACTOR × rounding.chain_bound of W[L] ⋯ W[1] X — the target
    multiplies layer by layer, the suite forms the product first; in any order each is within
    (n[0] + ⋯ + n[L−1])·u·(∣W[L]∣ ⋯ ∣W[1]∣ ∣X∣), larger than u·∣ŷ∣ only where ŷ cancels."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(dims[l], dims[l - 1])) for l in range(1, len(dims))]
    X = rng.normal(size=(dims[0], 3))
    A = target.require("deep_linear_activations").call(weights, X)
    product = np.eye(dims[0])
    for W in weights:
        product = W @ product
    _, chain = rounding.chain_bound([X, *weights])
    check_close(np.asarray(A[-1]), product @ X, "ŷ = A[L] vs (W[L] ⋯ W[1]) X", rtol=0,
                atol=rounding.FACTOR * chain)


@pytest.mark.rule("DEPTH-3")
def test_he_initialization_keeps_the_second_moment_through_50_relu_layers(target: Subject) -> None:
    """DEPTH-3: with He initialization (Var w = 2/n[l−1]) each ReLU layer keeps the activations'
    second moment in expectation, E[q_l / q_{l−1}] = 1, so through 50 layers it neither explodes
    nor vanishes (E[q_50] = q_0).

    Design: 40 networks of 50 hidden layers of width 32, m = 8 standard-normal inputs each;
    the 2000 per-layer gains g = q_l / q_{l−1} (a martingale-difference sequence, sd ≈ 0.38).
    Test: one-sample t-test of mean(g) = 1 (scipy.stats.ttest_1samp, two-sided) at α = 1e-7.
    Power (se ≈ 0.0085): against a weight variance off by 10% (E[g] = 1.1 or 0.9, a factor
    1.1^50 ≈ 117 or 0.9^50 ≈ 0.005 over 50 layers) ≈ 1 − 1e-10 (largest p in 10 simulations of
    each: 5e-18); against Var w = 1/n[l−1]
    (LeCun, the notes' "Xavier": E[g] = 0.5) or a truncated normal without variance correction
    (E[g] ≈ 0.77) ≈ 1. Not resolved: an error of 1.4% per layer (exactly a factor 2 over 50 layers;
    power ≈ 1e-4). Note: the claim is about the expectation — a single network of width 32 typically
    ends far below q_0 (median q_50/q_0 ≈ 0.03, log ratio ≈ −3.8 ± 2.4); the drift and the
    spread of log q_L grow like L/n.
    """
    fn = target.require("deep_relu_second_moments")
    q = np.asarray(fn.call(WIDTH, DEPTH, rng=np.random.default_rng(2718), scheme="he",
                           n_networks=40, m=8), dtype=np.float64)
    check(q.shape == (40, DEPTH + 1), f"returned shape {q.shape}, not (40, {DEPTH + 1})")
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (q[:, 1:] / q[:, :-1]).ravel()
    g = g[np.isfinite(g)]  # a dead network (q = 0) has no gain; probability ≈ 2^-32 per layer
    res = stats.ttest_1samp(g, 1.0)
    check_statistic(Evidence(
        what=f"per-layer gain q_l/q_(l-1) of the second moment, He init, width {WIDTH}, "
             f"{DEPTH} layers, 40 networks",
        test=f"one-sample t-test of mean = 1 (scipy.stats.ttest_1samp, two-sided, N = {g.size})",
        observed=f"mean gain {g.mean():.4f} (over 50 layers: ×{g.mean() ** DEPTH:.3g})",
        expected="mean gain 1",
        pvalue=float(res.pvalue),
        alpha=1e-7,
        alternative="weight variance off by 10% (gain 1.1 / 0.9; power ≈ 1)",
    ))


@pytest.mark.rule("DEPTH-4")
@pytest.mark.parametrize(("scale", "explodes"), [(10.0, True), (0.01, False)],
                         ids=["random x10 explodes", "random x0.01 vanishes"])
def test_large_weights_explode_and_small_weights_vanish(target: Subject, scale: float,
                                                        explodes: bool) -> None:
    """DEPTH-4: with the course's random×10 weights (Var w = 100) the second moment explodes and with
    ×0.01 (Var w = 1e-4) it vanishes: through 50 ReLU layers of width 32, q_50/q_0 > 2^50 and
    < 2^−50 respectively, in every one of 3 networks.

    Expected per-layer gain n·Var(w)/2 = 1600 and 0.0016, so log(q_50/q_0) ≈ +365 and −326 with a
    spread (sd) ≈ 2.6 (simulated): the false-alarm rate against the thresholds ±50·log 2 ≈ ±35 is
    < 1e-300. Power against weights that ignore the scale (He: log ratio ≈ −3.8 ± 2.4) ≈ 1.
    """
    fn = target.require("deep_relu_second_moments")
    with np.errstate(over="ignore", under="ignore"):
        q = np.asarray(fn.call(WIDTH, DEPTH, rng=np.random.default_rng(1 if explodes else 2),
                               scheme="random", scale=scale, n_networks=3, m=8), dtype=np.float64)
        log_ratio = np.log(q[:, -1]) - np.log(q[:, 0])
    bound = DEPTH * math.log(2)
    if explodes:
        check(bool(np.all(log_ratio > bound)),
              f"random×{scale:g}: log(q_50/q_0) = {np.round(log_ratio, 1).tolist()}, but should "
              f"exceed 50·log 2 ≈ {bound:.1f} (explode)")
    else:
        check(bool(np.all(log_ratio < -bound)),
              f"random×{scale:g}: log(q_50/q_0) = {np.round(log_ratio, 1).tolist()}, but should "
              f"be below −50·log 2 ≈ {-bound:.1f} (vanish)")
