"""Bias / variance diagnosis from training and dev errors, and the lecture's basic recipe.

Lecture, "Bias and Variance" (cat classifier, human error ≈ 0%):

=============  ===========  ====================================
train error    dev error    verdict
=============  ===========  ====================================
1%             11%          high variance ("overfitting")
15%            16%          high bias ("underfitting")
15%            30%          high bias & high variance
0.5%           1%           low bias & low variance
=============  ===========  ====================================

and, when the optimal (Bayes) error is 15% (e.g. blurry images), 15% / 16% is fine.

The rule refnn implements, with ``e_train``, ``e_dev``, ``e_Bayes`` as fractions in [0, 1]::

    avoidable bias = e_train − e_Bayes        high bias     ⇔  e_train − e_Bayes > bias_threshold
    variance       = e_dev − e_train          high variance ⇔  e_dev − e_train  > variance_threshold

Default thresholds: 0.02 (two percentage points) each — twice the 1-point gaps the notes treat as
fine (15%/16%: variance 1 point; 1%/11%: avoidable bias 1 point), well below the 10-point gaps
they call high. Both are parameters.

Lecture, "Basic Recipe for Machine Learning": high bias (training performance) → bigger network,
train longer, (NN architecture search); repeat until the bias is fixed; then high variance (dev
performance) → more data, regularization, (NN architecture search); repeat; then done.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from refnn import validation

DEFAULT_BIAS_THRESHOLD = 0.02
"""Default ``bias_threshold``: avoidable bias above 2 percentage points is high."""

DEFAULT_VARIANCE_THRESHOLD = 0.02
"""Default ``variance_threshold``: a dev − train gap above 2 percentage points is high."""

_ROUNDING = 1e-12
"""Differences within this of a threshold count as equal to it: 0.05 − 0.03 is 2 points, although
it is 0.020000000000000004 in floating point."""


class Diagnosis(enum.Enum):
    """The four verdicts of the lecture's table."""

    NEITHER = "low bias & low variance"
    HIGH_BIAS = "high bias (underfitting)"
    HIGH_VARIANCE = "high variance (overfitting)"
    BOTH = "high bias & high variance"

    @property
    def high_bias(self) -> bool:
        """Whether this verdict includes high bias."""
        return self in (Diagnosis.HIGH_BIAS, Diagnosis.BOTH)

    @property
    def high_variance(self) -> bool:
        """Whether this verdict includes high variance."""
        return self in (Diagnosis.HIGH_VARIANCE, Diagnosis.BOTH)

    @classmethod
    def of(cls, high_bias: bool, high_variance: bool) -> Diagnosis:
        """The verdict with the given two flags."""
        if high_bias and high_variance:
            return cls.BOTH
        if high_bias:
            return cls.HIGH_BIAS
        if high_variance:
            return cls.HIGH_VARIANCE
        return cls.NEITHER


class Remedy(enum.Enum):
    """The steps of the lecture's basic recipe."""

    BIGGER_NETWORK = "bigger network (more layers / hidden units)"
    TRAIN_LONGER = "train longer (more epochs)"
    ARCHITECTURE_SEARCH = "(NN architecture search)"
    MORE_DATA = "more data"
    REGULARIZATION = "regularization"


_BIAS_REMEDIES = (Remedy.BIGGER_NETWORK, Remedy.TRAIN_LONGER, Remedy.ARCHITECTURE_SEARCH)
_VARIANCE_REMEDIES = (Remedy.MORE_DATA, Remedy.REGULARIZATION, Remedy.ARCHITECTURE_SEARCH)


@dataclass(frozen=True, slots=True)
class BiasVarianceReport:
    """What :func:`diagnose_bias_variance` concludes.

    Attributes:
        diagnosis: the verdict.
        high_bias, high_variance: its two flags.
        avoidable_bias: ``e_train − e_Bayes`` (may be negative).
        variance: ``e_dev − e_train`` (may be negative).
        recipe: :func:`basic_recipe` of the verdict — what to try next; empty means done.
    """

    diagnosis: Diagnosis
    high_bias: bool
    high_variance: bool
    avoidable_bias: float
    variance: float
    recipe: tuple[Remedy, ...]


