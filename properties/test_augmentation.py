"""Data augmentation (docs/SPEC.md, ``AUG-*``): lecture, "Other Regularization Methods" — flip,
rotation and shearing make extra training examples, with the original labels.

The target's ``flip_horizontal(images)``, ``rotate(images, angle, *, order=1)``,
``shear(images, factor, *, order=1)`` and ``augment_batch(images, Y, *, rng, copies, flip_prob,
max_angle, max_shear)`` work on batches ``(m, h, w, c)``; angles are degrees, counter-clockwise.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from refnn.conformance.judge import check, check_close
from refnn.conformance.plugin import Subject

DTYPES = (np.float64, np.float32, np.uint8)


def _budget(fraction: float) -> settings:
    return settings(max_examples=max(2, round(settings().max_examples * fraction)),
                    deadline=None)


@st.composite
def batches(draw: st.DrawFn, square: bool = False) -> np.ndarray:
    dtype = draw(st.sampled_from(DTYPES))
    m, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h = draw(st.integers(1, 7))
    w = h if square else draw(st.integers(1, 7))
    elements: st.SearchStrategy[int] | st.SearchStrategy[float]
    if dtype == np.uint8:
        elements = st.integers(0, 255)
    else:
        elements = st.integers(-1000, 1000).map(_eighths)
    out: np.ndarray = draw(hnp.arrays(dtype, (m, h, w, c), elements=elements))
    return out


def _eighths(k: int) -> float:
    return k / 8


def _same(got: object, want: np.ndarray, what: str, tol: float = 1e-9) -> None:
    g = np.asarray(got)
    check(g.shape == want.shape and g.dtype == want.dtype,
          f"{what}: returned {g.dtype} {g.shape}, but should be {want.dtype} {want.shape}")
    span = float(np.ptp(want.astype(np.float64))) if want.size else 0.0
    atol = 0.0 if want.dtype.kind in "iu" else tol * (1 + span)
    check_close(g.astype(np.float64), want.astype(np.float64), what, rtol=0, atol=atol)


@pytest.mark.rule("AUG-1")
@_budget(0.15)
@given(images=batches())
def test_flip_mirrors_left_right_and_is_its_own_inverse(target: Subject,
                                                        images: np.ndarray) -> None:
    """AUG-1: flip_horizontal(x)[i, r, q] = x[i, r, w−1−q], hence flip(flip(x)) = x exactly."""
    flip = target.require("flip_horizontal")
    once = flip.call(images)
    _same(once, images[:, :, ::-1, :], "flip_horizontal(images)", tol=0)
    _same(flip.call(np.asarray(once)), images, "flip_horizontal(flip_horizontal(images))", tol=0)


@pytest.mark.rule("AUG-2")
@_budget(0.15)
@given(images=batches(), order=st.sampled_from([0, 1]))
def test_rotation_by_zero_and_shear_by_zero_are_the_identity(target: Subject, images: np.ndarray,
                                                             order: int) -> None:
    """AUG-2: rotate(x, 0) = x, rotate(x, 360) = x and shear(x, 0) = x."""
    rotate, shear = target.require("rotate"), target.require("shear")
    _same(rotate.call(images, 0.0, order=order), images, f"rotate(images, 0, order={order})")
    _same(rotate.call(images, 360.0, order=order), images, f"rotate(images, 360, order={order})")
    _same(shear.call(images, 0.0, order=order), images, f"shear(images, 0, order={order})")


@pytest.mark.rule("AUG-3")
@_budget(0.15)
@given(images=batches(square=True), order=st.sampled_from([0, 1]))
def test_rotation_by_quarter_turns_turns_the_pixel_grid_counter_clockwise(
    target: Subject, images: np.ndarray, order: int
) -> None:
    """AUG-3: on square images, rotate(x, 90) = numpy.rot90 (counter-clockwise about the centre),
    rotate(x, −90) the clockwise turn, rotate(x, 180) both flips."""
    rotate = target.require("rotate")
    for angle, k in ((90.0, 1), (-90.0, -1), (180.0, 2)):
        _same(rotate.call(images, angle, order=order), np.rot90(images, k, axes=(1, 2)),
              f"rotate(images, {angle:g}, order={order}) vs numpy.rot90(images, {k}, axes=(1, 2))")


@pytest.mark.rule("AUG-4")
@_budget(0.2)
@given(images=batches(), angle=st.floats(-360, 360), k=st.floats(-2, 2),
       order=st.sampled_from([0, 1]))
def test_transforms_keep_shape_dtype_and_value_range(target: Subject, images: np.ndarray,
                                                     angle: float, k: float, order: int) -> None:
    """AUG-4: flip, rotation by any angle and shear by any factor return the same shape and dtype,
    with every value within [min, max] of the input image it came from (no invented values)."""
    calls: dict[str, Callable[[], object]] = {
        "flip_horizontal(images)": lambda: target.require("flip_horizontal").call(images),
        f"rotate(images, {angle}, order={order})":
            lambda: target.require("rotate").call(images, angle, order=order),
        f"shear(images, {k}, order={order})":
            lambda: target.require("shear").call(images, k, order=order),
    }
    lo = images.min(axis=(1, 2, 3)).astype(np.float64)
    hi = images.max(axis=(1, 2, 3)).astype(np.float64)
    for what, run in calls.items():
        out = np.asarray(run())
        check(out.shape == images.shape and out.dtype == images.dtype,
              f"{what} returned {out.dtype} {out.shape}, but should be {images.dtype} {images.shape}")
        o = out.astype(np.float64)
        below = o.min(axis=(1, 2, 3)) < lo
        above = o.max(axis=(1, 2, 3)) > hi
        check(not below.any() and not above.any(),
              lambda: f"{what}: output range [{o.min(axis=(1, 2, 3)).tolist()}, "
              f"{o.max(axis=(1, 2, 3)).tolist()}] leaves the input range [{lo.tolist()}, {hi.tolist()}]")


@pytest.mark.rule("AUG-5")
@_budget(0.15)
@given(m=st.integers(1, 2), h=st.integers(1, 7), w=st.integers(1, 7), k=st.floats(-3, 3),
       seed=st.integers(0, 2**32 - 1))
def test_shear_moves_pixels_along_rows_only(target: Subject, m: int, h: int, w: int, k: float,
                                            seed: int) -> None:
    """AUG-5: the shear is horizontal (x ← x + k·y): an image whose every row is constant is
    unchanged by any shear factor, while a vertical shear would mix the rows."""
    rows = np.random.default_rng(seed).integers(-50, 50, size=(m, h, 1, 1)).astype(np.float64)
    images = np.broadcast_to(rows, (m, h, w, 2)).copy()
    out = target.require("shear").call(images, k)
    _same(out, images, f"shear(row-constant images, {k})")


@pytest.mark.rule("AUG-6")
@_budget(0.15)
@given(m=st.integers(1, 5), copies=st.integers(0, 3), seed=st.integers(0, 2**32 - 1))
def test_augmented_copies_keep_their_labels(target: Subject, m: int, copies: int,
                                            seed: int) -> None:
    """AUG-6: augment_batch returns the m originals followed by `copies` augmented versions of each,
    ((copies+1)·m images and labels), and image k·m + j has label Y[0, j]. Every image here is
    constant with its own value, which any flip/rotation/shear keeps, so each output image
    shows which original it came from."""
    rng = np.random.default_rng(seed)
    values = rng.permutation(m).astype(np.float64) + 1.0
    images = np.broadcast_to(values[:, None, None, None], (m, 5, 6, 3)).copy()
    Y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    out, Y_out = target.require("augment_batch").call(
        images, Y, rng=np.random.default_rng(seed), copies=copies, flip_prob=0.5,
        max_angle=30.0, max_shear=0.3)
    out, Y_out = np.asarray(out), np.asarray(Y_out)
    n = (copies + 1) * m
    check(out.shape == (n, 5, 6, 3) and Y_out.shape == (1, n),
          f"augment_batch(copies={copies}) of {m} images returned {out.shape} and {Y_out.shape}, "
          f"but should return ({n}, 5, 6, 3) and (1, {n})")
    _same(out[:m], images, "the first m images of augment_batch (the originals)")
    flat = out.reshape(n, -1)
    check(bool(np.all(flat == flat[:, :1])), "a constant image stopped being constant")
    index_of_value = {float(v): j for j, v in enumerate(values)}
    source = [index_of_value.get(float(v), -1) for v in flat[:, 0]]
    want = np.tile(np.arange(m), copies + 1).tolist()
    check(source == want, lambda: f"output images come from originals {source} (by their "
          f"values; -1 = none), but should come from {want}")
    check(np.array_equal(Y_out[0], Y[0, np.tile(np.arange(m), copies + 1)]),
          lambda: f"labels {Y_out[0].tolist()}, but should be Y repeated: "
          f"{Y[0, np.tile(np.arange(m), copies + 1)].tolist()}")


@pytest.mark.rule("AUG-7")
@_budget(0.1)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_augmentation_is_a_function_of_the_seed_alone(target: Subject, seed: int) -> None:
    """AUG-7: augment_batch with the same seed gives the same batch, and numpy's global random state
    is neither read nor advanced."""
    fn = target.require("augment_batch")
    images = np.random.default_rng(0).random((3, 6, 6, 2))
    Y = np.array([[0.0, 1.0, 1.0]])
    before = pickle.dumps(np.random.get_state())
    a, _ = fn.call(images, Y, rng=np.random.default_rng(seed), copies=2, max_shear=0.2)
    after = pickle.dumps(np.random.get_state())
    b, _ = fn.call(images, Y, rng=np.random.default_rng(seed), copies=2, max_shear=0.2)
    _same(b, np.asarray(a), f"two augment_batch calls with seed {seed}", tol=0)
    check(before == after, "augment_batch drew from numpy's global random stream (its state changed)")
