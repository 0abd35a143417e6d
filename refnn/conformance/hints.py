"""Likely causes: what the values of a failure say about the shape of the mistake.

:func:`likely_cause` turns a failed property's rule ids, the target function it judged, the constant
factor ``ratio = actual / expected`` that :func:`refnn.conformance.judge.check_close` detected, the
:class:`~refnn.conformance.judge.Evidence` of a statistical test and, for what those cannot carry
(the ``keep_prob`` or ``m`` of the call, a shape, a returned difference), the failure's message, into
one line naming the likely mistake — where the bug catalog (``tests/catalog/mutants``) knows its
shape — and ``""`` everywhere else. Each hint below names the mutant(s) it was derived from;
``tests/conformance/test_hints.py`` checks that every hint-bearing mutant's failure gives its hint.

A hint is a guess, worded as one ("looks like"): the property's own report stays the verdict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["likely_cause"]

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def likely_cause(rules: Sequence[str], *, function: str = "", ratio: float | None = None,
                 evidence: object | None = None, message: str = "") -> str:
    """A one-line likely cause of a failure, or ``""`` when the catalog knows no mistake of its shape.

    Args:
        rules: the rule ids the failed property cites (``["DROP-2"]``).
        function: the target function it judged (``"forward_propagation_with_dropout"``).
        ratio: ``actual / expected`` where the two differ by a constant factor (``RuleViolation.ratio``).
        evidence: the statistical test's :class:`~refnn.conformance.judge.Evidence` (``what``,
            ``observed``, ``expected``; read by attribute, numbers or text).
        message: the failure's report, read only for what the other arguments do not carry.

    >>> likely_cause(["L2-1"], function="compute_cost_with_regularization", ratio=2.0)
    'the L2 term looks like λ/m·Σ‖W‖² instead of λ/(2m)·Σ‖W‖² (it is 2× too large)'
    >>> likely_cause(["DROP-2"], ratio=None)
    ''
    """
    facts = _Facts.gather(rules, function, ratio, evidence, message)
    for hint in _HINTS:
        text = hint(facts)
        if text:
            return text
    return ""


# --------------------------------------------------------------------------------- the facts


@dataclass(frozen=True)
class _Facts:
    """What one failure tells, parsed once."""

    rules: frozenset[str]
    function: str
    ratio: float | None
    message: str
    what: str = ""
    """The statistical test's subject (``Evidence.what``)."""
    observed: str = ""
    keep_prob: float | None = None
    m: int | None = None
    rate: float | None = None
    """An observed fraction: units kept, or mask pairs equal."""
    mean: float | None = None
    """An observed mean activation (DROP-4's test)."""
    variance: float | None = None
    """An observed variance ratio (the initializers' tests): observed / prescribed."""
    shapes: tuple[tuple[int, int], ...] = field(default_factory=tuple)
    """``(expected, actual)`` 2-D shapes, when the message compares two."""

    @classmethod
    def gather(cls, rules: Sequence[str], function: str, ratio: float | None,
               evidence: object | None, message: str) -> _Facts:
        what = str(getattr(evidence, "what", "") or "")
        observed_value = getattr(evidence, "observed", None)
        observed = "" if observed_value is None else str(observed_value)
        context = f"{what}\n{message}"
        rate = mean = variance = None
        if isinstance(observed_value, (int, float)) and not isinstance(observed_value, bool):
            rate = mean = variance = float(observed_value)
        else:
            rate = _first_float(r"\((" + _NUMBER + r")\)", observed)
            mean = _first_float(r"mean of A\w* = (" + _NUMBER + ")", observed)
            variance = _first_float(r"variance ratio (" + _NUMBER + ")", observed)
        return cls(
            rules=frozenset(rules), function=function,
            ratio=None if ratio is None or not math.isfinite(ratio) else float(ratio),
            message=message, what=what, observed=observed,
            keep_prob=_first_float(r"keep_prob\s*=\s*(" + _NUMBER + ")", context),
            m=_first_int(r"\bm\s*=\s*(\d+)", context),
            rate=rate, mean=mean, variance=variance, shapes=_shape_pair(message),
        )

    def has(self, *rules: str) -> bool:
        return any(r in self.rules for r in rules)

    def says(self, *words: str) -> bool:
        """Whether the message or the evidence mentions any of ``words``."""
        text = f"{self.what}\n{self.message}"
        return any(w in text for w in words)

    def ratio_is(self, value: float, rel: float = 1e-6) -> bool:
        return self.ratio is not None and math.isclose(self.ratio, value, rel_tol=rel)

    def whole_ratio(self) -> bool:
        """Whether ``ratio`` is a whole number ≥ 2 (to rounding): a count such as m."""
        r = self.ratio
        return r is not None and r >= 2 and math.isclose(r, round(r), rel_tol=1e-6)


