"""The two data sets of the course's week-1 notebooks: the noisy circles and the "football" file.

* **Circles** (Initialization notebook). :func:`make_circles` re-derives scikit-learn's
  ``sklearn.datasets.make_circles`` from its algorithm, so refnn needs no scikit-learn at run time;
  :func:`load_circles` turns two draws into the course's layout and :func:`load_course_circles`
  is the course's exact recipe (seed 1 for the 300 training points, seed 2 for the 100 test points).
* **Football** (Regularization notebook). :func:`load_football` reads the course's ``data.mat``
  (MATLAB keys ``X``, ``y``, ``Xval``, ``yval``). refnn does not ship that file.

Layouts: scikit-learn's ``X: (n, 2)``, ``y: (n,)`` from :func:`make_circles`; the course's
``X: (n_x, m)`` (one column per example) and ``Y: (1, m)`` in a :class:`Dataset` everywhere else.

Randomness is always an argument. Nothing here reads or changes numpy's global random state; the
course's ``np.random.seed(s)`` followed by a draw from the global stream is reproduced by drawing
from ``numpy.random.RandomState(s)``, which yields the identical legacy stream.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from refnn import validation as v
from refnn.types import FloatArray, IntArray

RandomSource = np.random.RandomState | np.random.Generator
"""Either numpy random source. Only the legacy :class:`numpy.random.RandomState` stream reproduces
scikit-learn's (and hence the course's) bits."""

COURSE_CIRCLES_RECIPE = {
    "train": {"seed": 1, "n_samples": 300, "noise": 0.05, "factor": 0.8},
    "test": {"seed": 2, "n_samples": 100, "noise": 0.05, "factor": 0.8},
}
"""The course's ``load_dataset``: ``np.random.seed(1)``, ``make_circles(300, noise=.05)``, then
``np.random.seed(2)``, ``make_circles(100, noise=.05)`` (scikit-learn's default ``factor=0.8``)."""

FOOTBALL_SHA256 = "1218828095bf91d215622d00b2a5b8784c359e29d9d9c5734949b8e60c5bc231"
"""sha256 of the course's ``W1A2/datasets/data.mat`` (6038 bytes, git blob
``a0441ac317d789106b75b12ac58c6dbffa1d946c``, e.g. in
``rpragides/improve-deep-nnetworks@4a8c722edb8e00db0f4933536ab03804c0c02c17``)."""

FOOTBALL_ENV_VAR = "REFNN_FOOTBALL_MAT"
"""Environment variable naming the football ``.mat`` file (see :func:`football_path`)."""

_FOOTBALL_HOWTO = (
    "refnn does not ship this file: it is the course's Regularization data, W1A2/datasets/data.mat "
    "(6038 bytes, sha256 " + FOOTBALL_SHA256 + "), found in public copies of the course such as "
    "github.com/rpragides/improve-deep-nnetworks at commit "
    "4a8c722edb8e00db0f4933536ab03804c0c02c17. Save it and pass its path, or set $"
    + FOOTBALL_ENV_VAR
)


@dataclass(frozen=True, slots=True)
class Dataset:
    """A train/test split in the course's layout; unpacks like the course's 4-tuple.

    Attributes:
        train_X: ``(n_x, m_train)`` float64, one column per example.
        train_Y: ``(1, m_train)`` float64 labels in {0, 1}.
        test_X: ``(n_x, m_test)`` float64.
        test_Y: ``(1, m_test)`` float64 labels in {0, 1}.

    ``train_X, train_Y, test_X, test_Y = dataset`` works, as with the course's loaders.
    """

    train_X: FloatArray
    train_Y: FloatArray
    test_X: FloatArray
    test_Y: FloatArray

    def __iter__(self) -> Iterator[FloatArray]:
        return iter((self.train_X, self.train_Y, self.test_X, self.test_Y))

    def __len__(self) -> int:
        return 4


def _random_source(func: str, value: object, name: str = "rng") -> RandomSource:
    if not isinstance(value, (np.random.RandomState, np.random.Generator)):
        raise v.fail_type(
            func, name,
            "a numpy.random.RandomState (e.g. numpy.random.RandomState(1), the legacy stream "
            "scikit-learn and the course use) or a numpy.random.Generator",
            value,
        )
    return value


def make_circles(
    n_samples: int,
    *,
    noise: float | None,
    factor: float = 0.8,
    rng: RandomSource,
    shuffle: bool = True,
) -> tuple[FloatArray, IntArray]:
    """A large circle of class 0 around a smaller circle of class 1, with Gaussian noise.

    The algorithm of scikit-learn's ``make_circles``, re-derived:

    1. ``n_out = n_samples // 2`` points on the unit circle at the angles
       ``linspace(0, 2π, n_out, endpoint=False)``, as ``(cos, sin)``, labelled 0;
    2. ``n_in = n_samples - n_out`` points at ``linspace(0, 2π, n_in, endpoint=False)`` scaled by
       ``factor``, labelled 1 (outer points first, then inner);
    3. if ``shuffle``: ``idx = arange(n_samples)``; ``rng.shuffle(idx)``; ``X, y = X[idx], y[idx]``;
    4. if ``noise`` is not ``None``: ``X += rng.normal(scale=noise, size=X.shape)``.

    With ``rng = numpy.random.RandomState(s)`` the result equals, bit for bit,
    ``sklearn.datasets.make_circles(n_samples, noise=noise, factor=factor,
    random_state=numpy.random.RandomState(s))`` — and what the course got from
    ``np.random.seed(s); make_circles(...)``. Only the legacy ``RandomState`` stream reproduces
    those bits; a :class:`numpy.random.Generator` gives the same distribution from another stream.

    Args:
        n_samples: total number of points, ``>= 1``.
        noise: standard deviation of the noise added to each coordinate (``>= 0``), or ``None``
            for no noise (then no normal draws are made, as in scikit-learn).
        factor: inner radius relative to the outer one, in ``[0, 1)``.
        rng: the random source (required; numpy's global state is never used).
        shuffle: shuffle the points (one ``shuffle`` of an index array, as scikit-learn does).

    Returns:
        ``(X, y)`` in scikit-learn's layout: ``X: (n_samples, 2)`` float64, ``y: (n_samples,)``
        int64 with ``n_in`` ones.

    Example:
        >>> X, y = make_circles(6, noise=None, rng=np.random.RandomState(0), shuffle=False)
        >>> X.shape, y.tolist()
        ((6, 2), [0, 0, 0, 1, 1, 1])
        >>> [round(float(r), 6) for r in np.hypot(X[:, 0], X[:, 1])]
        [1.0, 1.0, 1.0, 0.8, 0.8, 0.8]
    """
    func = "make_circles"
    n = v.positive_int(func, "n_samples", n_samples)
    v.entry_budget(func, "n_samples", 3 * n, " (X: (n_samples, 2) and y)")
    sigma = None if noise is None else v.real(func, "noise", noise, low=0.0, range_text=">= 0 or None")
    f = v.real(func, "factor", factor, low=0.0, high=1.0, high_open=True, range_text="in [0, 1)")
    source = _random_source(func, rng)
    if not isinstance(shuffle, bool):
        raise v.fail_type(func, "shuffle", "a bool", shuffle)

    n_out = n // 2
    n_in = n - n_out
    angles_out = np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False)
    angles_in = np.linspace(0.0, 2.0 * np.pi, n_in, endpoint=False)
    X: FloatArray = np.empty((n, 2), dtype=np.float64)
    X[:n_out, 0] = np.cos(angles_out)
    X[:n_out, 1] = np.sin(angles_out)
    X[n_out:, 0] = np.cos(angles_in) * f
    X[n_out:, 1] = np.sin(angles_in) * f
    y: IntArray = np.concatenate(
        [np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)]
    )
    if shuffle:
        order = np.arange(n)
        source.shuffle(order)
        X = X[order]
        y = y[order]
    if sigma is not None:
        X = X + source.normal(scale=sigma, size=X.shape)
    return X, y


