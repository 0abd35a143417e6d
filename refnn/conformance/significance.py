"""The suite's statistical tests: scipy.stats tests with a stated false-alarm rate and power.

Every statistical assertion of the suite goes through this module. Each test

* is a test from :mod:`scipy.stats` whose null hypothesis is the lecture's rule;
* rejects at a false-alarm rate ``α`` (a property that makes several tests splits
  :data:`ALPHA` = 1e-6 between them, Bonferroni, so the *property's* false-alarm rate is ≤ 1e-6);
* is sized — by the designs below — for power ≥ :data:`POWER` = 0.999 against a named alternative.

The power calculations are functions here (:func:`variance_power`, :func:`binomial_power`,
:func:`ks_uniform_power`, :func:`independence_power`); ``docs/STATISTICS.md`` tabulates them and
``tests/conformance/test_statistics.py`` checks them, and the false-alarm rates, by simulation.

Why the samples come from one call: the course's initializers call ``np.random.seed(3)`` and its
dropout forward ``np.random.seed(1)`` inside, so calling them again repeats the same draw. Every
sample is therefore taken from a single call with large layers, chosen here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from refnn.conformance.judge import Evidence

FloatArray = NDArray[np.float64]

ALPHA = 1e-6
"""False-alarm rate of every statistical property (split between its tests)."""

POWER = 0.999
"""The power every test is sized for, against its named alternative."""

INIT_DIMS = (400, 50, 300, 20)
"""``layers_dims`` for the initializer statistics: fan-in and fan-out differ by 8×, 6× and 15×
(so a swap changes a layer's variance by that factor), and the layers hold 20000, 15000 and 6000
weights (41000 in all)."""

INIT_VARIANCE_SPLIT = 2
"""The variance property runs one pooled test and one test per layer: α/2 for the pooled test,
α/(2L) for each layer's."""

DROPOUT_UNITS = 100
"""``n[1] = n[2]`` for the dropout statistics (equal, so a mask reused for layer 2 is visible)."""

DROPOUT_EXAMPLES = 100
"""``m`` for the dropout statistics: each mask holds 100 × 100 = 10000 draws."""

KEEP_PROBS = (0.25, 0.5, 0.7, 0.86)
"""Several keep_prob values: at 0.5 alone an inverted comparison (``rand > keep_prob``) keeps
the right fraction; 0.86 is the course's."""

KEEP_RATE_DELTA = 0.05
"""The named alternative for keep rates: off by 0.05."""

VARIANCE_RATIO = 1.1
"""The named alternative for variances: off by 10% (×1.1 or ×0.9)."""


# ----------------------------------------------------------------------------------- the tests


def variance_test(z: FloatArray, alpha: float, what: str, alternative: str) -> Evidence:
    """χ² test that standardized draws ``z = w/σ₀`` have variance 1 (mean 0, normal).

    Under H0 ``Σz² ~ χ²(N)``; two-sided. ``alternative`` names what the test is sized against.
    """
    flat = np.asarray(z, dtype=np.float64).ravel()
    n = flat.size
    t = float(np.sum(flat * flat))
    p = float(min(1.0, 2 * min(stats.chi2.cdf(t, n), stats.chi2.sf(t, n))))
    return Evidence(
        what=what,
        test=f"χ² variance test (scipy.stats.chi2, two-sided, N = {n})",
        observed=f"variance ratio {t / n:.4f}",
        expected="variance ratio 1",
        pvalue=p,
        alpha=alpha,
        alternative=alternative,
    )


def normality_test(z: FloatArray, alpha: float, what: str, alternative: str) -> Evidence:
    """Kolmogorov–Smirnov test that standardized draws ``z = w/σ₀`` come from N(0, 1)."""
    flat = np.asarray(z, dtype=np.float64).ravel()
    res = stats.kstest(flat, "norm")
    return Evidence(
        what=what,
        test=f"Kolmogorov–Smirnov test against N(0, 1) (scipy.stats.kstest, N = {flat.size})",
        observed=f"KS distance {float(res.statistic):.4f}",
        expected="a normal sample (KS distance ≈ 0)",
        pvalue=float(res.pvalue),
        alpha=alpha,
        alternative=alternative,
    )


def binomial_test(k: int, n: int, p0: float, alpha: float, what: str, alternative: str,
                  side: Literal["two-sided", "less", "greater"] = "two-sided") -> Evidence:
    """Exact binomial test of ``k`` successes in ``n`` trials against rate ``p0``."""
    res = stats.binomtest(int(k), int(n), p0, alternative=side)
    return Evidence(
        what=what,
        test=f"exact binomial test (scipy.stats.binomtest, {side}, n = {n})",
        observed=f"{k} of {n} ({k / n:.4f})",
        expected=f"rate {p0:g}",
        pvalue=float(res.pvalue),
        alpha=alpha,
        alternative=alternative,
    )


def independence_test(a: NDArray[Any], b: NDArray[Any], alpha: float, what: str,
                      alternative: str) -> Evidence:
    """Fisher's exact test that paired mask entries are independent, *at the observed keep rates*.

    The 2×2 table counts the pairs (kept, kept), (kept, dropped), (dropped, kept), (dropped,
    dropped). Given its margins (how many entries of ``a`` and of ``b`` are kept), independent,
    identically distributed draws make the (kept, kept) count hypergeometric whatever the keep
    rate is: the test needs no nominal ``keep_prob`` (a wrong keep rate is DROP-2's business).
    One-sided (``scipy.stats.fisher_exact``, alternative "greater"): shared or copied masks agree
    more often than independent ones.
    """
    x = np.asarray(a).ravel() != 0
    y = np.asarray(b).ravel() != 0
    table = np.array([[np.sum(x & y), np.sum(x & ~y)], [np.sum(~x & y), np.sum(~x & ~y)]],
                     dtype=np.int64)
    res = stats.fisher_exact(table, alternative="greater")
    agree = int(table[0, 0] + table[1, 1])
    px, py = float(np.mean(x)), float(np.mean(y))
    q = px * py + (1 - px) * (1 - py)
    return Evidence(
        what=what,
        test=f"Fisher's exact test of independence (scipy.stats.fisher_exact, greater, "
             f"n = {x.size} pairs)",
        observed=f"{agree} of {x.size} pairs equal ({agree / x.size:.4f}); keep rates "
                 f"{px:.4f} and {py:.4f}",
        expected=f"independent masks at these keep rates: pairs equal at about {q:.4f}",
        pvalue=float(res.pvalue),
        alpha=alpha,
        alternative=alternative,
    )


def mean_activation_test(A: FloatArray, keep_prob: float, alpha: float, what: str,
                         alternative: str) -> Evidence:
    """Exact test that inverted dropout preserves the expectation when every ``relu(Z) = 1``.

    Then ``A = D / keep_prob`` entrywise, so ``keep_prob · ΣA`` is the number of kept units,
    ``Binomial(n, keep_prob)`` under H0, and ``E[A] = 1``. A missing or doubled ``1/keep_prob``
    moves ``keep_prob · ΣA`` by a factor ``keep_prob`` or 2 (two-sided exact binomial test).
    """
    flat = np.asarray(A, dtype=np.float64).ravel()
    n = flat.size
    total = float(np.sum(flat))
    k = int(round(total * keep_prob))
    k = min(max(k, 0), n)
    ev = binomial_test(k, n, keep_prob, alpha, what, alternative)
    return Evidence(
        what=ev.what,
        test=ev.test + " on keep_prob · Σ A",
        observed=f"mean of A = {total / n:.4f}",
        expected="mean 1 = relu(Z) (E[D/keep_prob] = 1)",
        pvalue=ev.pvalue,
        alpha=ev.alpha,
        alternative=ev.alternative,
    )


# --------------------------------------------------------------------------------------- power


def variance_power(n: int, ratio: float, alpha: float) -> float:
    """Power of :func:`variance_test` (``N = n``) when the true variance is ``ratio`` × σ₀²."""
    lo = stats.chi2.ppf(alpha / 2, n)
    hi = stats.chi2.isf(alpha / 2, n)
    return float(stats.chi2.cdf(lo / ratio, n) + stats.chi2.sf(hi / ratio, n))


def _binomial_pvalues(n: int, p0: float) -> FloatArray:
    # scipy's two-sided binomtest p-value for every k: the mass of outcomes no likelier than k.
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p0)
    order = np.argsort(pmf, kind="stable")
    cum = np.cumsum(pmf[order])
    sorted_pmf = pmf[order]
    # include ties (scipy uses a relative tolerance of 1e-7 on the pmf)
    idx = np.searchsorted(sorted_pmf, pmf * (1 + 1e-7), side="right") - 1
    return np.minimum(1.0, cum[idx])


