"""Train / dev / test splits: by explicit ratios, or by data size as the lecture recommends.

Lecture, "Setting up your Machine Learning Application → Train / Dev / Test sets":

* previous era (about 100 – 10 000 examples): train 70% / test 30%, or train 60% / dev 20% / test 20%;
* big data, around 1 000 000 examples: train 98% / dev 1% / test 1%;
* even more than a million examples: train 99.5% / dev 0.4% / test 0.1%.

The notes name regimes, not boundaries; the cut-offs are refnn's choice (:func:`lecture_ratios`):

=====================================  =======================  ==================================
``m`` (number of examples)             ratios (train/dev/test)  why
=====================================  =======================  ==================================
``m < 100_000``                        60 / 20 / 20              10⁵ is the geometric midpoint of
                                                                 the notes' 10⁴ and 10⁶
``100_000 <= m <= 1_000_000``          98 / 1 / 1                "around a million"
``m > 1_000_000``                      99.5 / 0.4 / 0.1          "even more than 1 million"
=====================================  =======================  ==================================

Sizes (the rounding rule): ``m_dev = ⌊r_dev·m⌋``, ``m_test = ⌊r_test·m⌋`` and the training set takes
the rest, ``m_train = m − m_dev − m_test`` (so rounding never loses an example, and any remainder
goes to training). The products are rounded to 6 decimals before the floor, so that e.g.
``0.29·100 = 28.999999999999996`` in floating point still counts as 29.

Layout is the course's: ``X: (n_x, m)`` and ``Y: (1, m)`` — one column per example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.types import FloatArray, IntArray, RealArrayLike

SMALL_DATA_LIMIT = 100_000
"""Below this many examples the lecture's small-data ratios 60/20/20 apply."""

BIG_DATA_LIMIT = 1_000_000
"""Up to (and including) this many examples the ratios 98/1/1 apply; above, 99.5/0.4/0.1."""

Ratios = tuple[float, float, float]

SMALL_DATA_RATIOS: Ratios = (0.6, 0.2, 0.2)
BIG_DATA_RATIOS: Ratios = (0.98, 0.01, 0.01)
HUGE_DATA_RATIOS: Ratios = (0.995, 0.004, 0.001)

_RATIO_SUM_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class TrainDevTestSplit:
    """The three sets and where their examples came from.

    Attributes:
        X_train, Y_train: ``(n_x, m_train)`` and ``(1, m_train)``.
        X_dev, Y_dev: ``(n_x, m_dev)`` and ``(1, m_dev)``.
        X_test, Y_test: ``(n_x, m_test)`` and ``(1, m_test)``.
        train_index, dev_index, test_index: the column indices into the original ``X`` of each
            set, in the order the set holds them (``X_train == X[:, train_index]``).

    Every array is a new array: changing one never changes the caller's ``X``/``Y``.
    """

    X_train: FloatArray
    Y_train: FloatArray
    X_dev: FloatArray
    Y_dev: FloatArray
    X_test: FloatArray
    Y_test: FloatArray
    train_index: IntArray
    dev_index: IntArray
    test_index: IntArray


def lecture_ratios(m: int) -> Ratios:
    """The lecture's (train, dev, test) ratios for a data set of ``m`` examples.

    ``m < 100_000`` → (0.6, 0.2, 0.2); ``100_000 ≤ m ≤ 1_000_000`` → (0.98, 0.01, 0.01);
    ``m > 1_000_000`` → (0.995, 0.004, 0.001). See the module docstring for why these cut-offs.

    Example:
        >>> lecture_ratios(10_000), lecture_ratios(1_000_000), lecture_ratios(5_000_000)
        ((0.6, 0.2, 0.2), (0.98, 0.01, 0.01), (0.995, 0.004, 0.001))
    """
    n = validation.positive_int("lecture_ratios", "m", m)
    if n < SMALL_DATA_LIMIT:
        return SMALL_DATA_RATIOS
    if n <= BIG_DATA_LIMIT:
        return BIG_DATA_RATIOS
    return HUGE_DATA_RATIOS


def _ratios(func: str, ratios: object) -> Ratios:
    if isinstance(ratios, (str, bytes)) or not isinstance(ratios, (Sequence, np.ndarray)):
        raise validation.fail_type(
            func, "ratios", "a sequence of three fractions (train, dev, test), or None", ratios
        )
    values = list(ratios)
    if len(values) != 3:
        raise validation.fail_value(
            func, "ratios", "three fractions (train, dev, test) — e.g. (0.7, 0.0, 0.3) for 70/30",
            f"{len(values)} value(s) {values!r}",
        )
    out = tuple(
        validation.real(func, f"ratios[{i}]", v, low=0.0, high=1.0, range_text="in [0, 1]")
        for i, v in enumerate(values)
    )
    total = math.fsum(out)
    if abs(total - 1.0) > _RATIO_SUM_TOL:
        raise validation.fail_value(func, "ratios", "fractions summing to 1", f"sum {total!r}")
    return (out[0], out[1], out[2])


