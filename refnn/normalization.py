"""Input normalization: statistics fitted on the training set, applied to every set.

Lecture, "Setting Up your Optimization Problem → Normalizing Inputs", for ``X: (n_x, m)``::

    μ  = (1/m) Σ_i x⁽ⁱ⁾                 X := X − μ
    σ² = (1/m) Σ_i (x⁽ⁱ⁾)²  (after centring, i.e. the variance with 1/m, per feature)
    X := X / σ

and the same ``μ`` and ``σ`` — the *training* set's — are used to normalize the dev and test sets,
so that every set goes through the same transformation. (The notes write ``X /= σ²``; the intent,
unit variance per feature, needs the standard deviation ``σ``.)

Constant features (policy): a feature whose training values are all equal has ``σ² = 0``; refnn
sets its ``μ`` to that exact value and divides by 1 instead of ``σ`` — the feature is only centred
(training values become exactly 0), never divided by zero, and :func:`normalize_inverse` still
undoes the transformation. (Spreads so extreme that ``σ²`` over- or underflows in float64 are
still divided by a correctly computed ``σ``; only ``sigma2`` then reads ``inf`` or 0.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.types import BoolArray, FloatArray, RealArrayLike


@dataclass(frozen=True, slots=True)
class NormalizationStats:
    """Per-feature statistics of a training set, shape ``(n_x, 1)`` each (read-only arrays).

    Attributes:
        mu: the means ``μ``.
        sigma2: the variances ``σ²`` (with ``1/m``); 0 for constant features.
        scale: the divisor actually used: ``σ = √σ²``, or 1 for constant features.
        constant: the features whose training values are all equal (``σ² = 0``).
    """

    mu: FloatArray
    sigma2: FloatArray
    scale: FloatArray
    constant: BoolArray

    @property
    def n_x(self) -> int:
        """The number of features the statistics were fitted on."""
        return int(self.mu.shape[0])


def _frozen(a: FloatArray | BoolArray) -> None:
    a.flags.writeable = False


def normalize_fit(X_train: RealArrayLike) -> NormalizationStats:
    """Fit ``μ`` and ``σ²`` per feature on the training set ``X_train: (n_x, m)``.

    ``μ = (1/m) Σ_i x⁽ⁱ⁾``, ``σ² = (1/m) Σ_i (x⁽ⁱ⁾ − μ)²`` (lecture, "Normalizing Inputs"); the divisor
    is ``σ``, or 1 for a constant feature (see the module docstring). Fit on the training set
    only, then :func:`normalize_transform` every set with the result.

    Example:
        >>> import numpy as np
        >>> X = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]])
        >>> s = normalize_fit(X)
        >>> s.mu.ravel().tolist(), s.sigma2.ravel().tolist(), s.constant.ravel().tolist()
        ([2.5, 5.0], [1.25, 0.0], [False, True])
    """
    func = "normalize_fit"
    X = validation.float_array(func, "X_train", X_train, ndim=2, shape_text="(n_x, m)")
    if X.shape[1] == 0:
        raise validation.fail_value(func, "X_train", "of shape (n_x, m) with m >= 1", "m = 0")
    with np.errstate(over="ignore"):
        mu = X.mean(axis=1, keepdims=True)
    s_x = np.max(np.abs(X), axis=1, keepdims=True)
    huge = ~np.isfinite(mu)
    if np.any(huge):
        # The plain sum overflowed (values near the float64 maximum): μ = s·mean(x/s), s = max|x|.
        mu = np.where(huge, s_x * np.mean(X / np.where(s_x > 0, s_x, 1.0), axis=1, keepdims=True),
                      mu)
    exact = np.max(X, axis=1, keepdims=True) == np.min(X, axis=1, keepdims=True)
    # An all-equal row's mean can be off by rounding; use its value so that x - μ is exactly 0.
    mu = np.where(exact, X[:, :1], mu)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        d = X - mu
        sigma2 = np.mean(np.square(d), axis=1, keepdims=True)
    sigma = np.sqrt(sigma2)
    # Where d² (or d itself) over- or underflows, σ = s·√(mean((x/s − μ/s)²)) with s = max|x|:
    # σ ≤ max|x − μ| / 1 stays finite (the spread of finite numbers around their mean).
    bad = ~exact & ~((sigma2 >= np.finfo(np.float64).tiny) & np.isfinite(sigma2))
    if np.any(bad):
        safe_s = np.where(s_x > 0, s_x, 1.0)
        with np.errstate(under="ignore"):
            scaled = safe_s * np.sqrt(np.mean(np.square(X / safe_s - mu / safe_s), axis=1,
                                              keepdims=True))
        sigma = np.where(bad, scaled, sigma)
    constant = exact
    scale = np.where(constant, 1.0, sigma)
    for a in (mu, sigma2, scale, constant):
        _frozen(a)
    return NormalizationStats(mu=mu, sigma2=sigma2, scale=scale, constant=constant)


def _stats(func: str, stats: object) -> NormalizationStats:
    if not isinstance(stats, NormalizationStats):
        raise validation.fail_type(func, "stats", "the NormalizationStats of normalize_fit()", stats)
    mu = stats.mu
    if not isinstance(mu, np.ndarray) or mu.ndim != 2 or mu.shape[1] != 1 or mu.shape[0] < 1:
        raise validation.fail_value(func, "stats", "statistics with mu of shape (n_x, 1)",
                                    f"mu {validation._describe(mu)}")
    want = mu.shape
    for part in ("sigma2", "scale", "constant"):
        arr = getattr(stats, part)
        if not isinstance(arr, np.ndarray) or arr.shape != want:
            raise validation.fail_value(func, "stats", f"statistics with {part} of shape {want} "
                                        "like mu", f"{part} {validation._describe(arr)}")
    if not (np.isfinite(mu).all() and np.isfinite(stats.scale).all() and (stats.scale > 0).all()):
        raise validation.fail_value(func, "stats", "finite mu and a finite positive scale",
                                    "non-finite or non-positive entries")
    return stats


def _stable(result: FloatArray, exact: Callable[[], FloatArray]) -> FloatArray:
    """``result``, or where it overflowed although every input was finite, ``exact()``'s entries."""
    if np.isfinite(result).all():
        return result
    with np.errstate(over="ignore"):
        redo = exact()
    return np.where(np.isfinite(result), result, redo)


