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
from scipy import special

from refnn import validation
from refnn.types import FloatArray, IntArray, RealArrayLike

DEFAULT_ALPHA = 0.01
"""The default family-wise false-alarm rate ``α`` of :func:`check_same_distribution`."""


_EXACT_WORK_LIMIT = 50_000_000
"""Above this many cell updates, ``(min(n, m) + 1)·(max(n, m) + 1)·#distinct D``, p-values are
asymptotic."""


def ks_statistics(dev: FloatArray, test: FloatArray) -> IntArray:
    """Two-sample KS statistics of the rows of ``dev: (n_x, n)`` and ``test: (n_x, m)``, in ``1/(n·m)``.

    ``D_j = sup_t |F_dev,j(t) − F_test,j(t)| = h_j / (n·m)`` with the integer
    ``h_j = max_t |m·#{dev ≤ t} − n·#{test ≤ t}|`` (integers, so ties between features' statistics
    and the null distribution's lattice are exact). The supremum is taken at the pooled sample's
    distinct values, so tied values are counted together.

    Example:
        >>> import numpy as np
        >>> ks_statistics(np.array([[1.0, 2.0, 3.0]]), np.array([[2.5, 4.0]])).tolist()  # D = 4/6
        [4]
    """
    func = "ks_statistics"
    d = validation.float_array(func, "dev", dev, ndim=2, shape_text="(n_x, n)", finite=False)
    t = validation.float_array(func, "test", test, ndim=2, shape=(d.shape[0], None),
                               shape_text="(n_x, m)", finite=False)
    for name, arr in (("dev", d), ("test", t)):
        if arr.shape[1] == 0:
            raise validation.fail_value(func, name, "at least one example (column)", "0")
        if np.isnan(arr).any():
            raise validation.fail_value(func, name, "values without nan (they have no order)",
                                        "nan")
    return _ks_statistics(d, t)


def _ks_statistics(dev: FloatArray, test: FloatArray) -> IntArray:
    n, m = dev.shape[1], test.shape[1]
    Z = np.concatenate([dev, test], axis=1)
    order = np.argsort(Z, axis=1)  # order within ties is irrelevant: runs are summed whole
    z = np.take_along_axis(Z, order, axis=1)
    S = np.cumsum(np.where(order < n, m, -n).astype(np.int64), axis=1)
    last_of_run = np.ones(S.shape, dtype=bool)
    last_of_run[:, :-1] = z[:, 1:] != z[:, :-1]
    h: IntArray = np.max(np.abs(np.where(last_of_run, S, 0)), axis=1).astype(np.int64)
    return h


def _exit_probability(H: IntArray, n: int, m: int) -> FloatArray:
    """``P(max_k |i_k·m − j_k·n| ≥ h)`` for each ``h`` in ``H``, over a uniformly random arrangement of
    ``n`` dev and ``m`` test items — a random lattice path from (0, 0) to (n, m).

    ``N_i[j]`` counts the paths to (i, j) that stay inside the band ``|i·m − j·n| < h``; the allowed
    cells of a row are contiguous, so ``N_i = inside_i · cumsum(inside_i · N_{i−1})``. A path leaves
    the band for the first time at an outside cell reached from inside; the p-value is the sum,
    over those cells, of (paths reaching it) × (paths from it to (n, m)) / C(n+m, n) — a sum of
    positive terms, accurate also for tiny p-values. Rows are rescaled to avoid overflow.
    """
    j = np.arange(m + 1, dtype=np.int64)
    k = H.shape[0]
    prev = np.zeros((k, m + 1))
    prev[:, 0] = 1.0
    log_scale = np.zeros(k)
    p = np.zeros(k)
    log_total = float(special.gammaln(n + m + 1) - special.gammaln(n + 1) - special.gammaln(m + 1))
    for i in range(n + 1):
        inside = np.abs(i * m - j * n)[None, :] < H[:, None]
        row = np.cumsum(np.where(inside, prev, 0.0), axis=1) * inside
        from_left = np.zeros_like(row)
        from_left[:, 1:] = row[:, :-1]
        reached_outside = np.where(inside, 0.0, prev + from_left)
        log_rest = (special.gammaln(n - i + m - j + 1) - special.gammaln(n - i + 1)
                    - special.gammaln(m - j + 1))
        with np.errstate(divide="ignore"):
            terms = np.exp(np.log(reached_outside) + log_scale[:, None] + log_rest[None, :]
                           - log_total)
        p += terms.sum(axis=1)
        top = row.max(axis=1)
        top = np.where(top > 0, top, 1.0)
        prev = row / top[:, None]
        log_scale += np.log(top)
    out: FloatArray = p
    return out


def ks_pvalues(h: IntArray, n: int, m: int) -> FloatArray:
    """Two-sided p-values ``P(D ≥ h/(n·m))`` of the two-sample KS statistic under "same distribution".

    Exact (the lattice-path count: a uniformly random order of ``n`` dev and ``m`` test items, as for
    continuous data) unless that needs more than 5·10⁷ cell updates; then the asymptotic
    ``scipy.stats.kstwo.sf(D, round(n·m/(n+m)))`` that ``scipy.stats.ks_2samp`` uses for large
    samples. For data with ties the exact p-value is conservative (too large).

    Example:
        >>> import numpy as np
        >>> ks_pvalues(np.array([9, 6, 3]), 3, 3).round(4).tolist()  # D = 1, 2/3, 1/3
        [0.1, 0.6, 1.0]
    """
    func = "ks_pvalues"
    nn = validation.positive_int(func, "n", n)
    mm = validation.positive_int(func, "m", m)
    if not isinstance(h, np.ndarray) or h.dtype.kind not in "iu":
        raise validation.fail_type(func, "h", "an integer array (ks_statistics)", h)
    if h.size and (h.min() < 0 or h.max() > nn * mm):
        raise validation.fail_value(func, "h", f"integers in [0, n*m] = [0, {nn * mm}]",
                                    f"values from {int(h.min())} to {int(h.max())}")
    return _ks_pvalues(np.asarray(h), nn, mm)


def _ks_pvalues(h: IntArray, n: int, m: int) -> FloatArray:
    hs = np.asarray(h, dtype=np.int64)
    distinct, where = np.unique(hs, return_inverse=True)
    small, large = min(n, m), max(n, m)
    if (small + 1) * (large + 1) * distinct.shape[0] <= _EXACT_WORK_LIMIT:
        p = _exit_probability(distinct, small, large)
    else:
        en = round(n * m / (n + m))
        from scipy import stats  # imported here: scipy.stats costs ~1 s at import

        p = np.asarray(stats.kstwo.sf(distinct / (n * m), en), dtype=np.float64)
    p = np.clip(p, 0.0, 1.0)
    out: FloatArray = p[where.reshape(hs.shape)]
    return out


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
    X_dev: RealArrayLike,
    X_test: RealArrayLike,
    *,
    alpha: float = DEFAULT_ALPHA,
    warn: bool = True,
) -> DistributionCheck:
    """Test whether ``X_dev`` and ``X_test`` come from one distribution, feature by feature.

    Per feature ``j``: two-sample KS statistic ``D_j = sup_t |F_dev,j(t) − F_test,j(t)|`` and its
    two-sided p-value ``p_j`` (:func:`ks_statistics`, :func:`ks_pvalues`: exact, or asymptotic for
    very large sets, as ``scipy.stats.ks_2samp`` does). Verdict:
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

    n, m = dev.shape[1], test.shape[1]
    h = _ks_statistics(dev, test)
    D = h / (n * m)
    p = _ks_pvalues(h, n, m)
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
