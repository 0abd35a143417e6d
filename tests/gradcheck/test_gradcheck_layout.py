"""refnn.gradcheck.layout: parameters ↔ θ for any layer_dims, every coordinate named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn import golden
from refnn.gradcheck import ParamLayout

dims_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=5)


def _params(dims: list[int], seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {}
    for l in range(1, len(dims)):
        out[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        out[f"b{l}"] = rng.standard_normal((dims[l], 1))
    return out


def test_course_layout_has_the_courses_slices() -> None:
    lay = ParamLayout.course([4, 5, 3, 1])
    slices = golden.entry("gradient_checking", "gc_vector_conventions").expected("slices")
    assert isinstance(slices, dict)
    expected = {k: (v[0], v[1], tuple(v[2])) for k, v in slices.items()}  # type: ignore[index,arg-type]
    assert expected["W2"] == (25, 40, (3, 5))
    got = {b.key: (b.start, b.stop, b.shape) for b in lay.blocks}
    assert got == expected
    assert [b.key for b in lay.blocks] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert lay.size == 47


def test_names_are_numpy_indices_in_row_major_order() -> None:
    lay = ParamLayout.course([4, 5, 3, 1])
    assert lay.names[:5] == ("W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[0,3]", "W1[1,0]")
    assert lay.name(24) == "b1[4,0]"
    assert lay.name(25 + 1 * 5 + 3) == "W2[1,3]"
    assert lay.index("W2[1,3]") == 33
    assert len(set(lay.names)) == lay.size


@settings(max_examples=40, deadline=None)
@given(dims=dims_strategy, seed=st.integers(0, 2**16), order=st.sampled_from(["C", "F"]))
def test_vector_round_trip_and_every_name_points_at_its_entry(dims: list[int], seed: int,
                                                              order: str) -> None:
    p = _params(dims, seed)
    lay = ParamLayout.from_params(p, order=order)  # type: ignore[arg-type]
    theta = lay.to_vector(p)
    assert theta.shape == (sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims))),)
    back = lay.to_params(theta)
    assert list(back) == list(p)
    for key in p:
        assert np.array_equal(back[key], p[key])
    for k, name in enumerate(lay.names):
        block, i, j = lay.entry(k)
        assert name == f"{block.key}[{i},{j}]"
        assert theta[k] == p[block.key][i, j]
        assert lay.index(name) == k


@settings(max_examples=25, deadline=None)
@given(dims=dims_strategy, seed=st.integers(0, 2**16))
def test_gradients_vectorize_aligned_with_the_parameters(dims: list[int], seed: int) -> None:
    p = _params(dims, seed)
    grads = {"d" + k: v * 3.0 + 1.0 for k, v in p.items()}
    grads["dZ1"] = np.zeros(3)  # ignored
    lay = ParamLayout.from_params(p)
    assert np.array_equal(lay.grads_to_vector(grads), lay.to_vector(p) * 3.0 + 1.0)


def test_custom_block_order() -> None:
    lay = ParamLayout.course([2, 3, 1], keys=["W1", "W2", "b1", "b2"])
    assert [b.key for b in lay.blocks] == ["W1", "W2", "b1", "b2"]
    p = _params([2, 3, 1], 0)
    theta = lay.to_vector(p)
    assert np.array_equal(theta[6:9], p["W2"].ravel())
    assert np.array_equal(lay.to_params(theta)["b1"], p["b1"])


def test_column_vectors_are_accepted_and_results_never_alias_the_input() -> None:
    p = _params([3, 2, 1], 1)
    lay = ParamLayout.from_params(p)
    before = {k: v.copy() for k, v in p.items()}
    theta = lay.to_vector(p)
    theta[0] = 99.0
    assert all(np.array_equal(p[k], before[k]) for k in p)  # to_vector copied
    col = lay.to_vector(p).reshape(-1, 1)
    q = lay.to_params(col)
    q["W1"][0, 0] = -5.0
    assert col[0, 0] == p["W1"][0, 0]  # to_params copied


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: ParamLayout.course([4]), ValueError, "layer_dims"),
        (lambda: ParamLayout.course([4, 0, 1]), ValueError, "layer_dims[1]"),
        (lambda: ParamLayout.course([2, 1], keys=["W1", "W1"]), ValueError, "keys"),
        (lambda: ParamLayout.course([2, 1], order="K"), ValueError, "order"),  # type: ignore[arg-type]
        (lambda: ParamLayout.course([2, 1]).to_params(np.zeros(4)), ValueError, "theta"),
        (lambda: ParamLayout.course([2, 1]).to_vector(_params([3, 1], 0)), ValueError, "layer_dims"),
        (lambda: ParamLayout.course([2, 1]).grads_to_vector({"dW1": np.zeros((1, 2))}),
         ValueError, "db1"),
        (lambda: ParamLayout.course([2, 1]).grads_to_vector({"dW1": np.zeros((2, 1)),
                                                             "db1": np.zeros((1, 1))}),
         ValueError, "grads['dW1']"),
        (lambda: ParamLayout.course([2, 1]).name(3), ValueError, "'k'"),
        (lambda: ParamLayout.course([2, 1]).index("W9[0,0]"), ValueError, "key"),
        (lambda: ParamLayout.course([2, 1]).index("W1[5,0]"), ValueError, "name"),
    ],
    ids=["one-size", "zero-width", "repeated-key", "bad-order", "short-theta", "other-dims",
         "missing-db1", "dW1-transposed", "index-out-of-range", "unknown-key", "entry-outside"],
)
def test_bad_input_is_refused_naming_the_argument(call: object, error: type[Exception],
                                                  words: str) -> None:
    assert callable(call)
    with pytest.raises(error, match=None) as info:
        call()
    assert words in str(info.value)