def load_circles(
    rng_train: RandomSource,
    rng_test: RandomSource,
    *,
    n_train: int = 300,
    n_test: int = 100,
    noise: float | None = 0.05,
    factor: float = 0.8,
) -> Dataset:
    """Two independent :func:`make_circles` draws, in the course's layout.

    ``train_X = X_train.T``: ``(2, n_train)``, ``train_Y = y_train.reshape(1, n_train)``, likewise
    for the test set. The labels are float64 (the course kept scikit-learn's integers; the values
    are the same and every course computation gives the same bits with either).

    Example:
        >>> d = load_circles(np.random.RandomState(1), np.random.RandomState(2), n_train=10, n_test=4)
        >>> d.train_X.shape, d.train_Y.shape, d.test_X.shape, d.test_Y.shape
        ((2, 10), (1, 10), (2, 4), (1, 4))
    """
    func = "load_circles"
    src_train = _random_source(func, rng_train, "rng_train")
    src_test = _random_source(func, rng_test, "rng_test")
    for name, size in (("n_train", n_train), ("n_test", n_test)):
        v.entry_budget(func, name, 3 * v.positive_int(func, name, size), f" ({name} points)")
    if noise is not None:
        v.real(func, "noise", noise, low=0.0, range_text=">= 0 or None")
    v.real(func, "factor", factor, low=0.0, high=1.0, high_open=True, range_text="in [0, 1)")
    X_train, y_train = make_circles(n_train, noise=noise, factor=factor, rng=src_train)
    X_test, y_test = make_circles(n_test, noise=noise, factor=factor, rng=src_test)
    return Dataset(
        train_X=np.ascontiguousarray(X_train.T),
        train_Y=y_train.astype(np.float64).reshape(1, -1),
        test_X=np.ascontiguousarray(X_test.T),
        test_Y=y_test.astype(np.float64).reshape(1, -1),
    )


