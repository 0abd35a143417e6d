"""Data augmentation of image batches: horizontal flip, rotation, shear.

Lecture, "Other Regularization Methods": data augmentation — mainly flip, rotation and shearing —
makes more training examples from the ones we have, cheaply, and so reduces overfitting. A
transformed cat is still a cat: **labels are kept**.

Layout: a batch of images ``(m, h, w, c)`` — ``m`` images of ``h`` rows, ``w`` columns, ``c``
channels (the course's image notebooks' layout; flatten to ``X: (n_x, m)`` afterwards).

Geometry. Pixel ``(r, q)`` (row ``r`` from the top, column ``q`` from the left) has centred
coordinates ``x = q − (w−1)/2``, ``y = (h−1)/2 − r`` (``y`` points up). A transformation ``T`` of the
picture's content is applied by *inverse mapping*: output pixel ``p`` takes the input's value at
``T⁻¹ p``, sampled with nearest-neighbour (``order=0``) or bilinear (``order=1``) interpolation; points
outside the image take the value of the nearest edge pixel ("edge" padding), so no new values are
invented::

    flip:      T = [[−1, 0], [0, 1]]                      (mirror left ↔ right)
    rotation:  T = [[cos θ, −sin θ], [sin θ, cos θ]]     (θ in degrees, counter-clockwise)
    shear:     T = [[1, k], [0, 1]]                      (x ← x + k·y: rows above the centre move right)

Guarantees: shapes and dtype are kept; every output value lies between the smallest and the
largest of the (at most four) input pixels it interpolates, hence within the input image's range
(integer images are rounded back to their dtype); rotation by a multiple of 90° and shear by 0
are exact (rotation by 0 and by 360 is the identity); the caller's array is never modified.
"""

from __future__ import annotations

import numbers
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from refnn import validation
from refnn.types import FloatArray, InterpolationOrder, RealArrayLike

ScalarT = TypeVar("ScalarT", bound=np.generic)

_EXACT_TRIG = {0: (1.0, 0.0), 90: (0.0, 1.0), 180: (-1.0, 0.0), 270: (0.0, -1.0)}


def _images(func: str, name: str, value: object) -> NDArray[Any]:
    if not isinstance(value, np.ndarray):
        raise validation.fail_type(func, name, "a numpy array of shape (m, h, w, c)", value)
    value = np.asarray(value)  # never a subclass
    if value.dtype.kind not in "fiu":
        raise validation.fail_type(
            func, name, "a real-valued numeric array (float, int or uint)", value
        )
    if value.ndim != 4:
        raise validation.fail_value(
            func, name, "a 4-D batch of shape (m, h, w, c)", f"shape {value.shape}"
        )
    if value.shape[1] == 0 or value.shape[2] == 0:
        raise validation.fail_value(
            func, name, "images of at least 1×1 pixels (h, w >= 1)", f"shape {value.shape}"
        )
    if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
        raise validation.fail_value(func, name, "finite", "non-finite value(s) (nan or inf)")
    return value


def _order(func: str, order: object) -> int:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise validation.fail_type(func, "order", "0 (nearest) or 1 (bilinear)", order)
    if int(order) not in (0, 1):
        raise validation.fail_value(func, "order", "0 (nearest) or 1 (bilinear)", repr(order))
    return int(order)


def _cos_sin(angle: float) -> tuple[float, float]:
    """``(cos θ, sin θ)`` for ``θ`` in degrees; exact at multiples of 90°."""
    if float(angle).is_integer() and int(angle) % 90 == 0:
        return _EXACT_TRIG[int(angle) % 360]
    t = np.deg2rad(angle)
    return float(np.cos(t)), float(np.sin(t))