def basic_recipe(diagnosis: Diagnosis) -> tuple[Remedy, ...]:
    """The lecture's "Basic Recipe for Machine Learning" for a verdict, in the order to try.

    High bias first (bigger network, train longer, (NN architecture search)), because the recipe
    fixes training performance before dev performance; then high variance (more data,
    regularization, (NN architecture search)). Neither: ``()`` — done.

    Example:
        >>> [r.name for r in basic_recipe(Diagnosis.HIGH_VARIANCE)]
        ['MORE_DATA', 'REGULARIZATION', 'ARCHITECTURE_SEARCH']
        >>> basic_recipe(Diagnosis.NEITHER)
        ()
    """
    if not isinstance(diagnosis, Diagnosis):
        raise validation.fail_type("basic_recipe", "diagnosis", "a Diagnosis", diagnosis)
    steps: list[Remedy] = []
    if diagnosis.high_bias:
        steps.extend(_BIAS_REMEDIES)
    if diagnosis.high_variance:
        steps.extend(r for r in _VARIANCE_REMEDIES if r not in steps)
    return tuple(steps)


def _error(func: str, name: str, value: object) -> float:
    return validation.real(func, name, value, low=0.0, high=1.0,
                           range_text="an error rate in [0, 1] (a fraction: 11% is 0.11)")


def diagnose_bias_variance(
    train_error: float,
    dev_error: float,
    *,
    bayes_error: float = 0.0,
    bias_threshold: float = DEFAULT_BIAS_THRESHOLD,
    variance_threshold: float = DEFAULT_VARIANCE_THRESHOLD,
) -> BiasVarianceReport:
    """Diagnose high bias and/or high variance from the training and dev errors.

    ``high bias ⇔ e_train − e_Bayes > bias_threshold``;
    ``high variance ⇔ e_dev − e_train > variance_threshold`` (differences within 1e-12 of a
    threshold count as equal to it, so that 5% − 3% is exactly two points).

    Lecture, "Bias and Variance": 1%/11% high variance, 15%/16% high bias, 15%/30% both,
    0.5%/1% neither (human error ≈ 0%); with a Bayes error of 15%, 15%/16% is fine.

    Args:
        train_error: ``e_train`` in [0, 1].
        dev_error: ``e_dev`` in [0, 1].
        bayes_error: the optimal (Bayes) error, or human-level error as its proxy, ``e_Bayes`` in
            [0, 1]; default 0 (the notes' "human level performance ≈ 0%").
        bias_threshold: avoidable bias above this is high; default 0.02.
        variance_threshold: a dev − train gap above this is high; default 0.02.

    Returns:
        A :class:`BiasVarianceReport` with the verdict and the recipe's next steps.

    Example:
        >>> diagnose_bias_variance(0.01, 0.11).diagnosis
        <Diagnosis.HIGH_VARIANCE: 'high variance (overfitting)'>
        >>> diagnose_bias_variance(0.15, 0.16, bayes_error=0.15).diagnosis.name
        'NEITHER'
        >>> [r.name for r in diagnose_bias_variance(0.15, 0.30).recipe]
        ['BIGGER_NETWORK', 'TRAIN_LONGER', 'ARCHITECTURE_SEARCH', 'MORE_DATA', 'REGULARIZATION']
    """
    func = "diagnose_bias_variance"
    e_train = _error(func, "train_error", train_error)
    e_dev = _error(func, "dev_error", dev_error)
    e_bayes = _error(func, "bayes_error", bayes_error)
    t_bias = validation.real(func, "bias_threshold", bias_threshold, low=0.0, high=1.0,
                             range_text="in [0, 1]")
    t_var = validation.real(func, "variance_threshold", variance_threshold, low=0.0, high=1.0,
                            range_text="in [0, 1]")
    avoidable = e_train - e_bayes
    variance = e_dev - e_train
    hb = avoidable > t_bias + _ROUNDING
    hv = variance > t_var + _ROUNDING
    verdict = Diagnosis.of(hb, hv)
    return BiasVarianceReport(
        diagnosis=verdict, high_bias=hb, high_variance=hv, avoidable_bias=avoidable,
        variance=variance, recipe=basic_recipe(verdict),
    )
