"""refnn.datasets: the circles re-derivation against scikit-learn, the course recipe, the football file."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from refnn import datasets
from refnn.datasets import Dataset, load_circles, load_course_circles, load_football, make_circles
from refnn.golden import entry

REPO = Path(__file__).resolve().parents[2]


def football_file() -> Path:
    env = os.environ.get(datasets.FOOTBALL_ENV_VAR)
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared/data/football.mat"


needs_football = pytest.mark.skipif(
    not football_file().is_file(),
    reason=f"the course's football data is not at {football_file()} (it is not part of the repository; "
    f"set ${datasets.FOOTBALL_ENV_VAR} to a copy of W1A2/datasets/data.mat)",
)


@pytest.fixture(autouse=True)
def global_random_state_untouched() -> Iterator[None]:
    """No refnn.datasets call may read or advance numpy's global RandomState."""
    np.random.seed(12345)
    before = np.random.get_state(legacy=True)
    yield
    after = np.random.get_state(legacy=True)
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:], (
        "refnn.datasets changed numpy's global random state"
    )


# ----------------------------------------------------------------------------------- make_circles

CASES = [
    (300, 0.05, 0.8, 1),
    (100, 0.05, 0.8, 2),
    (1, 0.1, 0.8, 0),
    (2, 0.1, 0.5, 3),
    (7, 0.2, 0.3, 4),
    (101, 0.0, 0.8, 5),
    (64, None, 0.0, 6),
    (999, 0.3, 0.99, 7),
]


@pytest.mark.parametrize(("n", "noise", "factor", "seed"), CASES, ids=[f"n={c[0]},noise={c[1]},factor={c[2]}" for c in CASES])
def test_make_circles_equals_sklearn_bit_for_bit(n: int, noise: float | None, factor: float, seed: int) -> None:
    sk = pytest.importorskip("sklearn.datasets", reason="scikit-learn is a test-only dependency (pip install refnn[dev])")
    X_sk, y_sk = sk.make_circles(n, noise=noise, factor=factor, random_state=np.random.RandomState(seed))
    X, y = make_circles(n, noise=noise, factor=factor, rng=np.random.RandomState(seed))
    assert X.dtype == np.float64 and X.shape == (n, 2)
    assert y.dtype == np.int64 and y.shape == (n,)
    assert np.array_equal(X, X_sk), f"max |X - sklearn| = {np.max(np.abs(X - X_sk))}"
    assert np.array_equal(y, y_sk)


@pytest.mark.parametrize("shuffle", [True, False])
def test_make_circles_equals_sklearn_with_and_without_shuffle(shuffle: bool) -> None:
    sk = pytest.importorskip("sklearn.datasets", reason="scikit-learn is a test-only dependency (pip install refnn[dev])")
    X_sk, y_sk = sk.make_circles(50, noise=0.1, shuffle=shuffle, random_state=np.random.RandomState(9))
    X, y = make_circles(50, noise=0.1, shuffle=shuffle, rng=np.random.RandomState(9))
    assert np.array_equal(X, X_sk) and np.array_equal(y, y_sk)


def test_make_circles_equals_sklearn_on_the_global_stream_after_seed() -> None:
    """The course's own call: np.random.seed(1); make_circles(300, noise=.05) with random_state=None."""
    sk = pytest.importorskip("sklearn.datasets", reason="scikit-learn is a test-only dependency (pip install refnn[dev])")
    np.random.seed(1)
    X_sk, y_sk = sk.make_circles(n_samples=300, noise=0.05)
    np.random.seed(12345)  # restore what the autouse fixture expects
    X, y = make_circles(300, noise=0.05, rng=np.random.RandomState(1))
    assert np.array_equal(X, X_sk) and np.array_equal(y, y_sk)


def test_make_circles_geometry_without_noise() -> None:
    X, y = make_circles(10, noise=None, factor=0.5, rng=np.random.RandomState(0), shuffle=False)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 0], 1.0) and np.allclose(radius[y == 1], 0.5)
    assert y.tolist() == [0] * 5 + [1] * 5
    assert np.allclose(np.arctan2(X[:5, 1], X[:5, 0]) % (2 * np.pi), np.arange(5) * 2 * np.pi / 5)


def test_make_circles_odd_n_puts_the_extra_point_inside() -> None:
    _, y = make_circles(7, noise=0.1, rng=np.random.RandomState(0))
    assert int(y.sum()) == 4


def test_make_circles_accepts_a_generator_and_is_deterministic() -> None:
    X1, y1 = make_circles(40, noise=0.1, rng=np.random.default_rng(0))
    X2, y2 = make_circles(40, noise=0.1, rng=np.random.default_rng(0))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert int(y1.sum()) == 20


def test_make_circles_noise_none_draws_nothing_but_the_shuffle() -> None:
    rng = np.random.RandomState(3)
    make_circles(20, noise=None, rng=rng)
    reference = np.random.RandomState(3)
    reference.shuffle(np.arange(20))
    assert rng.randint(1 << 30) == reference.randint(1 << 30)


