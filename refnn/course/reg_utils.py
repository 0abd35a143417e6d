"""The Regularization assignment's helper module (``reg_utils``), re-created on refnn's core.

Conventions (also the Gradient-Checking assignment's, and refnn.course's throughout): upper-case
cache entries ``(Z1, A1, W1, b1, …)`` and gradient keys ``dZ3, dW3, db3, dA2, …``; the backward
pass starts from ``dZ[L] = A[L] − Y`` and applies ``1/m`` on every ``dW``/``db``.

Seeding reproduced: :func:`initialize_parameters` calls ``np.random.seed(3)`` on numpy's *global*
stream, as the course does. (refnn's core never touches the global stream; only this layer does.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np

from refnn import cost, network, training, validation
from refnn.course.layouts import CacheTuple, cache_to_tuple, tuple_to_cache
from refnn.init import VarianceScaling, initialize_from_draws
from refnn.types import FloatArray, Grads, IntArray, Params

XAVIER_COURSE = VarianceScaling("xavier", 1.0, "fan_in")


def sigmoid(x: FloatArray) -> FloatArray:
    """``1/(1+e^{−x})``."""
    return network.sigmoid(np.asarray(x, dtype=np.float64))


def relu(x: FloatArray) -> FloatArray:
    """``max(0, x)``."""
    return network.relu(np.asarray(x, dtype=np.float64))


def _legacy_randn(shape: tuple[int, int]) -> FloatArray:
    # The course's np.random.randn(n[l], n[l-1]) on the global legacy stream.
    return np.random.randn(*shape)


def initialize_parameters(layer_dims: list[int]) -> Params:
    """The Regularization assignment's initializer: ``np.random.seed(3)``, then for ``l = 1..L``
    ``W[l] = randn(n[l], n[l−1]) / √n[l−1]`` (Xavier-like, not He) and ``b[l] = 0``.

    Course mistake: its docstring gives ``W[l]`` as ``(n[l−1], n[l])`` and ``b[l]`` as ``(1, n[l])``;
    the code (and this function) make ``(n[l], n[l−1])`` and ``(n[l], 1)``.

    Seeding: calls ``np.random.seed(3)`` on numpy's global stream, as the course does.
    """
    dims = validation.layer_dims("initialize_parameters", layer_dims)
    np.random.seed(3)
    return initialize_from_draws(dims, XAVIER_COURSE, _legacy_randn)


def forward_propagation(X: FloatArray, parameters: Mapping[str, FloatArray]
                        ) -> tuple[FloatArray, CacheTuple]:
    """``LINEAR → RELU → … → LINEAR → SIGMOID``; returns ``(A[L], (Z1, A1, W1, b1, …))``."""
    P, Xa, masks, kps = network.check_forward_args("forward_propagation", parameters, X, 1.0,
                                                   None, None, params_name="parameters")
    AL, cache = network.checked_forward("forward_propagation", P, Xa, masks, kps)
    return AL, cache_to_tuple(cache, P)


def backward_propagation(X: FloatArray, Y: FloatArray, cache: CacheTuple) -> Grads:
    """Gradients from the course's cache tuple: keys ``dZ3, dW3, db3, dA2, dZ2, …, dW1, db1``."""
    return backward_from_tuple("backward_propagation", X, Y, cache)


def backward_from_tuple(func: str, X: object, Y: object, cache: object, lambd: object = None,
                        keep_prob: float = 1.0) -> Grads:
    """The course's backward functions, checked under the name ``func``: ``X``, the cache tuple,
    ``Y`` and ``λ`` if the caller was given one (``keep_prob`` already checked by the caller), then
    :func:`refnn.network.run_backward`."""
    Xa = validation.float_array(func, "X", X, shape_text="(n_x, m)")
    P, c = tuple_to_cache(func, Xa, cache, keep_prob)
    n_x = P["W1"].shape[1]
    if Xa.shape[0] != n_x:
        raise validation.fail_value(func, "X", f"of shape (n_x, m) = ({n_x}, {Xa.shape[1]}) to "
                                    "match the cache's W1", f"shape {Xa.shape}")
    network.check_single_output(func, (n_x,) + tuple(P[f"b{l}"].shape[0]
                                                     for l in range(1, len(P) // 2 + 1)),
                                "cache")
    y = validation.labels(func, "Y", Y, Xa.shape[1])
    lam = 0.0 if lambd is None else validation.lambd(func, lambd)
    return network.run_backward(P, c, y, lam)


def compute_cost(a3: FloatArray, Y: FloatArray) -> float:
    """The course's cost ``(1/m) · nansum(−Y log a3 − (1−Y) log(1−a3))`` (``inf`` when saturated)."""
    return course_cross_entropy("compute_cost", a3, Y)


def course_cross_entropy(func: str, a3: object, Y: object) -> float:
    """:func:`compute_cost` checked under the name ``func`` (:func:`refnn.cost.run_cross_entropy`:
    the kernel's one-log form, equal to the course's ``nansum`` formula term for term)."""
    A = cost.check_output(func, "a3", a3)
    return cost.run_cross_entropy(A, validation.labels(func, "Y", Y, A.shape[1]))


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """``W[l] −= α dW[l]``, ``b[l] −= α db[l]``. Returns new arrays (the caller's are not modified)."""
    return training.run_gradient_step(*training.check_gradient_step_args(
        "update_parameters", parameters, grads, learning_rate, params_name="parameters"))


def predict(X: FloatArray, y: FloatArray, parameters: Mapping[str, FloatArray]) -> IntArray:
    """Predictions ``1{A[L] > 0.5}`` as ints, shape ``(1, m)``; prints ``Accuracy: …`` like the course.

    The course's version allocates with ``np.int``, which fails on NumPy ≥ 1.24; this one uses int64.
    """
    P, Xa, masks, kps = network.check_forward_args("predict", parameters, X, 1.0, None, None,
                                                   params_name="parameters")
    yy = validation.labels("predict", "y", y, Xa.shape[1])
    AL, _ = network.checked_forward("predict", P, Xa, masks, kps)
    p = (AL > 0.5).astype(np.int64)
    print("Accuracy: " + str(np.mean(p[0, :] == yy[0, :])))
    return p


def load_2D_dataset(path: str | os.PathLike[str] | None = None
                    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The football data: ``train_X (2, 211), train_Y (1, 211), test_X (2, 200), test_Y (1, 200)``.

    The course reads ``datasets/data.mat``; here the path is an argument (default:
    ``$REFNN_FOOTBALL_MAT``, else ``datasets/data.mat``). No plot is drawn.
    """
    from refnn.datasets import load_football

    if path is None:
        path = os.environ.get("REFNN_FOOTBALL_MAT", os.path.join("datasets", "data.mat"))
    elif not isinstance(path, (str, os.PathLike)):
        raise validation.fail_type("load_2D_dataset", "path", "a path (str or os.PathLike) or None",
                                   path)
    d = load_football(path)
    return d.train_X, d.train_Y, d.test_X, d.test_Y