def load_course_circles() -> Dataset:
    """The Initialization notebook's data, exactly: the course's ``init_utils.load_dataset()``.

    Recipe (see :data:`COURSE_CIRCLES_RECIPE`): the course calls ``np.random.seed(1)`` and
    ``sklearn.datasets.make_circles(n_samples=300, noise=.05)`` (no ``random_state``, so scikit-learn
    draws from numpy's global ``RandomState``), then ``np.random.seed(2)`` and
    ``make_circles(n_samples=100, noise=.05)``. Here the same streams come from
    ``numpy.random.RandomState(1)`` and ``RandomState(2)``; the global state is left alone.

    Returns:
        ``train_X (2, 300)``, ``train_Y (1, 300)`` (150 ones), ``test_X (2, 100)``,
        ``test_Y (1, 100)`` (50 ones), float64.

    Example:
        >>> train_X, train_Y, test_X, test_Y = load_course_circles()
        >>> int(train_Y.sum()), int(test_Y.sum()), train_X.shape
        (150, 50, (2, 300))
    """
    train = COURSE_CIRCLES_RECIPE["train"]
    test = COURSE_CIRCLES_RECIPE["test"]
    return load_circles(
        np.random.RandomState(int(train["seed"])),
        np.random.RandomState(int(test["seed"])),
        n_train=int(train["n_samples"]),
        n_test=int(test["n_samples"]),
        noise=train["noise"],
        factor=train["factor"],
    )


