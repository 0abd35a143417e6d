"""The suite's statistical tests do what docs/STATISTICS.md says: their false-alarm rate and power.

* Calibration: under the null hypothesis each test (the helpers of
  ``refnn.conformance.significance``, called as the properties call them) rejects at most about
  α of the time — simulated at α = 0.01 (a rate of 1e-6 cannot be simulated in seconds; the tests
  are exact — χ², exact binomial — or use scipy's Kolmogorov distribution, so calibration at 0.01
  carries over).
* The power formulas agree with simulation where the power is moderate (so a wrong formula shows).
* At the suite's own sample sizes and α, simulated draws from each named alternative are rejected
  every time, and the formulas give power ≥ 0.999 for every row of the power table.

Everything is seeded; the whole module runs in a few seconds.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from refnn.conformance import significance as sig

RNG_SEED = 20240601
LEVEL = 0.01


def rng() -> np.random.Generator:
    return np.random.default_rng(RNG_SEED)


def assert_rate_at_most(rejections: int, trials: int, alpha: float) -> None:
    """The observed false-alarm rate is compatible with ≤ alpha (one-sided binomial, 1e-4)."""
    p = stats.binomtest(rejections, trials, alpha, alternative="greater").pvalue
    assert p > 1e-4, f"{rejections} of {trials} rejections at α = {alpha} (p = {p:.2g})"


def assert_close_to_power(rejections: int, trials: int, power: float) -> None:
    p = stats.binomtest(rejections, trials, power).pvalue
    assert p > 1e-4, f"simulated power {rejections / trials:.4f}, formula {power:.4f} (p = {p:.2g})"


# ----------------------------------------------------------------------------- calibration


def test_variance_test_false_alarm_rate() -> None:
    g = rng()
    trials = 1500
    z = g.standard_normal((trials, 500))
    rejected = sum(sig.variance_test(row, LEVEL, "w", "alt").rejected for row in z)
    assert_rate_at_most(rejected, trials, LEVEL)
    assert rejected > 0  # not vacuously conservative


def test_normality_test_false_alarm_rate() -> None:
    g = rng()
    trials = 400
    z = g.standard_normal((trials, 200))
    rejected = sum(sig.normality_test(row, LEVEL, "w", "alt").rejected for row in z)
    assert_rate_at_most(rejected, trials, LEVEL)


@pytest.mark.parametrize("kp", sig.KEEP_PROBS)
def test_binomial_keep_rate_false_alarm_rate(kp: float) -> None:
    g = rng()
    trials = 4000
    n = sig.DROPOUT_UNITS * sig.DROPOUT_EXAMPLES
    counts = g.binomial(n, kp, size=trials)
    pvalues = sig._binomial_pvalues(n, kp)  # scipy's binomtest p-value for every count (checked below)
    assert_rate_at_most(int(np.sum(pvalues[counts] < LEVEL)), trials, LEVEL)
    for k in counts[:5]:  # the helper is scipy's binomtest: same p-values as the table
        assert math.isclose(sig.binomial_test(int(k), n, kp, LEVEL, "D", "alt").pvalue,
                            pvalues[k], rel_tol=1e-6)


def test_agreement_and_mean_activation_false_alarm_rates() -> None:
    g = rng()
    trials, kp = 300, 0.7
    agree = mean = 0
    for _ in range(trials):
        D = g.random((40, 50)) < kp
        agree += sig.independence_test(D[:, 0::2], D[:, 1::2], LEVEL, "D", "alt").rejected
        mean += sig.mean_activation_test(D / kp, kp, LEVEL, "A", "alt").rejected
    assert_rate_at_most(agree, trials, LEVEL)
    assert_rate_at_most(mean, trials, LEVEL)


# -------------------------------------------------------- the power formulas, by simulation


def test_variance_power_formula_matches_simulation() -> None:
    g = rng()
    n, ratio, alpha, trials = 2000, 1.1, 1e-3, 1500
    z = g.standard_normal((trials, n)) * math.sqrt(ratio)
    rejected = sum(sig.variance_test(row, alpha, "w", "alt").rejected for row in z)
    assert_close_to_power(rejected, trials, sig.variance_power(n, ratio, alpha))


def test_binomial_power_formula_matches_simulation() -> None:
    g = rng()
    n, p0, p1, alpha, trials = 2000, 0.5, 0.54, 1e-3, 1500
    counts = g.binomial(n, p1, size=trials)
    rejected = sum(sig.binomial_test(int(k), n, p0, alpha, "D", "alt").rejected
                   for k in counts[:300])
    rejected_all = int(np.sum(sig._binomial_pvalues(n, p0)[counts] < alpha))
    assert abs(rejected - int(np.sum(sig._binomial_pvalues(n, p0)[counts[:300]] < alpha))) == 0
    assert_close_to_power(rejected_all, trials, sig.binomial_power(n, p0, p1, alpha))


def test_binomial_pvalue_table_matches_scipy() -> None:
    table = sig._binomial_pvalues(300, 0.3)
    for k in (60, 75, 90, 105, 120):
        assert math.isclose(table[k], stats.binomtest(k, 300, 0.3).pvalue, rel_tol=1e-9)


def test_ks_power_bound_is_a_lower_bound() -> None:
    g = rng()
    n, alpha, trials = 1500, 1e-2, 150
    u = g.uniform(-math.sqrt(3), math.sqrt(3), size=(trials, n))
    rejected = sum(sig.normality_test(row, alpha, "w", "alt").rejected for row in u)
    bound = sig.ks_uniform_power(n, alpha)
    assert 0 < bound < 1  # informative at this size
    assert rejected / trials >= bound - 3 * math.sqrt(bound * (1 - bound) / trials)


def test_uniform_ks_distance_constant() -> None:
    x = np.linspace(-3, 3, 600001)
    u = np.clip((x + math.sqrt(3)) / (2 * math.sqrt(3)), 0, 1)
    assert math.isclose(float(np.max(np.abs(stats.norm.cdf(x) - u))), sig.UNIFORM_KS_DISTANCE,
                        rel_tol=1e-6)


# --------------------------------------------------- the suite's designs against the alternatives


def test_every_design_has_power_at_least_0999_and_alpha_at_most_1e6() -> None:
    rows = sig.power_table()
    assert rows
    for row in rows:
        assert row.alpha <= sig.ALPHA, row
        assert row.power >= sig.POWER, row


def _init_layers(g: np.random.Generator, std: list[float]) -> list[np.ndarray]:
    dims = sig.INIT_DIMS
    return [g.standard_normal((dims[l], dims[l - 1])) * std[l - 1] for l in range(1, len(dims))]


def test_he_designs_reject_the_named_alternatives_every_time() -> None:
    g = rng()
    dims = sig.INIT_DIMS
    L = len(dims) - 1
    a_pooled = sig.ALPHA / sig.INIT_VARIANCE_SPLIT
    a_layer = sig.ALPHA / (sig.INIT_VARIANCE_SPLIT * L)
    he = [math.sqrt(2 / dims[l - 1]) for l in range(1, L + 1)]
    for _ in range(5):
        for ratio in (1.1, 0.9):  # He variance off by 10%
            W = _init_layers(g, [s * math.sqrt(ratio) for s in he])
            z = np.concatenate([(w / s).ravel() for w, s in zip(W, he)])
            assert sig.variance_test(z, a_pooled, "w", "alt").rejected
        swapped = _init_layers(g, [math.sqrt(2 / dims[l]) for l in range(1, L + 1)])
        for l, (w, s) in enumerate(zip(swapped, he), start=1):  # fan-out for fan-in, every layer
            assert sig.variance_test(w / s, a_layer, f"W{l}", "alt").rejected
        right = _init_layers(g, he)  # and the correct He draw passes
        z = np.concatenate([(w / s).ravel() for w, s in zip(right, he)])
        assert not sig.variance_test(z, a_pooled, "w", "alt").rejected


def test_normality_design_rejects_a_uniform_draw_every_time() -> None:
    g = rng()
    n = sum(sig.init_layer_sizes())
    for _ in range(5):
        u = g.uniform(-math.sqrt(3), math.sqrt(3), size=n)
        assert sig.normality_test(u, sig.ALPHA, "w", "alt").rejected


def test_dropout_designs_reject_the_named_alternatives_every_time() -> None:
    g = rng()
    shape = (sig.DROPOUT_UNITS, sig.DROPOUT_EXAMPLES)
    n = shape[0] * shape[1]
    a_rate = sig.ALPHA / (2 * len(sig.KEEP_PROBS))
    a_share = sig.ALPHA / (3 * len(sig.KEEP_PROBS))
    reps = 2000
    for kp in sig.KEEP_PROBS:
        pvalues = sig._binomial_pvalues(n, kp)
        for p in (kp - sig.KEEP_RATE_DELTA, kp + sig.KEEP_RATE_DELTA):  # keep rate off by 0.05
            counts = g.binomial(n, p, size=reps)
            assert np.all(pvalues[counts] < a_rate), (kp, p)
            D = g.random(shape) < p  # and through the helpers, on actual masks
            assert sig.binomial_test(int(D.sum()), n, kp, a_rate, "D", "alt").rejected
            assert sig.mean_activation_test(D / kp, kp, a_rate, "A", "alt").rejected
        for _ in range(5):
            shared = np.repeat(g.random((shape[0], 1)) < kp, shape[1], axis=1)  # one mask for all
            assert sig.independence_test(shared[:, 0::2], shared[:, 1::2], a_share, "D",
                                         "alt").rejected
            D = g.random(shape) < kp
            assert sig.mean_activation_test(D.astype(float), kp, a_rate, "A", "alt").rejected  # no 1/kp
            assert not sig.independence_test(D[:, 0::2], D[:, 1::2], a_share, "D", "alt").rejected


# ------------------------------------------------- each statistical property judges its own claim


@pytest.mark.parametrize("kp", sig.KEEP_PROBS)
def test_independence_is_judged_at_the_observed_keep_rate(kp: float) -> None:
    """A mask drawn with randn (keep rate Φ(kp), independent draws) breaks the keep-rate test
    (DROP-2) but not the independence test (DROP-5): DROP-5 judges only its own claim."""
    g = rng()
    shape = (sig.DROPOUT_UNITS, sig.DROPOUT_EXAMPLES)
    a_rate = sig.ALPHA / (2 * len(sig.KEEP_PROBS))
    a_share = sig.ALPHA / (3 * len(sig.KEEP_PROBS))
    for _ in range(20):
        D = g.standard_normal(shape) < kp
        assert sig.binomial_test(int(D.sum()), D.size, kp, a_rate, "D", "alt").rejected
        assert not sig.independence_test(D[:, 0::2], D[:, 1::2], a_share, "D", "alt").rejected
        assert not sig.independence_test(D[0::2], D[1::2], a_share, "D", "alt").rejected


def test_independence_false_alarm_rate_at_another_keep_rate() -> None:
    """Under independence at a keep rate other than the nominal one, Fisher's test still rejects
    at most α of the time (it conditions on the observed margins)."""
    g = rng()
    trials = 400
    rejected = 0
    for _ in range(trials):
        D = g.random((40, 50)) < 0.81  # Φ(0.86): the randn mask's rate
        rejected += sig.independence_test(D[:, 0::2], D[:, 1::2], LEVEL, "D", "alt").rejected
    assert_rate_at_most(rejected, trials, LEVEL)


# ------------------------------------------------------------------ the false-alarm budget


PROPERTIES = Path(__file__).resolve().parents[2] / "properties"


def _statistical_tests() -> dict[str, tuple[list[str], bool]]:
    """``{test name: (rule ids, has @given)}`` for every test of properties/ that reaches
    ``check_statistic`` (directly or through a helper of its module) or hard-codes a p-value test."""
    found: dict[str, tuple[list[str], bool]] = {}
    for path in sorted(PROPERTIES.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        calls = {name: {c.func.id for c in ast.walk(f) if isinstance(c, ast.Call)
                        and isinstance(c.func, ast.Name)}
                 for name, f in funcs.items()}
        statistical = {n for n, c in calls.items() if "check_statistic" in c}
        changed = True
        while changed:
            more = {n for n, c in calls.items() if c & statistical} - statistical
            statistical |= more
            changed = bool(more)
        for name in statistical:
            if not name.startswith("test_"):
                continue
            rules: list[str] = []
            given = False
            for dec in funcs[name].decorator_list:
                text = ast.unparse(dec)
                if text.startswith("pytest.mark.rule("):
                    rules += [ast.literal_eval(a) for a in dec.args]  # type: ignore[attr-defined]
                given = given or text.startswith("given(")
            found[f"{path.name}::{name}"] = (rules, given)
    return found


def test_the_budget_lists_every_statistical_property_and_none_runs_under_given() -> None:
    tests = _statistical_tests()
    assert len(tests) >= 10  # the search finds them (INIT, DROP, MISMATCH, DEPTH, SPLIT)
    budgeted = {b.rule for b in sig.BUDGET}
    for name, (rules, given) in tests.items():
        assert not given, f"{name} makes a statistical assertion per Hypothesis example"
        assert set(rules) & budgeted, f"{name} ({rules}) is missing from significance.BUDGET"


def test_a_run_fails_correct_code_with_probability_at_most_the_stated_budget() -> None:
    bound = sig.run_false_alarm_bound()
    assert bound <= sig.FALSE_ALARM_BUDGET, bound
    assert all(b.alpha <= sig.ALPHA for b in sig.BUDGET)  # ≤ 1e-6 per assertion (DEVELOPERS.md)
    assert f"{bound:.2g}" in (Path(__file__).resolve().parents[2] / "docs" / "STATISTICS.md"
                              ).read_text(encoding="utf-8")


# --------------------------------------------- the gradient-check golden tolerances, derived


def _course_gc_input() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    stream = np.random.RandomState(1)
    X = stream.randn(4, 3)
    shapes = {"W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}
    return {k: stream.randn(*s) for k, s in shapes.items()}, X, np.array([[1.0, 1.0, 0.0]])


def test_gradient_check_golden_tolerances_cover_the_derived_rounding_noise() -> None:
    from refnn import golden
    from refnn.conformance import oracle, rounding

    params, X, Y = _course_gc_input()
    keys = ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
    g = oracle.gradients(params, X, Y)
    planted = {**g, "dW2": g["dW2"] * 2, "db1": g["db1"] * 4}
    gv = np.concatenate([g[k].ravel() for k in keys])
    pv = np.concatenate([planted[k].ravel() for k in keys])
    theta = np.concatenate([params[k[1:]].ravel() for k in keys])
    cost_error = (rounding.network_cost_bound(params, X, Y)
                  + rounding.U * (np.abs(theta) + 1e-7) * np.abs(gv))
    fixed = rounding.difference_noise(cost_error, gv, 1e-7)
    shift = rounding.difference_shift(cost_error, pv, gv, 1e-7)
    assert 1e-6 < fixed < 2e-6 and 2e-6 < shift < 3e-6  # the figures golden/README.md quotes
    e_fixed = golden.entry("gradient_checking", "gradient_check_n_fixed_backprop")
    e_bug = golden.entry("gradient_checking", "gradient_check_n_buggy_backprop")
    assert e_fixed.tolerance("difference").abs >= fixed
    assert e_bug.tolerance("difference").abs >= shift
    # and still far too tight for the planted bugs to pass as fixed, or the reverse
    assert e_fixed.tolerance("difference").abs < 1e-3 < e_bug.scalar("difference")
    for entry_id, x, theta_ in (("gradient_check_1d_x3_theta4", 3, 4),
                                ("gradient_check_1d_x2_theta4", 2, 4)):
        noise = rounding.difference_noise(2 * rounding.U * abs(x * theta_), [x], 1e-7)
        e = golden.entry("gradient_checking", entry_id)
        assert noise <= e.tolerance("difference").abs < 1e-7
        assert 0 <= e.scalar("difference") <= noise  # the published value is inside the model


def test_reordered_arithmetic_passes_seed_3() -> None:
    """np.sum(…)/m instead of 1./m*np.sum(…) (1.19099e-07, a false alarm at rel 1e-9) passes."""
    from refnn import golden
    from refnn.conformance import oracle

    params, X, Y = _course_gc_input()
    g = oracle.gradients(params, X, Y)
    keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
    theta = np.concatenate([params[k].ravel() for k in keys])
    grad = np.concatenate([g["d" + k].ravel() for k in keys])

    def J(t: np.ndarray) -> float:
        p, start = {}, 0
        for k in keys:
            size = params[k].size
            p[k] = t[start:start + size].reshape(params[k].shape)
            start += size
        A = X
        for l in (1, 2, 3):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            A = np.maximum(Z, 0) if l < 3 else 1 / (1 + np.exp(-Z))
        return float(np.sum(-Y * np.log(A) - (1 - Y) * np.log(1 - A)) / 3)

    approx = np.zeros_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += 1e-7
        minus[i] -= 1e-7
        approx[i] = (J(plus) - J(minus)) / 2e-7
    d = np.linalg.norm(grad - approx) / (np.linalg.norm(grad) + np.linalg.norm(approx))
    e = golden.entry("gradient_checking", "gradient_check_n_fixed_backprop")
    assert d != e.scalar("difference")  # another realization of the noise
    assert e.compare("difference", d).ok and d < 2e-7