BAD: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("n_samples=0", lambda: make_circles(0, noise=0.1, rng=np.random.RandomState(0)), ValueError, "n_samples"),
    ("n_samples=-3", lambda: make_circles(-3, noise=0.1, rng=np.random.RandomState(0)), ValueError, "n_samples"),
    ("n_samples=10.0", lambda: make_circles(10.0, noise=0.1, rng=np.random.RandomState(0)), TypeError, "n_samples"),  # type: ignore[arg-type]
    ("n_samples=True", lambda: make_circles(True, noise=0.1, rng=np.random.RandomState(0)), TypeError, "n_samples"),
    ("noise=-0.1", lambda: make_circles(10, noise=-0.1, rng=np.random.RandomState(0)), ValueError, "noise"),
    ("noise=nan", lambda: make_circles(10, noise=float("nan"), rng=np.random.RandomState(0)), ValueError, "noise"),
    ("noise='0.1'", lambda: make_circles(10, noise="0.1", rng=np.random.RandomState(0)), TypeError, "noise"),  # type: ignore[arg-type]
    ("factor=1.0", lambda: make_circles(10, noise=0.1, factor=1.0, rng=np.random.RandomState(0)), ValueError, "factor"),
    ("factor=-0.5", lambda: make_circles(10, noise=0.1, factor=-0.5, rng=np.random.RandomState(0)), ValueError, "factor"),
    ("rng=None", lambda: make_circles(10, noise=0.1, rng=None), TypeError, "rng"),  # type: ignore[arg-type]
    ("rng=1", lambda: make_circles(10, noise=0.1, rng=1), TypeError, "rng"),  # type: ignore[arg-type]
    ("shuffle=1", lambda: make_circles(10, noise=0.1, rng=np.random.RandomState(0), shuffle=1), TypeError, "shuffle"),  # type: ignore[arg-type]
    ("load_circles(rng_train=None)", lambda: load_circles(None, np.random.RandomState(0)), TypeError, "rng_train"),  # type: ignore[arg-type]
    ("load_circles(n_test=0)", lambda: load_circles(np.random.RandomState(0), np.random.RandomState(0), n_test=0), ValueError, "n_test"),
]


@pytest.mark.parametrize(("call", "fn", "exc", "name"), BAD, ids=[b[0] for b in BAD])
def test_bad_arguments_are_refused_with_a_message_naming_them(
    call: str, fn: Callable[[], object], exc: type[Exception], name: str
) -> None:
    with pytest.raises(exc, match=f"argument '{name}'"):
        fn()


# ----------------------------------------------------------------------------------- course circles


def test_course_circles_shapes_labels_and_first_columns() -> None:
    golden = entry("initialization", "circles_dataset")
    d = load_course_circles()
    assert isinstance(d, Dataset)
    shapes = golden.expected("shapes")
    assert isinstance(shapes, dict)
    for name, arr in zip(("train_X", "train_Y", "test_X", "test_Y"), d):
        assert arr.dtype == np.float64
        assert list(arr.shape) == shapes[name], name
    assert set(np.unique(d.train_Y)) <= {0.0, 1.0} and set(np.unique(d.test_Y)) <= {0.0, 1.0}
    assert int(d.train_Y.sum()) == golden.scalar("label_sums.train") == 150
    assert int(d.test_Y.sum()) == golden.scalar("label_sums.test") == 50
    result = golden.compare("first_3_train_columns", d.train_X[:, :3])
    assert result.ok, result.message


def test_course_circles_unpacks_like_the_course_4_tuple() -> None:
    train_X, train_Y, test_X, test_Y = load_course_circles()
    d = load_course_circles()
    assert len(d) == 4
    for a, b in zip((train_X, train_Y, test_X, test_Y), d):
        assert np.array_equal(a, b)


def test_course_circles_equal_sklearn_after_global_seeds() -> None:
    sk = pytest.importorskip("sklearn.datasets", reason="scikit-learn is a test-only dependency (pip install refnn[dev])")
    np.random.seed(1)
    X_tr, y_tr = sk.make_circles(n_samples=300, noise=0.05)
    np.random.seed(2)
    X_te, y_te = sk.make_circles(n_samples=100, noise=0.05)
    np.random.seed(12345)
    d = load_course_circles()
    assert np.array_equal(d.train_X, X_tr.T) and np.array_equal(d.train_Y, y_tr.reshape(1, -1))
    assert np.array_equal(d.test_X, X_te.T) and np.array_equal(d.test_Y, y_te.reshape(1, -1))


def test_load_circles_uses_each_stream_for_its_own_split() -> None:
    d = load_circles(np.random.RandomState(1), np.random.RandomState(2))
    X_tr, _ = make_circles(300, noise=0.05, rng=np.random.RandomState(1))
    X_te, _ = make_circles(100, noise=0.05, rng=np.random.RandomState(2))
    assert np.array_equal(d.train_X, X_tr.T) and np.array_equal(d.test_X, X_te.T)
    assert d.train_X.flags.c_contiguous and d.test_X.flags.c_contiguous


def test_dataset_is_frozen() -> None:
    d = load_circles(np.random.RandomState(0), np.random.RandomState(1), n_train=4, n_test=2)
    with pytest.raises(AttributeError):
        d.train_X = d.test_X  # type: ignore[misc]