def football_path() -> Path:
    """Where to look for the football file by default.

    ``$REFNN_FOOTBALL_MAT`` if set; otherwise ``../shared/data/football.mat`` beside the repository
    that holds this package (a development checkout). The path is returned whether or not it exists.
    """
    env = os.environ.get(FOOTBALL_ENV_VAR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "football.mat"


def _labels_column(func: str, key: str, value: object, m: int) -> FloatArray:
    """Check a MAT label column ``(m, 1)`` with entries in {0, 1}; return it as a ``(1, m)`` row."""
    column = v.float_array(func, f"file['{key}']", value, ndim=2, shape=(m, 1), shape_text=f"({m}, 1)")
    if not np.all((column == 0.0) | (column == 1.0)):
        odd = column[(column != 0.0) & (column != 1.0)]
        raise v.fail_value(func, f"file['{key}']", "labels in {0, 1}", f"value {odd.flat[0]!r}")
    return np.ascontiguousarray(column.T)


def load_football(path: str | os.PathLike[str], *, sha256: str | None = None) -> Dataset:
    """The Regularization notebook's "French football" data: the course's ``load_2D_dataset()``.

    Reads ``path`` with ``scipy.io.loadmat`` and transposes each key into the course's layout:
    ``train_X = X.T``, ``train_Y = y.T``, ``test_X = Xval.T``, ``test_Y = yval.T``.

    The course's file (:data:`FOOTBALL_SHA256`) holds ``X (211, 2)`` float64, ``y (211, 1)`` uint8
    (106 ones), ``Xval (200, 2)`` float64 and ``yval (200, 1)`` uint8 (87 ones); it very likely is
    ``ex6data3.mat`` of Ng's earlier Machine Learning course, relabelled.

    Args:
        path: the ``.mat`` file (e.g. :func:`football_path`).
        sha256: if given, the file's expected sha256 hex digest (e.g. :data:`FOOTBALL_SHA256`);
            a different file raises :class:`ValueError`.

    Returns:
        ``train_X (2, 211)``, ``train_Y (1, 211)``, ``test_X (2, 200)``, ``test_Y (1, 200)``, all
        float64 and C-contiguous (the labels converted from uint8), for the course's file.

    Raises:
        FileNotFoundError: no file at ``path`` (the message says where to get it).
        ValueError: the file is not a MAT file, lacks a key, has inconsistent shapes, non-finite
            features or labels outside {0, 1}, or does not match ``sha256``.
    """
    func = "load_football"
    if not isinstance(path, (str, os.PathLike)):
        raise v.fail_type(func, "path", "a path (str or os.PathLike)", path)
    file = Path(path)
    if not file.is_file():
        if not os.environ.get(FOOTBALL_ENV_VAR) and file == football_path():
            # the fallback of a development checkout: not a place a user chose, so not named
            raise FileNotFoundError(f"{func}: no football data file given, and ${FOOTBALL_ENV_VAR} "
                                    f"is not set. {_FOOTBALL_HOWTO}.")
        raise FileNotFoundError(f"{func}: no football data file at '{file}'. {_FOOTBALL_HOWTO}.")
    if sha256 is not None:
        if not isinstance(sha256, str):
            raise v.fail_type(func, "sha256", "a hex digest (str) or None", sha256)
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        if digest != sha256.lower():
            raise v.fail_value(func, "sha256", f"the digest of '{file}'", f"{sha256} but the file has {digest}")

    from scipy.io import loadmat  # type: ignore[import-untyped, unused-ignore]  # only needed here

    try:
        content: dict[str, object] = loadmat(str(file))
    except Exception as exc:  # scipy raises several types for a non-MAT file
        raise ValueError(f"{func}: '{file}' is not a readable MAT file: {type(exc).__name__}: {exc}") from exc

    missing = [key for key in ("X", "y", "Xval", "yval") if key not in content]
    if missing:
        found = sorted(k for k in content if not k.startswith("__"))
        raise v.fail_value(
            func, "path", "a MAT file with keys X, y, Xval, yval",
            f"'{file}' without {', '.join(missing)} (its keys: {', '.join(found) or 'none'})",
        )
    X = v.float_array(func, "file['X']", content["X"], ndim=2, shape_text="(m, n_x)")
    Xval = v.float_array(
        func, "file['Xval']", content["Xval"], ndim=2, shape=(None, X.shape[1]),
        shape_text="(m_test, n_x) with the n_x of X",
    )
    return Dataset(
        train_X=np.ascontiguousarray(X.T),
        train_Y=_labels_column(func, "y", content["y"], X.shape[0]),
        test_X=np.ascontiguousarray(Xval.T),
        test_Y=_labels_column(func, "yval", content["yval"], Xval.shape[0]),
    )
