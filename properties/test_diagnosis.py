"""Bias / variance diagnosis (docs/SPEC.md, ``DIAG-*``): lecture, "Bias and Variance" and "Basic Recipe
for Machine Learning".

The target's ``diagnose_bias_variance(train_error, dev_error, *, bayes_error=0.0)`` (errors as
fractions) returns an object with ``high_bias``, ``high_variance`` (bools), ``diagnosis`` (whose
``name`` is ``NEITHER``, ``HIGH_BIAS``, ``HIGH_VARIANCE`` or ``BOTH``) and ``recipe`` (steps whose
``name``s are ``BIGGER_NETWORK``, ``TRAIN_LONGER``, ``ARCHITECTURE_SEARCH``, ``MORE_DATA``,
``REGULARIZATION``). Thresholds are the target's defaults.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn.conformance.judge import check
from refnn.conformance.plugin import Subject

# Error rates on a grid of 0.1 percentage points, so counterexamples read as percentages.
errors = st.integers(0, 1000).map(lambda k: k / 1000)


def _budget(fraction: float) -> settings:
    return settings(max_examples=max(2, round(settings().max_examples * fraction)),
                    deadline=None)


def _verdict(report: Any) -> tuple[bool, bool]:
    return bool(report.high_bias), bool(report.high_variance)


def _names(steps: Any) -> list[str]:
    return [str(getattr(s, "name", s)) for s in steps]


@pytest.mark.rule("DIAG-1")
@pytest.mark.parametrize(
    ("train", "dev", "bayes", "want"),
    [
        (0.01, 0.11, 0.0, "HIGH_VARIANCE"),
        (0.15, 0.16, 0.0, "HIGH_BIAS"),
        (0.15, 0.30, 0.0, "BOTH"),
        (0.005, 0.01, 0.0, "NEITHER"),
        (0.15, 0.16, 0.15, "NEITHER"),
    ],
    ids=["1%/11%: high variance", "15%/16%: high bias", "15%/30%: both",
         "0.5%/1%: neither", "15%/16% with Bayes 15%: neither"],
)
def test_the_lectures_table(target: Subject, train: float, dev: float, bayes: float,
                            want: str) -> None:
    """DIAG-1: the notes' cat-classifier table — 1%/11% high variance, 15%/16% high bias,
    15%/30% both, 0.5%/1% neither; with a Bayes error of 15%, 15%/16% is neither."""
    fn = target.require("diagnose_bias_variance")
    r = fn.call(train, dev, bayes_error=bayes)
    got = str(r.diagnosis.name)
    check(got == want, f"diagnose_bias_variance({train}, {dev}, bayes_error={bayes}) is {got}, "
          f"but the lecture says {want}")
    check(_verdict(r) == (want in ("HIGH_BIAS", "BOTH"), want in ("HIGH_VARIANCE", "BOTH")),
          f"high_bias/high_variance {_verdict(r)} disagree with the diagnosis {got}")


@pytest.mark.rule("DIAG-2")
@_budget(0.3)
@given(train=errors, dev=errors, more=errors, bayes=errors)
def test_more_dev_error_never_lowers_the_variance_verdict(target: Subject, train: float,
                                                          dev: float, more: float,
                                                          bayes: float) -> None:
    """DIAG-2: with train and Bayes error fixed, a larger dev error never turns high variance
    into not-high variance (and never changes the bias verdict)."""
    fn = target.require("diagnose_bias_variance")
    bayes = min(bayes, train)
    hi = max(dev, more)
    lo_r, hi_r = fn.call(train, min(dev, more), bayes_error=bayes), fn.call(train, hi, bayes_error=bayes)
    check(not (lo_r.high_variance and not hi_r.high_variance),
          f"dev error {min(dev, more)} is high variance but {hi} is not (train {train})")
    check(bool(lo_r.high_bias) == bool(hi_r.high_bias),
          f"changing only the dev error ({min(dev, more)} → {hi}) changed the bias verdict")


@pytest.mark.rule("DIAG-3")
@_budget(0.3)
@given(train=errors, more=errors, dev=errors, bayes=errors)
def test_more_training_error_never_lowers_the_bias_verdict(target: Subject, train: float,
                                                           more: float, dev: float,
                                                           bayes: float) -> None:
    """DIAG-3: with dev and Bayes error fixed, a larger training error never turns high bias into
    not-high bias."""
    fn = target.require("diagnose_bias_variance")
    lo, hi = min(train, more), max(train, more)
    bayes = min(bayes, lo)
    lo_r, hi_r = fn.call(lo, dev, bayes_error=bayes), fn.call(hi, dev, bayes_error=bayes)
    check(not (lo_r.high_bias and not hi_r.high_bias),
          f"training error {lo} is high bias but {hi} is not (dev {dev}, Bayes {bayes})")


@pytest.mark.rule("DIAG-4")
@_budget(0.3)
@given(train=errors, dev=errors, b1=errors, b2=errors)
def test_bias_is_measured_from_the_bayes_error(target: Subject, train: float, dev: float,
                                               b1: float, b2: float) -> None:
    """DIAG-4: the bias verdict looks at the avoidable bias e_train − e_Bayes: a training error equal
    to the Bayes error is never high bias, and a higher Bayes error never raises the bias verdict
    (nor changes the variance verdict)."""
    fn = target.require("diagnose_bias_variance")
    lo, hi = min(b1, b2, train), min(max(b1, b2), train)
    at_bayes = fn.call(train, dev, bayes_error=train)
    check(not at_bayes.high_bias,
          f"training error {train} equal to the Bayes error was judged high bias")
    lo_r, hi_r = fn.call(train, dev, bayes_error=lo), fn.call(train, dev, bayes_error=hi)
    check(not (hi_r.high_bias and not lo_r.high_bias),
          f"Bayes error {hi} gives high bias but the lower {lo} does not (train {train})")
    check(bool(lo_r.high_variance) == bool(hi_r.high_variance),
          "changing only the Bayes error changed the variance verdict")


@pytest.mark.rule("DIAG-5")
@pytest.mark.parametrize(
    ("train", "dev", "first", "must", "must_not"),
    [
        (0.15, 0.16, "BIGGER_NETWORK", {"BIGGER_NETWORK", "TRAIN_LONGER"},
         {"MORE_DATA", "REGULARIZATION"}),
        (0.01, 0.11, "MORE_DATA", {"MORE_DATA", "REGULARIZATION"},
         {"BIGGER_NETWORK", "TRAIN_LONGER"}),
        (0.15, 0.30, "BIGGER_NETWORK", {"BIGGER_NETWORK", "TRAIN_LONGER", "MORE_DATA",
                                        "REGULARIZATION"}, set()),
        (0.005, 0.01, None, set(), {"BIGGER_NETWORK", "TRAIN_LONGER", "MORE_DATA",
                                    "REGULARIZATION"}),
    ],
    ids=["high bias", "high variance", "both: bias first", "neither: done"],
)
def test_the_recipe_follows_the_lectures_basic_recipe(target: Subject, train: float, dev: float,
                                                      first: str | None, must: set[str],
                                                      must_not: set[str]) -> None:
    """DIAG-5: high bias → bigger network, train longer, (NN architecture search); high variance →
    more data, regularization, (NN architecture search); both → the bias steps first; neither →
    no step (done)."""
    r = target.require("diagnose_bias_variance").call(train, dev)
    steps = _names(r.recipe)
    check(must <= set(steps) and not (must_not & set(steps)),
          f"recipe for {train}/{dev} is {steps}: it should contain {sorted(must)} and none of "
          f"{sorted(must_not)}")
    if first is None:
        check(steps == [], f"recipe for 'neither' is {steps}, but should be empty (done)")
    else:
        check(steps[0] == first, f"recipe for {train}/{dev} starts with {steps[0]}, not {first}")
