"""The Gradient-Checking assignment's helper module (``gc_utils``), re-created.

The course's helpers are hard-wired to the ``[4, 5, 3, 1]`` network (47 parameters); here
:func:`vector_to_dictionary` takes that as the default and accepts any ``layer_dims`` (refnn's
addition). Order: ``W1, b1, W2, b2, W3, b3``, each flattened row-major (C order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from refnn import validation
from refnn.course.reg_utils import relu, sigmoid
from refnn.types import FloatArray, Params

COURSE_LAYER_DIMS = (4, 5, 3, 1)
"""The network the course's gradient-checking helpers are written for."""


def _layer_count(mapping: Mapping[str, object], prefix: str) -> int:
    L = 0
    while f"{prefix}W{L + 1}" in mapping:
        L += 1
    return L


def dictionary_to_vector(parameters: Mapping[str, FloatArray]) -> tuple[FloatArray, list[str]]:
    """``θ``: every parameter in the order ``W1, b1, W2, b2, …`` row-major, shape ``(n, 1)``, and
    the key each entry came from (``["W1", "W1", …, "b3"]``)."""
    P, _ = validation.params("dictionary_to_vector", parameters)
    pieces: list[FloatArray] = []
    keys: list[str] = []
    for l in range(1, len(P) // 2 + 1):
        for name in (f"W{l}", f"b{l}"):
            pieces.append(np.reshape(P[name], (-1, 1)))
            keys += [name] * P[name].size
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta: FloatArray,
                         layer_dims: Sequence[int] = COURSE_LAYER_DIMS) -> Params:
    """The inverse of :func:`dictionary_to_vector` for ``layer_dims`` (default the course's [4,5,3,1])."""
    func = "vector_to_dictionary"
    dims = validation.layer_dims(func, layer_dims)
    size = sum(dims[l] * dims[l - 1] + dims[l] for l in range(1, len(dims)))
    t = validation.float_array(func, "theta", theta, ndim=2, shape=(size, 1),
                               shape_text=f"({size}, 1) for layer_dims {list(dims)}", finite=False)
    out: Params = {}
    start = 0
    for l in range(1, len(dims)):
        for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            stop = start + shape[0] * shape[1]
            out[name] = t[start:stop].reshape(shape).copy()
            start = stop
    return out


def gradients_to_vector(gradients: Mapping[str, FloatArray]) -> FloatArray:
    """``dW1, db1, dW2, db2, …`` flattened row-major into ``(n, 1)``, aligned with
    :func:`dictionary_to_vector` (the ``dZ``/``dA`` entries are ignored)."""
    func = "gradients_to_vector"
    if not isinstance(gradients, Mapping):
        raise validation.fail_type(func, "gradients", "a dict with keys dW1, db1, ...", gradients)
    L = _layer_count(gradients, "d")
    if L == 0:
        raise validation.fail_value(func, "gradients", "a dict with keys dW1, db1, ...",
                                    f"keys {sorted(gradients)}")
    pieces: list[FloatArray] = []
    for l in range(1, L + 1):
        for name in (f"dW{l}", f"db{l}"):
            if name not in gradients:
                raise validation.fail_value(func, "gradients", f"a key {name!r}",
                                            f"keys {sorted(gradients)}")
            arr = validation.float_array(func, f"gradients[{name!r}]", gradients[name],
                                         finite=False)
            pieces.append(np.reshape(arr, (-1, 1)))
    return np.concatenate(pieces, axis=0)


__all__ = ["dictionary_to_vector", "gradients_to_vector", "relu", "sigmoid", "vector_to_dictionary"]