def _first_float(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text)
    return float(found.group(1)) if found else None


def _first_int(pattern: str, text: str) -> int | None:
    found = re.search(pattern, text)
    return int(found.group(1)) if found else None


def _shape_pair(message: str) -> tuple[tuple[int, int], ...]:
    """``((expected), (actual))`` from "expected shape (5, 4), got shape (4, 5)" or "has shape
    (3, 1), expected (1, 3)"."""
    shape = r"\((\d+), (\d+)\)"
    found = re.search(r"expected shape " + shape + r", got shape " + shape, message)
    if found:
        a, b, c, d = (int(g) for g in found.groups())
        return ((a, b), (c, d))
    found = re.search(r"has shape " + shape + r", expected " + shape, message)
    if found:
        a, b, c, d = (int(g) for g in found.groups())
        return ((c, d), (a, b))
    return ()


def _phi(x: float) -> float:
    """The standard normal CDF Φ(x)."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _near(value: float | None, target: float, tol: float) -> bool:
    return value is not None and abs(value - target) <= tol


def _powers(value: float | None, base: float | None, exponents: Sequence[int]) -> int | None:
    """The exponent k (of ``exponents``) with ``value ≈ base**k``, else ``None``."""
    if value is None or base is None or base <= 0 or base == 1:
        return None
    for k in exponents:
        if math.isclose(value, base ** k, rel_tol=1e-4):  # printed golden values: 8 decimals
            return k
    return None


# ------------------------------------------------------------------------------ the hints

Hint = Callable[[_Facts], str]
_HINTS: list[Hint] = []


def _hint(func: Hint) -> Hint:
    _HINTS.append(func)
    return func


KEEP_RATE_TOLERANCE = 0.02
"""How close an observed keep rate must come to a mistake's rate (10000 draws: σ ≤ 0.005)."""


@_hint
def _dropout_keep_rate(f: _Facts) -> str:
    """DROP-2, from the keep rate observed at a keep_prob (mutants drop_randn_mask,
    drop_inverted_comparison)."""
    kp, r = f.keep_prob, f.rate
    if not f.has("DROP-2") or kp is None or r is None:
        return ""
    tol = KEEP_RATE_TOLERANCE
    if abs(_phi(kp) - kp) > 2 * tol and _near(r, _phi(kp), tol):
        return (f"the mask looks drawn with np.random.randn (randn < keep_prob keeps Φ(keep_prob) = "
                f"{_phi(kp):.3f} at keep_prob = {kp:g}; observed {r:.3f}): use np.random.rand")
    if abs(kp - 0.5) > 2 * tol and _near(r, 1 - kp, tol):
        return (f"the comparison looks inverted (rand > keep_prob keeps 1 − keep_prob = {1 - kp:.3f} "
                f"at keep_prob = {kp:g}; observed {r:.3f}): keep a unit when rand < keep_prob")
    if abs(kp - 0.5) > 2 * tol and _near(r, 0.5, tol):
        return (f"the keep rate is ≈ 0.5 although keep_prob = {kp:g}: the mask ignores keep_prob "
                "(np.random.randn(...) > 0, or a threshold of 0.5?): use np.random.rand(...) < keep_prob")
    return ""