def binomial_power(n: int, p0: float, p1: float, alpha: float) -> float:
    """Power of the two-sided :func:`binomial_test` (``n`` trials, H0 rate ``p0``) at rate ``p1``."""
    if not 0 < p1 < 1:
        return 1.0
    reject = _binomial_pvalues(n, p0) < alpha
    k = np.arange(n + 1)
    return float(np.sum(stats.binom.pmf(k[reject], n, p1)))


UNIFORM_KS_DISTANCE = 0.05720672
"""``sup |Φ(x) − U(x)|`` for U uniform on ``[−√3, √3]`` (variance 1): the KS distance between a
standard normal and a uniform of the same variance."""


def ks_uniform_power(n: int, alpha: float) -> float:
    """A lower bound on the power of :func:`normality_test` against a uniform of equal variance.

    With ``c`` the test's critical distance, the test misses only if the empirical CDF strays
    more than ``D − c`` from the uniform's CDF, which has probability ≤ ``2·exp(−2n(D − c)²)``
    (Dvoretzky–Kiefer–Wolfowitz).
    """
    c = float(stats.kstwo.isf(alpha, n))
    gap = UNIFORM_KS_DISTANCE - c
    if gap <= 0:
        return 0.0
    return max(0.0, 1.0 - 2.0 * math.exp(-2.0 * n * gap * gap))


