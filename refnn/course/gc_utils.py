"""The Gradient-Checking assignment's helper module (``gc_utils``), re-created.

The course's helpers are hard-wired to the ``[4, 5, 3, 1]`` network (47 parameters); here
:func:`vector_to_dictionary` takes that as the default and accepts any ``layer_dims`` (refnn's
addition). Order: ``W1, b1, W2, b2, W3, b3``, each flattened row-major (C order) — the layout of
:class:`refnn.gradcheck.ParamLayout`, which does the work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from refnn import validation
from refnn.course.reg_utils import relu, sigmoid
from refnn.gradcheck.layout import ParamLayout
from refnn.types import FloatArray, Params

COURSE_LAYER_DIMS = (4, 5, 3, 1)
"""The network the course's gradient-checking helpers are written for."""


def dictionary_to_vector(parameters: Mapping[str, FloatArray]) -> tuple[FloatArray, list[str]]:
    """``θ``: every parameter in the order ``W1, b1, W2, b2, …`` row-major, shape ``(n, 1)``, and
    the key each entry came from (``["W1", "W1", …, "b3"]``)."""
    func = "dictionary_to_vector"
    P, dims = validation.params(func, parameters, "parameters")
    layout = ParamLayout.course(dims)
    keys = [block.key for block in layout.blocks for _ in range(block.size)]
    return layout.to_vector(P, func).reshape(-1, 1), keys


def vector_to_dictionary(theta: FloatArray,
                         layer_dims: Sequence[int] = COURSE_LAYER_DIMS) -> Params:
    """The inverse of :func:`dictionary_to_vector` for ``layer_dims`` (default the course's [4,5,3,1])."""
    func = "vector_to_dictionary"
    dims = validation.layer_dims(func, layer_dims)
    return ParamLayout.course(dims).to_params(theta, func)


def gradients_to_vector(gradients: Mapping[str, FloatArray]) -> FloatArray:
    """``dW1, db1, dW2, db2, …`` flattened row-major into ``(n, 1)``, aligned with
    :func:`dictionary_to_vector` (the ``dZ``/``dA`` entries are ignored). The layer sizes are read
    from the shapes of the ``dW[l]``."""
    return gradients_vector("gradients_to_vector", gradients)


def gradients_vector(func: str, gradients: object, name: str = "gradients") -> FloatArray:
    """:func:`gradients_to_vector` with its checks under the name ``func`` (argument ``name``)."""
    if not isinstance(gradients, Mapping):
        raise validation.fail_type(func, name, "a dict with keys dW1, db1, ...", gradients)
    L = 0
    while f"dW{L + 1}" in gradients:
        L += 1
    if L == 0:
        raise validation.fail_value(func, name, "a dict with keys dW1, db1, ...",
                                    f"keys {sorted(gradients)}")
    extra = sorted(str(k) for k in gradients if isinstance(k, str) and len(k) > 2
                   and k[:2] in ("dW", "db") and k[2:].isdigit() and not 1 <= int(k[2:]) <= L)
    if extra:
        raise validation.fail_value(func, name, f"a dict with keys dW1, db1, ..., dW{L}, db{L} "
                                    "numbered without a gap", f"extra key(s) {extra}")
    dims: list[int] = []
    for l in range(1, L + 1):
        dW = validation.float_array(func, f"{name}['dW{l}']", gradients[f"dW{l}"],
                                    shape_text=f"(n[{l}], n[{l - 1}])", finite=False)
        if l == 1:
            dims.append(dW.shape[1])
        dims.append(dW.shape[0])
    return ParamLayout.course(dims).grads_to_vector(gradients, func, name).reshape(-1, 1)


__all__ = ["dictionary_to_vector", "gradients_to_vector", "relu", "sigmoid", "vector_to_dictionary"]
