"""refnn.conformance.hints: every hint-bearing mutant of the bug catalog gets its likely cause from the
values its failure gives (no suite run here: the values are written out as the properties report
them — the rule ids, the judged function, check_close's constant factor, the statistical test's
Evidence, the message), and failures of other shapes get no hint.

The values are those of the rule the mutant names (e.g. drop_randn_mask: DROP-2's keep-rate
test), which tests/conformance/test_catalog.py asserts is the rule that kills it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest

from refnn.conformance.hints import likely_cause
from refnn.conformance.judge import Evidence

FWD_DROP = "forward_propagation_with_dropout"
BWD_DROP = "backward_propagation_with_dropout"
HE = "initialize_parameters_he"
INIT_WHAT = "([400, 50, 300, 20]): the variance of all 41000 weights, each divided by its layer's prescribed standard deviation"


def evidence(what: str, observed: str, expected: str = "") -> Evidence:
    return Evidence(what=what, test="a scipy.stats test", observed=observed, expected=expected,
                    pvalue=0.0, alpha=1e-7, alternative="the named alternative")


def keep_rate(kp: float, rate: float) -> Evidence:
    k = round(rate * 10000)
    return evidence(f"{FWD_DROP}(keep_prob={kp}): the fraction of units kept in D1 (100, 100)",
                    f"{k} of 10000 ({k / 10000:.4f})", f"rate {kp:g}")


def phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


@dataclass(frozen=True)
class Case:
    mutant: str
    rules: tuple[str, ...]
    function: str
    hint: str
    """A phrase the hint must contain."""
    ratio: float | None = None
    evidence: Evidence | None = None
    message: str = ""
    kwargs: dict[str, object] = field(default_factory=dict)


CASES = [
    # dropout: the mask
    Case("drop_randn_mask", ("DROP-2",), FWD_DROP, "np.random.randn", evidence=keep_rate(0.25, phi(0.25))),
    Case("drop_randn_mask", ("DROP-2",), FWD_DROP, "np.random.randn", evidence=keep_rate(0.7, phi(0.7))),
    Case("drop_randn_mask", ("DROP-6",), FWD_DROP, "units are dropped at keep_prob = 1",
         message=f"{FWD_DROP}(keep_prob=1) mask D1: every unit kept: 1 of 1 entries differ; worst at "
                 "index (0, 0): expected 1.0, actual 0.0"),
    Case("drop_inverted_comparison", ("DROP-2",), FWD_DROP, "rand > keep_prob",
         evidence=keep_rate(0.25, 0.75)),
    Case("drop_inverted_comparison", ("DROP-6",), FWD_DROP, "rand > keep_prob",
         message=f"{FWD_DROP}(keep_prob=1) mask D1: every unit kept: 1 of 1 entries differ; worst at "
                 "index (0, 0): expected 1.0, actual 0.0"),
    Case("drop_cache_raw_uniform", ("DROP-6",), FWD_DROP, "uniform draws",
         message=f"{FWD_DROP}(X=array(1, 1) [[0.]], keep_prob=1.0): the value returned[1] (cache)[1] "
                 "(D1) must hold only 0/1 (a mask), got 0.417022004702574"),
    Case("drop_mask_shared_across_examples", ("DROP-5",), FWD_DROP, "share one mask",
         evidence=evidence(f"{FWD_DROP}(keep_prob=0.25): agreement of the masks of examples 2j and "
                           "2j+1 (columns) of D1", "5000 of 5000 pairs equal (1.0000)",
                           "independent masks: pairs equal at rate kp² + (1 − kp)² = 0.6250")),
    Case("drop_mask_reseeded_per_layer", ("DROP-5",), FWD_DROP, "np.random.seed",
         evidence=evidence(f"{FWD_DROP}(keep_prob=0.25): agreement of the masks of D1 and D2, entry "
                           "by entry", "10000 of 10000 pairs equal (1.0000)",
                           "independent masks: pairs equal at rate kp² + (1 − kp)² = 0.6250")),
    # dropout: the scaling and the layers
    Case("drop_fwd_no_scaling", ("DROP-1",), FWD_DROP, "missing /keep_prob", ratio=0.1,
         message=f"{FWD_DROP}(keep_prob=0.1) cache entry A2, given the cache's own masks D1 = "
                 "[[0, 0], [1, 0]], D2 = [[0, 1]]: 1 of 2 entries differ (actual = 0.1 × expected)"),
    Case("drop_no_inverted_scaling", ("DROP-4",), FWD_DROP, "missing /keep_prob",
         evidence=evidence(f"{FWD_DROP}(keep_prob=0.25): the mean of the stored A1 (100, 100) where "
                           "every relu(Z1) = 1", "mean of A = 0.2496", "mean 1 = relu(Z)")),
    Case("drop_fwd_double_scaling", ("DROP-1",), FWD_DROP, "twice", ratio=10.0,
         message=f"{FWD_DROP}(keep_prob=0.1) cache entry A2: 1 of 2 entries differ (actual = 10 × expected)"),
    Case("drop_fwd_double_scaling", ("DROP-4",), FWD_DROP, "twice",
         evidence=evidence(f"{FWD_DROP}(keep_prob=0.5): the mean of the stored A1 (100, 100) where "
                           "every relu(Z1) = 1", "mean of A = 1.9990", "mean 1 = relu(Z)")),
    Case("drop_output_layer", ("DROP-1",), FWD_DROP, "output layer", ratio=20.0,
         message=f"{FWD_DROP}(keep_prob=0.05) cache entry A3, given the cache's own masks D1 = [[0]], "
                 "D2 = [[0]]: 1 of 1 entries differ (actual = 20 × expected)"),
    Case("drop_input_layer", ("DROP-1",), FWD_DROP, "input X",
         message=f"{FWD_DROP}(keep_prob=0.1) cache entry Z1, given the cache's own masks D1 = [[0, 0], "
                 "[0, 0]], D2 = [[0, 0]]: 4 of 4 entries differ"),
    Case("drop_bwd_no_scaling", ("DROP-7",), BWD_DROP, "misses /keep_prob", ratio=0.64,
         message=f"{BWD_DROP}(keep_prob=0.8) dW1: golden/regularization.json"),
    Case("drop_bwd_double_scaling", ("DROP-7",), BWD_DROP, "twice", ratio=1 / 0.64,
         message=f"{BWD_DROP}(keep_prob=0.8) dW1: golden/regularization.json"),
    Case("drop_bwd_forgets_mask", ("DROP-7",), BWD_DROP, "mask D[l]",
         message=f"{BWD_DROP}(keep_prob=0.85) returned dA1 = [[-0.14, 0.0]], non-zero where D1 = "
                 "[[1, 0]] is 0: gradient flows into dropped units (dA[l] must be multiplied by D[l])"),
    # cost and L2
    Case("cost_sum_not_mean", ("COST-1",), "compute_cost", "sum instead of a mean", ratio=4.0,
         message="compute_cost(A3, Y) for m = 4:"),
    Case("cost_wrong_sign", ("COST-1",), "compute_cost", "wrong sign", ratio=-1.0,
         message="compute_cost(A3, Y) for m = 1:"),
    Case("l2cost_lambda_over_m", ("L2-1",), "compute_cost_with_regularization", "λ/m·Σ‖W‖² instead of λ/(2m)",
         ratio=2.0, message="compute_cost_with_regularization(λ=0.2) − (λ=0) for m = 1: the L2 term"),
    Case("l2cost_includes_biases", ("L2-1",), "compute_cost_with_regularization", "biases",
         message="compute_cost_with_regularization(λ=0.05) − (λ=0) for m = 1: the L2 term "
                 "λ/(2m)·Σ‖W‖² (Σ‖W‖² = 0): expected 0.0 actual 0.025"),
    Case("l2cost_includes_biases", ("L2-3",), "compute_cost_with_regularization", "biases"),
    Case("l2grad_2lambda_over_m", ("L2-2",), "backward_propagation_with_regularization", "2λ/m",
         ratio=2.0, message="dW1(λ=0.5) − dW1(λ=0) for m = 4: should be λ/m·W1"),
    Case("l2grad_missing_1_over_m", ("L2-2",), "backward_propagation_with_regularization", "1/m is missing",
         ratio=4.0, message="dW1(λ=0.5) − dW1(λ=0) for m = 4: should be λ/m·W1"),
    Case("l2grad_missing_layer1", ("L2-2",), "backward_propagation_with_regularization", "forgotten in dW1",
         message="dW1(λ=0.5) − dW1(λ=0) for m = 4: should be λ/m·W1: 20 of 20 entries differ; worst "
                 "at index (0, 0): expected 0.125, actual 0.0"),
    Case("l2grad_on_biases", ("L2-2",), "backward_propagation_with_regularization", "biases",
         message="db1(λ=0.5) − db1(λ=0): the biases are not regularized (b1 = [0.5, -1.0])"),
    # backward pass, update, predict
    Case("bp_dz3_wrong_sign", ("NET-2",), "backward_propagation", "wrong sign", ratio=-1.0,
         message="backward_propagation dW1 vs refnn.network.backward: 12 of 20 entries differ"),
    Case("bp_db_missing_1_over_m", ("NET-2",), "backward_propagation", "without the 1/m", ratio=6.0,
         message="backward_propagation db1 vs refnn.network.backward: 5 of 5 entries differ"),
    Case("bp_dw_transposed", ("NET-2",), "backward_propagation", "transposed",
         message="backward_propagation dW1 vs refnn.network.backward: expected shape (5, 4), got shape (4, 5)"),
    Case("bpn_planted_dw2_x2", ("NET-2", "GC-7"), "backward_propagation_n", "dW2 × 2", ratio=2.0,
         message="backward_propagation_n dW2 vs refnn.network.backward: 2 of 9 entries differ"),
    Case("bpn_planted_db1_4_over_m", ("NET-2", "GC-7"), "backward_propagation_n", "4/m", ratio=4.0,
         message="backward_propagation_n db1 vs refnn.network.backward: 1 of 3 entries differ"),
    Case("update_plus", ("NET-3",), "update_parameters", "p − α·dp, not p + α·dp", ratio=-1.0),
    Case("update_in_place", ("NET-3",), "update_parameters", "caller's arrays",
         message="the caller's array b3 after update_parameters (must not be modified in place)"),
    Case("predict_ge_half", ("NET-4",), "predict", "a3 ≥ 0.5",
         message="predict(X, y, all-zero parameters) where A3 = 0.5 exactly (1{A3 > 0.5} = 0)"),
    # initialization
    Case("init_he_fan_out", ("INIT-6",), HE, "fan-out", evidence=evidence(HE + INIT_WHAT, "variance ratio 6.1514")),
    Case("init_he_fan_out", ("INIT-6",), HE, "fan-out",
         evidence=evidence(f"{HE}([400, 50, 300, 20]): the variance of W2 ((300, 50)), divided by the "
                           "prescribed standard deviation 0.2", "variance ratio 0.1667")),
    Case("init_he_glorot", ("INIT-6",), HE, "Glorot", evidence=evidence(HE + INIT_WHAT, "variance ratio 0.6206")),
    Case("init_he_xavier", ("INIT-6",), HE, "Xavier", evidence=evidence(HE + INIT_WHAT, "variance ratio 0.4979")),
    Case("init_he_no_sqrt", ("INIT-6",), HE, "square root", evidence=evidence(HE + INIT_WHAT, "variance ratio 0.0180")),
    Case("init_he_rand_not_randn", ("INIT-6",), HE, "np.random.rand",
         evidence=evidence(HE + INIT_WHAT, "variance ratio 0.3341")),
    Case("init_he_uniform", ("INIT-7",), HE, "uniform",
         evidence=evidence(HE + "([400, 50, 300, 20]): the distribution of all 41000 weights",
                           "KS distance 0.0591")),
    Case("init_he_truncated", ("INIT-7",), HE, "truncated",
         evidence=evidence(HE + "([400, 50, 300, 20]): the distribution of all 41000 weights",
                           "KS distance 0.0196")),
    Case("init_he_transposed", ("INIT-1",), HE, "(n[l−1], n[l])",
         message="initialize_parameters_he(layers_dims=list of 2): the value returned['W1'] has shape "
                 "(3, 1), expected (1, 3)"),
    Case("init_he_off_by_one", ("INIT-1",), HE, "layer looks missing",
         message="initialize_parameters_he(layers_dims=list of 2): the value returned lacks the key(s) W1, b1"),
    Case("init_random_no_x10", ("INIT-5",), "initialize_parameters_random", "×10 is missing",
         evidence=evidence("initialize_parameters_random" + INIT_WHAT, "variance ratio 0.0100")),
    Case("init_random_x001", ("INIT-5",), "initialize_parameters_random", "randn·0.01",
         evidence=evidence("initialize_parameters_random" + INIT_WHAT, "variance ratio 0.0000")),
    Case("init_random_bias_randn", ("INIT-2",), "initialize_parameters_random", "np.zeros((n[l], 1))"),
    Case("init_zeros_tiny_noise", ("INIT-3",), "initialize_parameters_zeros", "exact zeros"),
    # gradient checking
    Case("gcn_eps_not_halved", ("GC-3", "GC-6"), "gradient_check_n", "/(2ε)",
         message="gradient_check_n with forward_propagation_n replaced by J(θ) and given its true "
                 "gradient returned 0.33333333331; expected < 1e-06"),
    Case("gcn_no_copy", ("GC-3", "GC-6"), "gradient_check_n", "np.copy",
         message="gradient_check_n with forward_propagation_n replaced by J(θ) and given its true "
                 "gradient returned 0.3333334; expected < 1e-06"),
    Case("gc_backward_swapped_args", ("GC-6",), "gradient_check", "(x, theta)",
         message="gradient_check(x=1.375, theta=0.0) with J = θx returned 1.0; a correct derivative "
                 "scores < 1e-06"),
    Case("gc_no_denominator", ("GC-1", "GC-2"), "gradient_check", "not divided",
         ratio=1.99998,
         message="gradient_check(x=0.0, theta=0.0, epsilon=0.01) with J(x, θ) = x·θ³ + sin θ + θ²/2: "
                 "the relative difference of the two-sided estimate 0.9999833334166665 from dJ/dθ = 1.0 "
                 "(a one-sided estimate would be 1.0049833334166665):\n  expected 8.333361111102026e-06\n"
                 "  actual   1.6666583333546647e-05 (actual = 1.99998 × expected wherever expected ≠ 0)"),
    Case("gc_one_sided", ("GC-1", "GC-2"), "gradient_check", "one-sided",
         message="gradient_check(x=0.0, theta=0.0, epsilon=0.01) with J(x, θ) = x·θ³ + sin θ + θ²/2: "
                 "the relative difference of the two-sided estimate 0.9999833334166665 from dJ/dθ = 1.0 "
                 "(a one-sided estimate would be 1.0049833334166665):\n  expected 8.333361111102026e-06\n"
                 f"  actual   {0.0049833334166665 / 2.0049833334166665!r}"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.mutant}-{'+'.join(c.rules)}" for c in CASES])
def test_each_hint_bearing_mutant_gets_its_likely_cause(case: Case) -> None:
    hint = likely_cause(case.rules, function=case.function, ratio=case.ratio,
                        evidence=case.evidence, message=case.message)
    assert case.hint in hint, hint
    assert "\n" not in hint and len(hint) <= 200


@pytest.mark.parametrize(("rules", "kwargs"), [
    (("DROP-2",), {"evidence": keep_rate(0.25, 0.25 + 0.04)}),  # off, but not of a known shape
    (("DROP-2",), {"evidence": keep_rate(0.5, 0.5)}),  # at 0.5 an inverted comparison is invisible
    (("DROP-5",), {"evidence": evidence("agreement of the masks of D1 and D2", "6400 of 10000 pairs equal (0.6400)")}),
    (("L2-1",), {"function": "compute_cost_with_regularization", "ratio": 0.997555}),
    (("COST-1",), {"function": "compute_cost", "ratio": 458.211, "message": "compute_cost(A3, Y) for m = 1"}),
    (("INIT-6",), {"function": HE, "evidence": evidence(HE + INIT_WHAT, "variance ratio 1.2000")}),
    (("NET-1",), {"function": "forward_propagation", "message": "A3: 4 of 4 entries differ"}),
    (("GC-5",), {"function": "dictionary_to_vector"}),
    (("SPLIT-1",), {}),
])
def test_failures_of_no_known_shape_get_no_hint(rules: tuple[str, ...], kwargs: dict[str, object]) -> None:
    assert likely_cause(rules, **kwargs) == ""  # type: ignore[arg-type]


def test_the_keep_rate_hint_needs_the_rate_to_match_the_mistake() -> None:
    """The randn hint is given for Φ(keep_prob), not for any rate far from keep_prob."""
    kp = 0.25
    assert "randn" in likely_cause(["DROP-2"], evidence=keep_rate(kp, phi(kp) + 0.01))
    assert likely_cause(["DROP-2"], evidence=keep_rate(kp, phi(kp) + 0.05)) == ""


def test_a_ratio_of_m_is_a_sum_only_when_it_is_m() -> None:
    assert "sum" in likely_cause(["COST-1"], ratio=5.0, message="for m = 5")
    assert likely_cause(["COST-1"], ratio=5.0, message="for m = 4") == ""