def independence_power(n: int, kept: int, alpha: float) -> float:
    """Power of :func:`independence_test` (``n`` pairs, ``kept`` of them kept) when the masks are
    shared (every pair agrees): the table is diagonal and the p-value is ``1/C(n, kept)``."""
    log_p = -(math.lgamma(n + 1) - math.lgamma(kept + 1) - math.lgamma(n - kept + 1))
    return 1.0 if log_p < math.log(alpha) else 0.0


# -------------------------------------------------------------------------------- design table


@dataclass(frozen=True)
class Design:
    """One row of the power table."""

    property: str
    test: str
    alternative: str
    n: int
    alpha: float
    power: float


def init_layer_sizes(dims: Sequence[int] = INIT_DIMS) -> list[int]:
    """The number of weights in each layer of ``dims``."""
    return [dims[l] * dims[l - 1] for l in range(1, len(dims))]


def power_table() -> list[Design]:
    """The power of every statistical test of the suite against its named alternative."""
    rows: list[Design] = []
    sizes = init_layer_sizes()
    total = sum(sizes)
    L = len(sizes)
    pooled_alpha = ALPHA / INIT_VARIANCE_SPLIT
    layer_alpha = ALPHA / (INIT_VARIANCE_SPLIT * L)
    for ratio in (VARIANCE_RATIO, 2 - VARIANCE_RATIO):
        rows.append(Design("INIT-5/6/9 variance (pooled)", "χ² variance",
                           f"variance × {ratio:g} (off by 10%)", total, pooled_alpha,
                           variance_power(total, ratio, pooled_alpha)))
    for l in range(1, L + 1):
        fan_in, fan_out = INIT_DIMS[l - 1], INIT_DIMS[l]
        ratio = fan_in / fan_out
        rows.append(Design(f"INIT-6 variance (layer {l})", "χ² variance",
                           f"fan-out n[{l}]={fan_out} for fan-in n[{l - 1}]={fan_in} "
                           f"(variance × {ratio:.3g})",
                           sizes[l - 1], layer_alpha, variance_power(sizes[l - 1], ratio,
                                                                    layer_alpha)))
    rows.append(Design("INIT-7 normality", "Kolmogorov–Smirnov", "uniform, equal variance",
                       total, ALPHA, ks_uniform_power(total, ALPHA)))
    n = DROPOUT_UNITS * DROPOUT_EXAMPLES
    tests_per_property = 2 * len(KEEP_PROBS)
    a = ALPHA / tests_per_property
    for kp in KEEP_PROBS:
        worst = min(binomial_power(n, kp, kp + d, a) for d in (-KEEP_RATE_DELTA, KEEP_RATE_DELTA))
        rows.append(Design("DROP-2 keep rate / DROP-4 expectation", "exact binomial",
                           f"keep rate {kp:g} ± {KEEP_RATE_DELTA:g}", n, a, worst))
    a3 = ALPHA / (3 * len(KEEP_PROBS))
    for kp in KEEP_PROBS:
        rows.append(Design("DROP-5 independence (examples)", "Fisher exact, one-sided",
                           f"one mask shared by all examples (kp {kp:g})", n // 2, a3,
                           independence_power(n // 2, round(kp * n / 2), a3)))
    return rows


def format_power_table(rows: Sequence[Design] | None = None) -> str:
    """The power table as Markdown."""
    rows = power_table() if rows is None else rows
    lines = ["| property | test | alternative | n | α | power |", "|---|---|---|---|---|---|"]
    for r in rows:
        miss = 1.0 - r.power
        power = ("≥ 1 − 1e-12" if miss < 1e-12 else f"1 − {miss:.1e}" if miss < 1e-4
                 else f"{r.power:.6f}")
        lines.append(f"| {r.property} | {r.test} | {r.alternative} | {r.n} | {r.alpha:.3g} | "
                     f"{power} |")
    return "\n".join(lines)


# ------------------------------------------------------------------------- false-alarm budget


@dataclass(frozen=True)
class Budget:
    """One statistical assertion group of a suite run and its false-alarm probability."""

    rule: str
    where: str
    assertions: int
    """How many times it is judged per run (parametrizations); never inside ``@given``."""
    alpha: float
    """Its false-alarm probability each time (already split between its tests)."""


FALSE_ALARM_BUDGET = 1e-4
"""The stated bound on the probability that one run of the suite fails correct code."""

BUDGET: tuple[Budget, ...] = (
    Budget("INIT-5", "properties/test_init.py", 1, ALPHA),
    Budget("INIT-6", "properties/test_init.py", 1, ALPHA),
    Budget("INIT-9", "properties/test_init.py", 1, ALPHA),
    Budget("INIT-7", "properties/test_init.py", 3, ALPHA),
    Budget("DROP-2", "properties/test_dropout.py", 1, ALPHA),
    Budget("DROP-4", "properties/test_dropout.py", 1, ALPHA),
    Budget("DROP-5", "properties/test_dropout.py", 1, ALPHA),
    Budget("MISMATCH-1", "properties/test_mismatch.py", 1, 6.1e-8),
    Budget("MISMATCH-2", "properties/test_mismatch.py", 10, 1e-7),
    Budget("DEPTH-3", "properties/test_depth.py", 1, 1e-7),
    Budget("DEPTH-4", "properties/test_depth.py", 2, 1e-300),
    Budget("SPLIT-6", "properties/test_splits.py", 1, 1e-7),
)
"""Every statistical assertion of ``properties/`` (those whose verdict on correct code is a matter
of chance): each runs once per suite run (with its parametrizations), outside ``@given``, so the
count does not depend on the Hypothesis profile or seed. The other assertions compare with exact
oracles under derived worst-case rounding bounds (:mod:`refnn.conformance.rounding`): they cannot
fail correct code by chance."""


def run_false_alarm_bound(budget: Sequence[Budget] = BUDGET) -> float:
    """The union (Bonferroni) bound on the probability that a run fails correct code:
    ``Σ assertions × α``."""
    return float(sum(b.assertions * b.alpha for b in budget))