@_hint
def _dropout_shared_masks(f: _Facts) -> str:
    """DROP-5, from the agreement of two masks that should be independent (mutants
    drop_mask_shared_across_examples, drop_mask_reseeded_per_layer)."""
    if not f.has("DROP-5") or f.rate is None or f.rate < 0.95:
        return ""
    if f.says("examples", "columns"):
        return ("the examples look like they share one mask: draw D[l] with the shape of A[l], "
                "(n[l], m) — not (n[l], 1) broadcast or tiled across the batch")
    if f.says("units", "rows"):
        return ("the units look like they share one mask: draw D[l] with the shape of A[l], "
                "(n[l], m) — not (1, m)")
    if f.says("D1 and D2"):
        return ("D2 repeats D1's draws: np.random.seed looks called again before D2 (seed once, "
                "at the start of the forward pass, or not at all)")
    return ""


@_hint
def _dropout_forward_scaling(f: _Facts) -> str:
    """DROP-1/DROP-3/DROP-4: the stored activations off by keep_prob, from a ratio or DROP-4's mean
    (mutants drop_fwd_no_scaling, drop_no_inverted_scaling, drop_fwd_double_scaling,
    drop_output_layer)."""
    if not f.has("DROP-1", "DROP-3", "DROP-4") or f.function.startswith("backward"):
        return ""
    kp = f.keep_prob
    if kp is None or not 0 < kp < 1:
        return ""
    factor = f.ratio
    if factor is None and f.has("DROP-4") and f.mean is not None:  # the mean of A where relu(Z) = 1
        factor = f.mean
    if factor is None:
        return ""
    if f.says("A3") and math.isclose(factor, 1 / kp, rel_tol=1e-6):
        return ("the output layer looks dropped too (A3 is 1/keep_prob too large): apply dropout "
                "to the hidden layers only")
    rel = 1e-6 if f.ratio is not None else 0.05
    if math.isclose(factor, kp, rel_tol=rel):
        return (f"missing /keep_prob: the stored activation is keep_prob = {kp:g} times too small "
                "(inverted dropout stores A[l] = relu(Z[l])·D[l]/keep_prob)")
    if math.isclose(factor, 1 / kp, rel_tol=rel):
        return (f"divided by keep_prob twice: the stored activation is 1/keep_prob = {1 / kp:.4g} "
                "times too large")
    return ""


@_hint
def _dropout_forward_layers(f: _Facts) -> str:
    """DROP-1: Z1 wrong although no mask comes before it (mutant drop_input_layer)."""
    if f.has("DROP-1") and f.says("cache entry Z1"):
        return ("Z1 = W1·X + b1 differs: the input X looks dropped too (dropout belongs on the "
                "hidden layers only)")
    return ""


@_hint
def _dropout_keep_prob_1(f: _Facts) -> str:
    """DROP-6 at keep_prob = 1, from the cached mask (mutants drop_randn_mask,
    drop_inverted_comparison, drop_cache_raw_uniform)."""
    if f.has("DROP-1", "DROP-6") and f.says("only 0/1"):
        return ("the cached D is not 0/1: the cache looks like it stores the uniform draws U instead "
                "of the mask D = (U < keep_prob)")
    if not f.has("DROP-6") or not f.says("mask D"):
        return ""
    actual = _first_float(r"actual (" + _NUMBER + ")", f.message)
    if actual is not None and actual not in (0.0, 1.0):
        return (f"the cached D holds {actual:g}, not 0 or 1: the cache looks like it stores the "
                "uniform draws U instead of the mask D = (U < keep_prob)")
    return ("units are dropped at keep_prob = 1: the mask looks not drawn as "
            "np.random.rand(...) < keep_prob (np.random.randn, or rand > keep_prob, drop units even then)")


@_hint
def _dropout_backward(f: _Facts) -> str:
    """DROP-7: the backward pass's scaling or mask (mutants drop_bwd_no_scaling,
    drop_bwd_double_scaling, drop_bwd_forgets_mask)."""
    if not f.has("DROP-7"):
        return ""
    if f.says("flows into dropped units"):
        return "dA[l] looks not multiplied by the cached mask D[l] (dA[l] = dA[l]·D[l]/keep_prob)"
    k = _powers(f.ratio, f.keep_prob, (1, 2))
    if k is not None:
        return (f"the backward pass looks like it misses /keep_prob (the gradient is keep_prob^{k} "
                "too small): dA[l] = dA[l]·D[l]/keep_prob, as in the forward pass")
    k = _powers(f.ratio, f.keep_prob, (-1, -2))
    if k is not None:
        return (f"the backward pass looks like it divides by keep_prob twice (the gradient is "
                f"keep_prob^{k} too large)")
    return ""


