"""refnn.splits: train/dev/test splits (lecture: "Train / Dev / Test sets")."""

from __future__ import annotations

import numpy as np
import pytest

import refnn.splits
from refnn.splits import lecture_ratios, split_sizes, train_dev_test_split


@pytest.mark.parametrize(
    ("m", "want"),
    [
        (1, (0.6, 0.2, 0.2)),
        (99_999, (0.6, 0.2, 0.2)),
        (100_000, (0.98, 0.01, 0.01)),
        (1_000_000, (0.98, 0.01, 0.01)),
        (1_000_001, (0.995, 0.004, 0.001)),
    ],
    ids=lambda v: str(v),
)
def test_lecture_ratio_cut_offs(m: int, want: tuple[float, float, float]) -> None:
    assert lecture_ratios(m) == want


@pytest.mark.parametrize(
    ("m", "ratios", "want"),
    [
        (1001, None, (601, 200, 200)),
        (100, (0.42, 0.29, 0.29), (42, 29, 29)),  # 0.29·100 = 28.999… in floating point
        (10, (0.7, 0.0, 0.3), (7, 0, 3)),
        (3, None, (3, 0, 0)),
        (1_000_000, None, (980_000, 10_000, 10_000)),
        (2_000_000, None, (1_990_000, 8_000, 2_000)),
    ],
    ids=lambda v: str(v),
)
def test_split_sizes_floor_rule(m: int, ratios: tuple[float, ...] | None,
                                want: tuple[int, int, int]) -> None:
    assert split_sizes(m, ratios) == want


def _data(m: int = 10) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack([np.arange(m, dtype=np.float64), np.linspace(-1, 1, m)])
    return X, (np.arange(m) % 2).astype(np.float64)[None, :]


def test_sets_match_their_indices_and_share_no_memory_with_the_input() -> None:
    X, Y = _data(20)
    X0, Y0 = X.copy(), Y.copy()
    s = train_dev_test_split(X, Y, rng=np.random.default_rng(3))
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)  # the caller's arrays are untouched
    for name in ("train", "dev", "test"):
        idx = getattr(s, f"{name}_index")
        assert np.array_equal(getattr(s, f"X_{name}"), X[:, idx])
        assert np.array_equal(getattr(s, f"Y_{name}"), Y[:, idx])
        assert not np.shares_memory(getattr(s, f"X_{name}"), X)
        assert not np.shares_memory(getattr(s, f"Y_{name}"), Y)
    s.X_train[:] = -1.0
    assert np.array_equal(X, X0)


def test_integer_inputs_are_accepted() -> None:
    s = train_dev_test_split(np.arange(10).reshape(1, 10), np.zeros((1, 10), dtype=int),
                             rng=np.random.default_rng(0))
    assert s.X_train.dtype == np.float64 and s.X_train.shape == (1, 6)


def test_one_permutation_is_drawn_from_rng() -> None:
    X, Y = _data(10)
    s = train_dev_test_split(X, Y, rng=np.random.default_rng(5))
    perm = np.random.default_rng(5).permutation(10)
    assert np.array_equal(np.concatenate([s.train_index, s.dev_index, s.test_index]), perm)


X_OK, Y_OK = _data(10)
RNG = np.random.default_rng(0)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"X": "data"}, TypeError, ["'X'", "numpy array"]),
        ({"X": np.arange(10.0)}, ValueError, ["'X'", "2-D", "(n_x, m)"]),
        ({"X": np.zeros((2, 0)), "Y": np.zeros((1, 0))}, ValueError, ["'X'", "m >= 1"]),
        ({"X": np.array([[1 + 2j]])}, TypeError, ["'X'", "real-valued"]),
        ({"Y": np.zeros((1, 9))}, ValueError, ["'Y'", "(1, m) = (1, 10)"]),
        ({"Y": np.zeros((2, 10))}, ValueError, ["'Y'"]),
        ({"rng": None}, TypeError, ["'rng'", "Generator"]),
        ({"rng": 42}, TypeError, ["'rng'", "Generator"]),
        ({"ratios": (0.5, 0.5)}, ValueError, ["'ratios'", "three fractions", "2 value(s)"]),
        ({"ratios": (0.5, 0.3, 0.3)}, ValueError, ["'ratios'", "summing to 1", "1.1"]),
        ({"ratios": (1.2, -0.1, -0.1)}, ValueError, ["'ratios[0]'", "in [0, 1]"]),
        ({"ratios": "60/20/20"}, TypeError, ["'ratios'", "sequence"]),
        ({"ratios": 0.6}, TypeError, ["'ratios'", "sequence"]),
        ({"ratios": (0.6, float("nan"), 0.2)}, ValueError, ["'ratios[1]'"]),
        ({"preserve_order": "yes"}, TypeError, ["'preserve_order'", "bool"]),
    ],
    ids=[
        "X='data'", "X 1-D", "m=0", "X complex", "Y (1, 9)", "Y (2, 10)", "rng=None", "rng=42",
        "ratios 2 values", "ratios sum 1.1", "ratios negative", "ratios str", "ratios scalar",
        "ratios nan", "preserve_order str",
    ],
)
def test_bad_input(kwargs: dict[str, object], error: type[Exception], words: list[str]) -> None:
    args: dict[str, object] = {"X": X_OK, "Y": Y_OK, "rng": RNG}
    args.update(kwargs)
    with pytest.raises(error) as info:
        train_dev_test_split(args.pop("X"), args.pop("Y"), **args)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("train_dev_test_split: argument ")
    for w in words:
        assert w in message, (w, message)


@pytest.mark.parametrize("m", [0, -3, 2.5, True], ids=["m=0", "m=-3", "m=2.5", "m=True"])
def test_bad_sizes(m: object) -> None:
    with pytest.raises((TypeError, ValueError), match="argument 'm'"):
        split_sizes(m)  # type: ignore[arg-type]