def _floor_size(ratio: float, m: int) -> int:
    return math.floor(round(ratio * m, 6))


def split_sizes(m: int, ratios: Sequence[float] | None = None) -> tuple[int, int, int]:
    """The sizes ``(m_train, m_dev, m_test)`` a split of ``m`` examples has.

    ``m_dev = ⌊r_dev·m⌋``, ``m_test = ⌊r_test·m⌋``, ``m_train = m − m_dev − m_test``; with
    ``ratios=None`` the ratios are :func:`lecture_ratios` ``(m)``.

    Example:
        >>> split_sizes(1001), split_sizes(10, (0.7, 0.0, 0.3)), split_sizes(2_000_000)
        ((601, 200, 200), (7, 0, 3), (1990000, 8000, 2000))
    """
    func = "split_sizes"
    n = validation.positive_int(func, "m", m)
    r = lecture_ratios(n) if ratios is None else _ratios(func, ratios)
    n_dev = _floor_size(r[1], n)
    n_test = _floor_size(r[2], n)
    return n - n_dev - n_test, n_dev, n_test


def train_dev_test_split(
    X: RealArrayLike,
    Y: RealArrayLike,
    *,
    rng: np.random.Generator,
    ratios: Sequence[float] | None = None,
    preserve_order: bool = False,
) -> TrainDevTestSplit:
    """Shuffle the ``m`` examples with ``rng`` and cut them into train, dev and test sets.

    A uniformly random permutation ``π = rng.permutation(m)`` is cut into its first ``m_train``,
    next ``m_dev`` and last ``m_test`` entries (sizes from :func:`split_sizes`: ``m_dev = ⌊r_dev·m⌋``,
    ``m_test = ⌊r_test·m⌋``, the rest to training). The three sets are disjoint and together hold
    every example exactly once; the same seed gives the same split.

    Lecture, "Train / Dev / Test sets": 60/20/20 for small data, 98/1/1 around a million examples,
    99.5/0.4/0.1 beyond — used when ``ratios`` is ``None`` (cut-offs in :func:`lecture_ratios`).

    Args:
        X: inputs ``(n_x, m)``, one column per example (values are not checked: splitting computes
            nothing with them).
        Y: labels ``(1, m)``, column ``i`` belonging to example ``i``.
        rng: the generator the permutation is drawn from (exactly one ``rng.permutation(m)`` call).
        ratios: ``(r_train, r_dev, r_test)``, each in [0, 1], summing to 1 (``(0.7, 0.0, 0.3)``
            is the old 70/30 train/test split); ``None`` picks the lecture's ratios by ``m``.
        preserve_order: if true, each set keeps its examples in their original relative order
            (which examples land in which set is still random).

    Returns:
        A :class:`TrainDevTestSplit` of new arrays and the index of each set.

    Example:
        >>> import numpy as np
        >>> X = np.arange(20.0).reshape(2, 10); Y = np.arange(10.0).reshape(1, 10) % 2
        >>> s = train_dev_test_split(X, Y, rng=np.random.default_rng(0), preserve_order=True)
        >>> s.X_train.shape, s.X_dev.shape, s.X_test.shape
        ((2, 6), (2, 2), (2, 2))
        >>> every = np.concatenate([s.train_index, s.dev_index, s.test_index])
        >>> sorted(every.tolist()) == list(range(10))
        True
        >>> bool(np.all(np.diff(s.train_index) > 0))
        True
    """
    func = "train_dev_test_split"
    Xa = validation.float_array(func, "X", X, ndim=2, shape_text="(n_x, m)", finite=False)
    m = Xa.shape[1]
    if m == 0:
        raise validation.fail_value(func, "X", "of shape (n_x, m) with m >= 1 example", "m = 0")
    Ya = validation.float_array(func, "Y", Y, ndim=2, shape=(1, m), shape_text=f"(1, m) = (1, {m})",
                                finite=False)
    gen = validation.generator(func, rng)
    if not isinstance(preserve_order, (bool, np.bool_)):
        raise validation.fail_type(func, "preserve_order", "a bool", preserve_order)
    n_train, n_dev, _ = split_sizes(m, None if ratios is None else _ratios(func, ratios))
    perm = gen.permutation(m).astype(np.int64)
    parts = [perm[:n_train], perm[n_train:n_train + n_dev], perm[n_train + n_dev:]]
    if preserve_order:
        parts = [np.sort(p) for p in parts]
    tr, dv, te = parts
    # Fancy indexing copies, so no returned array shares memory with the caller's X or Y.
    return TrainDevTestSplit(
        X_train=Xa[:, tr], Y_train=Ya[:, tr],
        X_dev=Xa[:, dv], Y_dev=Ya[:, dv],
        X_test=Xa[:, te], Y_test=Ya[:, te],
        train_index=tr, dev_index=dv, test_index=te,
    )