def normalize_transform(stats: NormalizationStats, X: RealArrayLike) -> FloatArray:
    """Normalize any set with the training statistics: ``(X − μ) / σ`` per feature.

    ``X: (n_x, m)`` with the ``n_x`` of the fit; returns a new ``(n_x, m)`` array. The training
    set comes out with mean 0 and variance 1 per (non-constant) feature; a dev or test set is
    *not* forced to mean 0 — it is moved exactly as the training set was (lecture, "Normalizing
    Inputs": use the same μ and σ² for the test set).

    Example:
        >>> import numpy as np
        >>> s = normalize_fit(np.array([[0.0, 2.0, 4.0]]))
        >>> normalize_transform(s, np.array([[2.0, 10.0]])).round(3).tolist()
        [[0.0, 4.899]]
    """
    func = "normalize_transform"
    st = _stats(func, stats)
    Xa = validation.float_array(func, "X", X, ndim=2, shape=(st.n_x, None), shape_text="(n_x, m)")
    with np.errstate(over="ignore", invalid="ignore"):
        result: FloatArray = (Xa - st.mu) / st.scale
    return _stable(result, lambda: Xa / st.scale - st.mu / st.scale)


def normalize_inverse(stats: NormalizationStats, X_norm: RealArrayLike) -> FloatArray:
    """Undo :func:`normalize_transform`: ``X_norm · σ + μ`` (σ → 1 for constant features).

    Example:
        >>> import numpy as np
        >>> X = np.array([[1.0, 7.0, 4.0], [3.0, 3.0, 3.0]])
        >>> s = normalize_fit(X)
        >>> bool(np.allclose(normalize_inverse(s, normalize_transform(s, X)), X))
        True
    """
    func = "normalize_inverse"
    st = _stats(func, stats)
    Z = validation.float_array(func, "X_norm", X_norm, ndim=2, shape=(st.n_x, None),
                               shape_text="(n_x, m)")
    with np.errstate(over="ignore", invalid="ignore"):
        result: FloatArray = Z * st.scale + st.mu
    if not np.isfinite(result).all():
        raise validation.fail_value(
            func, "X_norm", "values whose X_norm·σ + μ is representable in float64",
            f"{int(result.size - np.count_nonzero(np.isfinite(result)))} entries that overflow")
    return result