def _warp(images: NDArray[ScalarT], inverse: FloatArray, order: int) -> NDArray[ScalarT]:
    """Resample ``images: (m, h, w, c)``; ``inverse: (m, 2, 2)`` maps output (x, y) to input (x, y)."""
    m, h, w, _ = images.shape
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    rows, cols = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                             indexing="ij")
    x_out = cols - cx
    y_out = cy - rows
    a = inverse[:, :, :, None, None]  # (m, 2, 2, 1, 1)
    x_in = a[:, 0, 0] * x_out + a[:, 0, 1] * y_out  # (m, h, w)
    y_in = a[:, 1, 0] * x_out + a[:, 1, 1] * y_out
    r = np.clip(cy - y_in, 0.0, h - 1.0)
    q = np.clip(cx + x_in, 0.0, w - 1.0)
    idx = np.arange(m)[:, None, None]
    src = images.astype(np.float64, copy=False)
    if order == 0:
        ri = np.rint(r).astype(np.intp)
        qi = np.rint(q).astype(np.intp)
        out: FloatArray = src[idx, ri, qi, :]
    else:
        r0 = np.floor(r).astype(np.intp)
        q0 = np.floor(q).astype(np.intp)
        r1 = np.minimum(r0 + 1, h - 1)
        q1 = np.minimum(q0 + 1, w - 1)
        fr = (r - r0)[..., None]
        fq = (q - q0)[..., None]
        v00, v01 = src[idx, r0, q0, :], src[idx, r0, q1, :]
        v10, v11 = src[idx, r1, q0, :], src[idx, r1, q1, :]
        out = ((1 - fr) * (1 - fq) * v00 + (1 - fr) * fq * v01
               + fr * (1 - fq) * v10 + fr * fq * v11)
        # The exact value is a convex combination of the four pixels; remove rounding excursions.
        lo = np.minimum(np.minimum(v00, v01), np.minimum(v10, v11))
        hi = np.maximum(np.maximum(v00, v01), np.maximum(v10, v11))
        out = np.clip(out, lo, hi)
    if images.dtype.kind in "iu":
        out = np.rint(out)
    return out.astype(images.dtype)


def _one(matrix: list[list[float]], m: int) -> FloatArray:
    return np.broadcast_to(np.array(matrix, dtype=np.float64), (m, 2, 2))


def flip_horizontal(images: NDArray[ScalarT]) -> NDArray[ScalarT]:
    """Mirror every image left ↔ right: ``out[i, r, q, :] = images[i, r, w−1−q, :]``.

    Lecture, "Other Regularization Methods": flip is the first augmentation named. Exact, its own
    inverse (``flip(flip(x)) = x``), dtype-preserving; returns a new array.

    Example:
        >>> import numpy as np
        >>> img = np.arange(6).reshape(1, 2, 3, 1)
        >>> flip_horizontal(img)[0, :, :, 0].tolist()
        [[2, 1, 0], [5, 4, 3]]
    """
    arr = _images("flip_horizontal", "images", images)
    out: NDArray[ScalarT] = arr[:, :, ::-1, :].copy()
    return out


def rotate(images: NDArray[ScalarT], angle: float, *, order: InterpolationOrder = 1
           ) -> NDArray[ScalarT]:
    """Rotate every image by ``angle`` degrees counter-clockwise about its centre.

    Output pixel ``p`` (centred coordinates, ``y`` up) takes the input's value at ``R(−θ) p`` with
    ``R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]]``; edge padding; ``order`` 0 = nearest, 1 = bilinear.
    ``angle = 0`` is the identity; multiples of 90° are exact (90° equals ``numpy.rot90`` on square
    images). Lecture, "Other Regularization Methods": rotation.

    Args:
        images: ``(m, h, w, c)``, float or integer. angle: θ in degrees (any finite real).
        order: 0 (nearest) or 1 (bilinear, default).

    Example:
        >>> import numpy as np
        >>> img = np.arange(9.0).reshape(1, 3, 3, 1)
        >>> rotate(img, 90)[0, :, :, 0].tolist()
        [[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
        >>> out = rotate(img, 30.0)
        >>> out.shape, out.dtype, bool(out.min() >= 0.0 and out.max() <= 8.0)
        ((1, 3, 3, 1), dtype('float64'), True)
    """
    func = "rotate"
    arr = _images(func, "images", images)
    theta = validation.real(func, "angle", angle, range_text="a finite angle in degrees")
    o = _order(func, order)
    c, s = _cos_sin(theta)
    # Inverse of R(θ) is R(−θ) = [[c, s], [−s, c]].
    return _warp(arr, _one([[c, s], [-s, c]], arr.shape[0]), o)


def shear(images: NDArray[ScalarT], factor: float, *, order: InterpolationOrder = 1
          ) -> NDArray[ScalarT]:
    """Shear every image horizontally: content point ``(x, y)`` moves to ``(x + k·y, y)``.

    Output pixel ``(x, y)`` takes the input's value at ``(x − k·y, y)`` (rows move sideways only;
    rows above the centre move right for ``k > 0``); edge padding; ``order`` 0 = nearest,
    1 = bilinear. ``factor = 0`` is the identity. Lecture, "Other Regularization Methods":
    shearing.

    Args:
        images: ``(m, h, w, c)``, float or integer. factor: ``k = tan(shear angle)``, finite.
        order: 0 (nearest) or 1 (bilinear, default).

    Example:
        >>> import numpy as np
        >>> img = np.tile(np.arange(4.0), (3, 1)).reshape(1, 3, 4, 1)
        >>> shear(img, 1.0)[0, :, :, 0].tolist()  # top row moves right, bottom row left
        [[0.0, 0.0, 1.0, 2.0], [0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 3.0]]
    """
    func = "shear"
    arr = _images(func, "images", images)
    k = validation.real(func, "factor", factor, range_text="a finite shear factor")
    o = _order(func, order)
    return _warp(arr, _one([[1.0, -k], [0.0, 1.0]], arr.shape[0]), o)