# ----------------------------------------------------------------------------------- football


@needs_football
def test_football_file_is_the_course_blob() -> None:
    golden = entry("regularization", "football_dataset")
    data = football_file().read_bytes()
    assert len(data) == golden.scalar("bytes") == 6038
    assert hashlib.sha256(data).hexdigest() == golden.expected("sha256") == datasets.FOOTBALL_SHA256


@needs_football
def test_football_shapes_dtypes_and_label_sums() -> None:
    golden = entry("regularization", "football_dataset")
    d = load_football(football_file(), sha256=datasets.FOOTBALL_SHA256)
    shapes = golden.expected("shapes")
    assert isinstance(shapes, dict)
    for name, arr in zip(("train_X", "train_Y", "test_X", "test_Y"), d):
        assert arr.dtype == np.float64, name
        assert list(arr.shape) == shapes[name], name
        assert arr.flags.c_contiguous, name
    assert int(d.train_Y.sum()) == golden.scalar("label_sums.train") == 106
    assert int(d.test_Y.sum()) == golden.scalar("label_sums.test") == 87
    assert set(np.unique(d.train_Y)) == {0.0, 1.0} and set(np.unique(d.test_Y)) == {0.0, 1.0}


@needs_football
def test_football_is_the_transpose_of_the_mat_keys() -> None:
    from scipy.io import loadmat  # type: ignore[import-untyped, unused-ignore]

    raw = loadmat(str(football_file()))
    d = load_football(str(football_file()))
    assert np.array_equal(d.train_X, raw["X"].T) and np.array_equal(d.test_X, raw["Xval"].T)
    assert np.array_equal(d.train_Y, raw["y"].T) and np.array_equal(d.test_Y, raw["yval"].T)


@needs_football
def test_football_wrong_digest_is_refused() -> None:
    with pytest.raises(ValueError, match="argument 'sha256'"):
        load_football(football_file(), sha256="0" * 64)


def test_football_missing_file_says_where_to_get_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.mat"
    with pytest.raises(FileNotFoundError) as info:
        load_football(missing)
    text = str(info.value)
    assert str(missing) in text and datasets.FOOTBALL_SHA256 in text and "REFNN_FOOTBALL_MAT" in text


def test_football_path_type_is_checked() -> None:
    with pytest.raises(TypeError, match="argument 'path'"):
        load_football(42)  # type: ignore[arg-type]


def _write_mat(path: Path, **arrays: object) -> Path:
    from scipy.io import savemat  # type: ignore[import-untyped, unused-ignore]

    savemat(str(path), arrays)
    return path


@pytest.mark.parametrize(
    ("what", "arrays", "match"),
    [
        ("missing yval", {"X": np.zeros((4, 2)), "y": np.zeros((4, 1)), "Xval": np.zeros((3, 2))}, "without yval"),
        ("y too short", {"X": np.zeros((4, 2)), "y": np.zeros((3, 1)), "Xval": np.zeros((3, 2)), "yval": np.zeros((3, 1))}, r"file\['y'\]"),
        ("Xval width", {"X": np.zeros((4, 2)), "y": np.zeros((4, 1)), "Xval": np.zeros((3, 3)), "yval": np.zeros((3, 1))}, r"file\['Xval'\]"),
        ("label 2", {"X": np.zeros((4, 2)), "y": np.full((4, 1), 2.0), "Xval": np.zeros((3, 2)), "yval": np.zeros((3, 1))}, "labels in"),
        ("nan feature", {"X": np.full((4, 2), np.nan), "y": np.zeros((4, 1)), "Xval": np.zeros((3, 2)), "yval": np.zeros((3, 1))}, "finite"),
    ],
)
def test_football_malformed_files_are_refused(tmp_path: Path, what: str, arrays: dict[str, object], match: str) -> None:
    path = _write_mat(tmp_path / "bad.mat", **arrays)
    with pytest.raises(ValueError, match=match):
        load_football(path)


def test_football_not_a_mat_file(tmp_path: Path) -> None:
    path = tmp_path / "text.mat"
    path.write_text("hello")
    with pytest.raises(ValueError, match="not a readable MAT file"):
        load_football(path)


def test_football_small_valid_file_round_trips(tmp_path: Path) -> None:
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([[1], [0], [1], [1]], dtype=np.uint8)
    path = _write_mat(tmp_path / "ok.mat", X=X, y=y, Xval=X[:3], yval=y[:3])
    d = load_football(path)
    assert np.array_equal(d.train_X, X.T) and d.train_Y.tolist() == [[1.0, 0.0, 1.0, 1.0]]
    assert d.test_X.shape == (2, 3) and d.test_Y.dtype == np.float64


def test_football_path_default_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(datasets.FOOTBALL_ENV_VAR, str(tmp_path / "f.mat"))
    assert datasets.football_path() == tmp_path / "f.mat"
    monkeypatch.delenv(datasets.FOOTBALL_ENV_VAR)
    assert datasets.football_path() == REPO.parent / "shared" / "data" / "football.mat"