@_hint
def _cost(f: _Facts) -> str:
    """COST-1 (mutants cost_sum_not_mean, cost_wrong_sign)."""
    if not f.has("COST-1") or f.has("L2-1"):
        return ""
    if f.ratio_is(-1):
        return "the cost has the wrong sign: J = −(1/m) Σ [y log a + (1 − y) log(1 − a)]"
    if f.whole_ratio() and (f.m is None or f.ratio_is(f.m)):
        return "the cost looks like a sum instead of a mean over the m examples: the 1/m is missing"
    return ""


@_hint
def _l2_cost(f: _Facts) -> str:
    """L2-1/L2-3 on the cost (mutants l2cost_lambda_over_m, l2cost_includes_biases)."""
    if not f.has("L2-1", "L2-3") or f.function.startswith("backward"):
        return ""
    if f.has("L2-1") and f.ratio_is(2):
        return "the L2 term looks like λ/m·Σ‖W‖² instead of λ/(2m)·Σ‖W‖² (it is 2× too large)"
    if f.has("L2-1") and f.ratio_is(0.5):
        return "the L2 term looks like λ/(4m)·Σ‖W‖²: λ/(2m) is meant (it is half as large)"
    if f.has("L2-3") or f.says("Σ‖W‖² = 0"):
        return "the penalty looks like it includes the biases: sum ‖W[l]‖² over the weights only"
    return ""


@_hint
def _l2_gradient(f: _Facts) -> str:
    """L2-2/L2-3 on the gradient (mutants l2grad_2lambda_over_m, l2grad_missing_1_over_m,
    l2grad_on_biases)."""
    if not f.has("L2-2", "L2-3") or (f.function and not f.function.startswith("backward")):
        return ""
    if f.has("L2-3") or re.search(r"\bdb\d", f.message):  # L2-2: the bias gradients are unchanged
        return "λ/m·b[l] looks added to db[l]: the biases are not regularized (db[l] = db_CE[l])"
    if f.ratio_is(2) and f.m == 2:
        return ("the L2 gradient looks like 2λ/m·W[l], or λ·W[l] without the 1/m (at m = 2 the two "
                "agree): it is λ/m·W[l]")
    if f.ratio_is(2):
        return ("the L2 gradient looks like 2λ/m·W[l] (the derivative of λ/m·‖W‖²): "
                "d/dW of λ/(2m)·‖W‖² is λ/m·W")
    if f.ratio_is(0.5):
        return "the L2 gradient looks like λ/(2m)·W[l] (the cost's ½ kept): it is λ/m·W[l]"
    if f.m is not None and f.m >= 3 and f.ratio_is(f.m):
        return "the L2 gradient looks like λ·W[l]: the 1/m is missing (λ/m·W[l])"
    layer = re.search(r"dW(\d+)\(λ=", f.message)
    if f.ratio is None and layer and re.search(r"actual 0\.0\b", f.message):
        return f"the L2 term looks forgotten in dW{layer.group(1)} (every dW[l] gets + λ/m·W[l])"
    return ""


@_hint
def _backward_pass(f: _Facts) -> str:
    """NET-2/GC-7 (mutants bp_dz3_wrong_sign, bp_db_missing_1_over_m, bp_dw_transposed,
    bpn_planted_dw2_x2, bpn_planted_db1_4_over_m)."""
    if not f.has("NET-2", "GC-7"):
        return ""
    if f.function == "backward_propagation_n" and f.ratio_is(2) and f.says("dW2"):
        return "backward_propagation_n still holds the notebook's planted bug: dW2 × 2"
    if f.function == "backward_propagation_n" and f.ratio_is(4) and f.says("db1"):
        return "backward_propagation_n still holds the notebook's planted bug: db1 = 4/m · Σ dZ1"
    if f.ratio_is(-1):
        return "every gradient has the wrong sign: dZ[L] = A[L] − Y, not Y − A[L]"
    if f.says("db") and f.whole_ratio():
        return "db[l] looks like Σ dZ[l] without the 1/m (dW[l] has it)"
    if len(f.shapes) == 2 and f.shapes[0] == f.shapes[1][::-1] and f.shapes[0][0] != f.shapes[0][1]:
        return "dW[l] looks transposed: dW[l] = (1/m)·dZ[l]·A[l−1]ᵀ, of W[l]'s shape (n[l], n[l−1])"
    return ""


