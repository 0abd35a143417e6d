"""refnn.augmentation: flip, rotation, shear (lecture: "Other Regularization Methods")."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

import refnn.augmentation
from refnn.augmentation import augment_batch, flip_horizontal, rotate, shear


@pytest.mark.parametrize("angle", [7.0, -33.0, 45.0, 123.4])
@pytest.mark.parametrize("order", [0, 1])
def test_rotation_matches_scipy_ndimage(angle: float, order: int) -> None:
    """The oracle: scipy.ndimage.rotate (counter-clockwise, about the centre, edge padding)."""
    img = np.random.default_rng(0).random((2, 9, 7, 3))
    ours = rotate(img, angle, order=order)
    ref = ndimage.rotate(img, angle, axes=(2, 1), reshape=False, order=order,  # type: ignore[call-overload]
                         mode="nearest")
    if order == 1:
        assert np.allclose(ours, ref, atol=1e-12)
    else:  # nearest: the two may round a pixel exactly on a .5 boundary differently
        assert np.mean(np.isclose(ours, ref)) > 0.97


@pytest.mark.parametrize("k", [0.3, -0.8])
def test_shear_matches_scipy_affine_transform(k: float) -> None:
    img = np.random.default_rng(1).random((6, 8))
    cy = (6 - 1) / 2
    # output (r, q) samples the input at (r, q − k·(cy − r)) = [[1, 0], [k, 1]] (r, q) − (0, k·cy)
    ref = ndimage.affine_transform(img, np.array([[1.0, 0.0], [k, 1.0]]), offset=(0.0, -k * cy),
                                   order=1, mode="nearest")
    assert np.allclose(shear(img[None, :, :, None], k)[0, :, :, 0], ref, atol=1e-12)


def test_integer_images_stay_integer_and_in_range() -> None:
    img = np.random.default_rng(2).integers(0, 256, (3, 8, 8, 3)).astype(np.uint8)
    for out in (rotate(img, 17.0), shear(img, 0.4), flip_horizontal(img),
                augment_batch(img, np.zeros((1, 3)), rng=np.random.default_rng(0), copies=2,
                              max_shear=0.3)[0]):
        assert out.dtype == np.uint8
    f32 = img.astype(np.float32) / 255
    assert rotate(f32, 10.0).dtype == np.float32


def test_inputs_are_never_modified() -> None:
    img = np.random.default_rng(3).random((2, 5, 5, 1))
    Y = np.array([[1.0, 0.0]])
    img0, Y0 = img.copy(), Y.copy()
    outs = [flip_horizontal(img), rotate(img, 30.0), shear(img, 0.5),
            augment_batch(img, Y, rng=np.random.default_rng(0))[0]]
    assert np.array_equal(img, img0) and np.array_equal(Y, Y0)
    assert not any(np.shares_memory(o, img) for o in outs)


def test_copies_zero_returns_the_originals() -> None:
    img = np.random.default_rng(4).random((3, 4, 4, 2))
    out, Y = augment_batch(img, np.array([[0, 1, 0]]), rng=np.random.default_rng(0), copies=0)
    assert np.array_equal(out, img) and Y.tolist() == [[0.0, 1.0, 0.0]]


def test_flip_probability_one_without_rotation_is_a_flip() -> None:
    img = np.random.default_rng(5).random((3, 4, 6, 2))
    out, _ = augment_batch(img, np.zeros((1, 3)), rng=np.random.default_rng(0), flip_prob=1.0,
                           max_angle=0.0)
    assert np.array_equal(out[3:], flip_horizontal(img))


IMG = np.zeros((1, 4, 4, 1))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: flip_horizontal(np.zeros((4, 4, 1))), ValueError, ["'images'", "(m, h, w, c)"]),
        (lambda: flip_horizontal([[[[0.0]]]]), TypeError, ["'images'", "numpy array"]),  # type: ignore[arg-type]
        (lambda: flip_horizontal(np.zeros((1, 2, 2, 1), dtype=bool)), TypeError, ["real-valued"]),
        (lambda: flip_horizontal(np.zeros((1, 0, 2, 1))), ValueError, ["h, w >= 1"]),
        (lambda: rotate(np.full((1, 2, 2, 1), np.nan), 3.0), ValueError, ["'images'", "finite"]),
        (lambda: rotate(IMG, float("inf")), ValueError, ["rotate", "'angle'"]),
        (lambda: rotate(IMG, "90"), TypeError, ["'angle'", "real number"]),  # type: ignore[arg-type]
        (lambda: rotate(IMG, 10.0, order=3), ValueError, ["'order'", "0 (nearest) or 1"]),
        (lambda: shear(IMG, None), TypeError, ["shear", "'factor'"]),  # type: ignore[arg-type]
        (lambda: augment_batch(IMG, np.zeros((1, 2)), rng=np.random.default_rng(0)), ValueError,
         ["augment_batch", "'Y'", "(1, m) = (1, 1)"]),
        (lambda: augment_batch(IMG, np.zeros((1, 1)), rng=None), TypeError, ["'rng'", "Generator"]),  # type: ignore[arg-type]
        (lambda: augment_batch(IMG, np.zeros((1, 1)), rng=np.random.default_rng(0), copies=-1),
         ValueError, ["'copies'", ">= 0"]),
        (lambda: augment_batch(IMG, np.zeros((1, 1)), rng=np.random.default_rng(0), flip_prob=1.5),
         ValueError, ["'flip_prob'", "in [0, 1]"]),
        (lambda: augment_batch(IMG, np.zeros((1, 1)), rng=np.random.default_rng(0), max_angle=-5),
         ValueError, ["'max_angle'"]),
    ],
    ids=["flip 3-D", "flip list", "flip bool", "flip h=0", "rotate nan image", "rotate angle inf",
         "rotate angle str", "rotate order 3", "shear factor None", "augment Y (1, 2)",
         "augment rng None", "augment copies -1", "augment flip_prob 1.5", "augment max_angle -5"],
)
def test_bad_input(call: object, error: type[Exception], words: list[str]) -> None:
    assert callable(call)
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))