def augment_batch(
    images: NDArray[ScalarT],
    Y: RealArrayLike,
    *,
    rng: np.random.Generator,
    copies: int = 1,
    flip_prob: float = 0.5,
    max_angle: float = 15.0,
    max_shear: float = 0.0,
    order: InterpolationOrder = 1,
) -> tuple[NDArray[ScalarT], FloatArray]:
    """Enlarge a training batch with randomly flipped, rotated and sheared copies; labels kept.

    Each of the ``copies × m`` new images gets its own draws from ``rng``: a flip with probability
    ``flip_prob``, an angle ``θ ~ U(−max_angle, max_angle)`` degrees and a shear ``k ~ U(−max_shear,
    max_shear)``, applied in that order as one resampling (``shear ∘ rotate ∘ flip``). The output
    holds the ``m`` originals first, then copy 1 of images ``0..m−1``, copy 2, …; the labels are
    ``Y`` repeated the same way, so output image ``k·m + j`` has label ``Y[0, j]``.

    Lecture, "Other Regularization Methods": flip, rotation and shearing give extra training data
    almost for free; the label of a transformed image is the label of the original.

    Args:
        images: ``(m, h, w, c)``. Y: labels ``(1, m)``.
        rng: the generator every random choice comes from.
        copies: how many augmented copies of each image (``≥ 0``).
        flip_prob: in [0, 1]. max_angle: ``≥ 0`` degrees. max_shear: ``≥ 0``.
        order: 0 (nearest) or 1 (bilinear).

    Returns:
        ``(images_out: ((copies+1)·m, h, w, c), Y_out: (1, (copies+1)·m))``, same dtype as ``images``.

    Example:
        >>> import numpy as np
        >>> imgs = np.random.default_rng(0).random((4, 8, 8, 3))
        >>> Y = np.array([[0, 1, 1, 0]])
        >>> out, y = augment_batch(imgs, Y, rng=np.random.default_rng(1), copies=2)
        >>> out.shape, y.tolist()
        ((12, 8, 8, 3), [[0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]])
    """
    func = "augment_batch"
    arr = _images(func, "images", images)
    m = arr.shape[0]
    y = validation.float_array(func, "Y", Y, ndim=2, shape=(1, m), shape_text=f"(1, m) = (1, {m})")
    gen = validation.generator(func, rng)
    n_copies = validation.non_negative_int(func, "copies", copies)
    p_flip = validation.real(func, "flip_prob", flip_prob, low=0.0, high=1.0,
                             range_text="in [0, 1]")
    a_max = validation.real(func, "max_angle", max_angle, low=0.0, range_text=">= 0 (degrees)")
    k_max = validation.real(func, "max_shear", max_shear, low=0.0, range_text=">= 0")
    o = _order(func, order)
    validation.entry_budget(func, "copies", (n_copies + 1) * arr.size,
                            f" ((copies + 1) × the {arr.size} entries of images)")
    n = n_copies * m
    flips = gen.random(n) < p_flip
    angles = gen.uniform(-a_max, a_max, n)
    shears = gen.uniform(-k_max, k_max, n)
    # Inverse of T = S(k)·R(θ)·F is F·R(−θ)·S(−k) (F is its own inverse).
    theta = np.deg2rad(angles)
    c, s = np.cos(theta), np.sin(theta)
    f = np.where(flips, -1.0, 1.0)
    inv = np.empty((n, 2, 2))
    # R(−θ)·S(−k) = [[c, −c·k + s], [−s, s·k + c]]; F multiplies the first row by f.
    inv[:, 0, 0] = f * c
    inv[:, 0, 1] = f * (s - c * shears)
    inv[:, 1, 0] = -s
    inv[:, 1, 1] = c + s * shears
    sources = np.tile(arr, (n_copies, 1, 1, 1))
    augmented = _warp(sources, inv, o) if n else sources
    out: NDArray[ScalarT] = np.concatenate([arr, augmented], axis=0)
    y_out: FloatArray = np.tile(y, (1, n_copies + 1))
    return out, y_out

