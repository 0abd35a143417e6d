"""Do the dev and test sets come from one distribution? A per-feature two-sample test.

Lecture, "Train / Dev / Test sets → Mismatched train/test distribution": the training set may come
from elsewhere (cat pictures from web pages) than the dev/test sets (pictures uploaded by the app's
users), but **dev and test must come from the same distribution**.

The check: for every feature ``j = 1..n_x`` a two-sample Kolmogorov–Smirnov test compares row ``j``
of ``X_dev`` with row ``j`` of ``X_test``::

    D_j = sup_t | F_dev,j(t) − F_test,j(t) |,   p_j = P(D ≥ D_j | same distribution)

and, with the Bonferroni correction for the ``n_x`` tests, the sets are flagged when
``min_j p_j < α / n_x``. If dev and test do come from one (continuous) distribution, the chance of a
flag — a false alarm — is at most ``α``. A flag is a warning, not an error: the check returns a
:class:`DistributionCheck` and, when asked, emits a :class:`DistributionMismatchWarning`.

Limits: the test compares each feature's marginal distribution, so a change only in the dependence
between features goes unseen; for discrete features the KS test is conservative (fewer flags).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

from refnn import validation
from refnn.types import FloatArray

DEFAULT_ALPHA = 0.01
"""The default family-wise false-alarm rate ``α`` of :func:`check_same_distribution`."""


class DistributionMismatchWarning(UserWarning):
    """Dev and test look like samples of different distributions (lecture: they must not)."""


@dataclass(frozen=True, slots=True)
class DistributionCheck:
    """The verdict of :func:`check_same_distribution`.

    Attributes:
        same_distribution: ``True`` when no feature is flagged (no evidence of a mismatch).
        alpha: the family-wise false-alarm rate ``α``.
        threshold: the per-feature level ``α / n_x`` (Bonferroni).
        statistics: the KS statistics ``D_j``, shape ``(n_x,)``.
        p_values: the KS p-values ``p_j``, shape ``(n_x,)``.
        flagged_features: the features ``j`` (0-based rows of ``X``) with ``p_j < α / n_x``.
        message: a one-line human-readable verdict.
    """

    same_distribution: bool
    alpha: float
    threshold: float
    statistics: FloatArray
    p_values: FloatArray
    flagged_features: tuple[int, ...]
    message: str


def check_same_distribution(
    X_dev: object,
    X_test: object,
    *,
    alpha: float = DEFAULT_ALPHA,
    warn: bool = True,
) -> DistributionCheck:
    """Test whether ``X_dev`` and ``X_test`` come from one distribution, feature by feature.

    Per feature ``j``: two-sample KS statistic ``D_j = sup_t |F_dev,j(t) − F_test,j(t)|`` and its
    p-value ``p_j`` (``scipy.stats.ks_2samp``, two-sided; exact for samples under 10 000). Verdict:
    mismatch iff ``min_j p_j < α / n_x`` (Bonferroni), so two samples of one continuous
    distribution are flagged with probability at most ``α``.

    Lecture, "Mismatched train/test distribution": dev and test sets must come from the same
    distribution.

    Args:
        X_dev: dev inputs ``(n_x, m_dev)``, ``m_dev ≥ 1``.
        X_test: test inputs ``(n_x, m_test)``, ``m_test ≥ 1``, same ``n_x``.
        alpha: the family-wise false-alarm rate ``α`` in (0, 1); default 0.01.
        warn: emit a :class:`DistributionMismatchWarning` (via :func:`warnings.warn`) on a mismatch.
            Nothing is ever raised for a mismatch.

    Returns:
        A :class:`DistributionCheck`.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> dev, test = rng.normal(size=(3, 300)), rng.normal(size=(3, 300))
        >>> check_same_distribution(dev, test).same_distribution
        True
        >>> test[1] += 1.0  # feature 1 of the test set is shifted
        >>> r = check_same_distribution(dev, test, warn=False)
        >>> r.same_distribution, r.flagged_features
        (False, (1,))
    """
    func = "check_same_distribution"
    dev = validation.float_array(func, "X_dev", X_dev, ndim=2, shape_text="(n_x, m_dev)")
    n_x = dev.shape[0]
    test = validation.float_array(func, "X_test", X_test, ndim=2, shape=(n_x, None),
                                  shape_text="(n_x, m_test)")
    if n_x == 0:
        raise validation.fail_value(func, "X_dev", "of shape (n_x, m_dev) with n_x >= 1", "n_x = 0")
    for name, arr in (("X_dev", dev), ("X_test", test)):
        if arr.shape[1] == 0:
            raise validation.fail_value(func, name, "a set of at least 1 example (column)", "0")
    a = validation.real(func, "alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True,
                        range_text="in (0, 1)")
    if not isinstance(warn, (bool, np.bool_)):
        raise validation.fail_type(func, "warn", "a bool", warn)

    D = np.empty(n_x)
    p = np.empty(n_x)
    for j in range(n_x):
        res = stats.ks_2samp(dev[j], test[j], alternative="two-sided", method="auto")
        D[j] = float(res.statistic)
        p[j] = float(res.pvalue)
    threshold = a / n_x
    flagged = tuple(int(j) for j in np.flatnonzero(p < threshold))
    same = len(flagged) == 0
    j_min = int(np.argmin(p))
    if same:
        message = (
            f"no evidence that dev and test differ: smallest KS p-value {p[j_min]:.3g} "
            f"(feature {j_min}) >= alpha/n_x = {threshold:.3g} (alpha = {a:g}, n_x = {n_x})"
        )
    else:
        message = (
            f"dev and test look like different distributions: feature(s) {list(flagged)} differ "
            f"(two-sample KS, smallest p-value {p[j_min]:.3g} < alpha/n_x = {threshold:.3g}, "
            f"alpha = {a:g}); the lecture: dev and test sets must come from the same distribution"
        )
        if warn:
            warnings.warn(message, DistributionMismatchWarning, stacklevel=2)
    for arr in (D, p):
        arr.flags.writeable = False
    return DistributionCheck(
        same_distribution=same, alpha=a, threshold=threshold, statistics=D, p_values=p,
        flagged_features=flagged, message=message,
    )