@_hint
def _update(f: _Facts) -> str:
    """NET-3 (mutants update_plus, update_in_place)."""
    if not f.has("NET-3"):
        return ""
    if f.ratio_is(-1):
        return "the update climbs the gradient: p ← p − α·dp, not p + α·dp"
    if f.says("in place"):
        return "the update writes into the caller's arrays (-=): compute p − α·dp into a new array"
    return ""


@_hint
def _predict(f: _Facts) -> str:
    """NET-4 (mutant predict_ge_half)."""
    if f.has("NET-4") and f.says("0.5 exactly", "exactly one half"):
        return "a3 = 0.5 is predicted 1: the course predicts 1{a3 > 0.5}, not a3 ≥ 0.5"
    return ""


def _layer_sizes(what: str) -> list[tuple[int, int]]:
    """``[(n[l], n[l−1]), …]`` of one layer ("W2 ((300, 50))") or of all ("([400, 50, 300, 20])")."""
    one = re.search(r"W\d+ \(\((\d+), (\d+)\)\)", what)
    if one:
        return [(int(one.group(1)), int(one.group(2)))]
    dims = re.search(r"\(\[(\d+(?:, \d+)+)\]\)", what)
    if dims:
        n = [int(x) for x in dims.group(1).split(", ")]
        return [(n[l], n[l - 1]) for l in range(1, len(n))]
    return []


def _pooled(layers: list[tuple[int, int]], ratio: Callable[[int, int], float]) -> float:
    """The variance ratio of all weights pooled when layer l's is ``ratio(n[l], n[l−1])``."""
    sizes = [a * b for a, b in layers]
    return sum(s * ratio(a, b) for s, (a, b) in zip(sizes, layers)) / sum(sizes)


_HE_MISTAKES: tuple[tuple[str, Callable[[int, int], float]], ...] = (
    ("the fan-out n[l] instead of the fan-in n[l−1]: √(2/n[l−1])", lambda out, fan: fan / out),
    ("Glorot's fan average √(2/(n[l−1] + n[l])) instead of He's √(2/n[l−1])",
     lambda out, fan: fan / (fan + out)),
    ("the Xavier/LeCun scale √(1/n[l−1]) instead of He's √(2/n[l−1])", lambda out, fan: 0.5),
    ("2/n[l−1] without the square root (the variance used as the standard deviation)",
     lambda out, fan: 2 / fan),
    ("np.random.rand (uniform on [0, 1)) instead of np.random.randn", lambda out, fan: 1 / 3),
)


@_hint
def _initializer_variance(f: _Facts) -> str:
    """INIT-5/INIT-6, from the variance ratio (mutants init_he_fan_out, init_he_glorot,
    init_he_xavier, init_he_no_sqrt, init_he_rand_not_randn, init_random_no_x10,
    init_random_x001)."""
    v = f.variance
    if v is None or not f.has("INIT-5", "INIT-6", "INIT-9"):
        return ""
    if f.has("INIT-5"):
        if math.isclose(v, 0.01, rel_tol=0.05):
            return "the weights look like randn·1: the ×10 is missing (the course draws randn·10)"
        if v < 5e-5:  # randn·0.01: a variance ratio of 1e-6 (printed as 0.0000)
            return ("the weights look like randn·0.01 (the shallow-network habit): the course draws "
                    "randn·10")
        if math.isclose(v, 1 / 3, rel_tol=0.05):
            return "the weights look drawn with np.random.rand (uniform on [0, 1)): use np.random.randn·10"
        return ""
    layers = _layer_sizes(f.what)
    if not layers:
        return ""
    for text, ratio in _HE_MISTAKES:
        if math.isclose(v, _pooled(layers, ratio), rel_tol=0.05):
            return f"the He scale looks like {text}"
    return ""


@_hint
def _initializer_distribution(f: _Facts) -> str:
    """INIT-7 (mutants init_he_uniform, init_he_truncated)."""
    if f.has("INIT-7") and f.function.startswith("initialize"):
        return ("the weights are not normal: a uniform (kaiming_uniform_, he_uniform) or truncated "
                "(jax/keras he_normal) draw looks used; the lecture draws np.random.randn")
    return ""


@_hint
def _initializer_shapes(f: _Facts) -> str:
    """INIT-1/INIT-2/INIT-3 (mutants init_he_transposed, init_he_off_by_one,
    init_random_bias_randn, init_zeros_tiny_noise)."""
    if f.has("INIT-1") and len(f.shapes) == 2 and f.shapes[0] == f.shapes[1][::-1]:
        return ("W[l] looks laid out (n[l−1], n[l]) — the frameworks' layout; the course's is "
                "(n[l], n[l−1])")
    if f.has("INIT-1") and f.says("lacks the key"):
        return "a layer looks missing: the loop must run l = 1..L (range(1, len(layers_dims)))"
    if f.has("INIT-2"):
        return "the biases are not zero: b[l] = np.zeros((n[l], 1)) (the weights break symmetry)"
    if f.has("INIT-3"):
        return "zero initialization must return exact zeros (no noise: that is random initialization's job)"
    return ""


@_hint
def _gradient_check(f: _Facts) -> str:
    """GC-1/GC-3/GC-6 from the difference a checker returned (mutants gcn_eps_not_halved,
    gcn_no_copy, gc_backward_swapped_args)."""
    if not f.has("GC-1", "GC-3", "GC-6") or not f.function.startswith("gradient_check"):
        return ""
    d = _first_float(r"returned (" + _NUMBER + ")", f.message)
    if d is not None and math.isclose(d, 1 / 3, rel_tol=1e-3):
        if f.function == "gradient_check_n":
            return ("gradapprox looks 2× or ½× the gradient (difference 1/3): (J⁺ − J⁻)/ε instead of "
                    "/(2ε), or θ perturbed in place without np.copy (so J⁻ = J(θ))")
        return "gradapprox looks 2× or ½× the derivative (difference 1/3): (J⁺ − J⁻)/ε instead of /(2ε)"
    if d is not None and d == 1.0 and f.has("GC-6") and f.says("with J = θx returned"):
        return ("one of the two derivatives is 0 (difference 1 for J = θx at θ = 0): is "
                "backward_propagation called as (x, theta)?")
    return ""


@_hint
def _one_dimensional_difference(f: _Facts) -> str:
    """GC-1/GC-2 on the 1-D check, from the estimates its report gives (mutants gc_no_denominator,
    gc_one_sided)."""
    if not f.has("GC-1", "GC-2") or f.function != "gradient_check":
        return ""
    two = _first_float(r"two-sided estimate (" + _NUMBER + ")", f.message)
    true = _first_float(r"dJ/dθ = (" + _NUMBER + ")", f.message)
    one = _first_float(r"one-sided estimate would be (" + _NUMBER + ")", f.message)
    actual = _first_float(r"actual +(" + _NUMBER + ")", f.message)
    if None in (two, true, one, actual):
        return ""
    assert two is not None and true is not None and one is not None and actual is not None
    if math.isclose(actual, abs(true - two), rel_tol=1e-6):
        return "the difference looks not divided by ‖grad‖₂ + ‖gradapprox‖₂ (it is ‖grad − gradapprox‖₂)"
    if math.isclose(actual, abs(true - one) / (abs(true) + abs(one)), rel_tol=1e-6):
        return ("the difference looks one-sided, (J(θ + ε) − J(θ))/ε with error O(ε): use "
                "(J(θ + ε) − J(θ − ε))/(2ε)")
    return ""
