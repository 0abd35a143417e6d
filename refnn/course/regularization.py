"""The Regularization assignment (W1A2): L2 and dropout, with the course's names and seeding.

Everything here is a thin translation onto :func:`refnn.network.forward` / :func:`~refnn.network.backward`
and :mod:`refnn.cost`; the course's positional caches are built by :mod:`refnn.course.layouts`.

Seeding reproduced: :func:`forward_propagation_with_dropout` calls ``np.random.seed(1)`` as its
first statement, as the course does, and then draws ``D1 = rand(n1, m) < keep_prob``,
``D2 = rand(n2, m) < keep_prob``, … on numpy's global stream.

Course mistake reproduced on purpose: because of that reseeding, *the same masks are used in every
iteration* of the course's dropout model (the text says units are shut down at random "in each
iteration"); the published dropout numbers depend on it. refnn's core draws fresh masks from a
Generator each iteration (:func:`refnn.training.train`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, overload

import numpy as np

from refnn import cost, network, training, validation
from refnn.course.layouts import CacheTuple, cache_to_tuple, model_output
from refnn.course.reg_utils import (
    backward_from_tuple,
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
    predict,
    update_parameters,
)
from refnn.types import BoolArray, FloatArray, Grads, Params


def compute_cost_with_regularization(A3: FloatArray, Y: FloatArray,
                                     parameters: Mapping[str, FloatArray], lambd: float) -> float:
    """``J = cross-entropy + (1/m)(λ/2) Σ_l ‖W[l]‖²_F`` — the biases are not penalized."""
    func = "compute_cost_with_regularization"
    A, y, P, lam = cost.check_total_cost_args(func, A3, Y, parameters, lambd, AL_name="A3",
                                              params_name="parameters")
    if lam != 0.0:
        cost.check_l2_representable(func, P, "parameters")
    return cost.run_total_cost(A, y, P, lam)


def backward_propagation_with_regularization(X: FloatArray, Y: FloatArray,
                                             cache: CacheTuple, lambd: float) -> Grads:
    """The backward pass with the L2 gradient ``(λ/m) W[l]`` added to every ``dW[l]``."""
    func = "backward_propagation_with_regularization"
    return backward_from_tuple(func, X, Y, cache, validation.lambd(func, lambd))


def _course_masks(dims: tuple[int, ...], m: int, keep_prob: float) -> list[BoolArray]:
    # np.random.seed(1) first, then D[l] = rand(n[l], m) < keep_prob for each hidden layer in order.
    np.random.seed(1)
    return [np.random.rand(dims[l], m) < keep_prob for l in range(1, len(dims) - 1)]


def forward_propagation_with_dropout(X: FloatArray, parameters: Mapping[str, FloatArray],
                                     keep_prob: float = 0.5
                                     ) -> tuple[FloatArray, CacheTuple]:
    """Forward pass with inverted dropout on every hidden layer (never the input or the output).

    Returns ``(A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3))`` with ``A[l]`` stored
    after masking and division by ``keep_prob``; ``A3`` has shape ``(1, m)`` (the course's
    docstring says ``(1, 1)``).

    Seeding: ``np.random.seed(1)`` on numpy's global stream at every call, as in the course.
    """
    func = "forward_propagation_with_dropout"
    P, dims = validation.params(func, parameters, "parameters")
    Xa = validation.float_array(func, "X", X, shape=(dims[0], None), shape_text="(n_x, m)")
    kp = validation.keep_prob(func, keep_prob)
    masks = _course_masks(dims, Xa.shape[1], kp)
    L = len(dims) - 1
    kps = (kp,) * (L - 1) + (1.0,)
    if kp == 1.0:  # no mask is applied, but the course still stores its (all-ones) masks
        AL, cache = network.checked_forward(func, P, Xa, [None] * (L - 1), kps)
        return AL, _with_masks(cache_to_tuple(cache, P), masks)
    AL, cache = network.checked_forward(func, P, Xa, masks, kps)
    return AL, cache_to_tuple(cache, P)


def _with_masks(plain: CacheTuple, masks: list[BoolArray]) -> CacheTuple:
    out: list[FloatArray | BoolArray] = []
    for l, D in enumerate(masks):
        out += [plain[4 * l], D, *plain[4 * l + 1:4 * l + 4]]
    return tuple(out) + plain[4 * len(masks):]


def backward_propagation_with_dropout(X: FloatArray, Y: FloatArray,
                                      cache: CacheTuple, keep_prob: float) -> Grads:
    """The backward pass through the cached masks: ``dA[l] = (W[l+1]ᵀ dZ[l+1]) · D[l] / keep_prob``."""
    func = "backward_propagation_with_dropout"
    return backward_from_tuple(func, X, Y, cache, keep_prob=validation.keep_prob(func, keep_prob))


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., lambd: float = ..., keep_prob: float = ...,
          return_costs: Literal[False] = ...) -> Params:
    ...


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., lambd: float = ..., keep_prob: float = ..., *,
          return_costs: Literal[True]) -> tuple[Params, dict[int, float]]:
    ...


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., lambd: float = ..., keep_prob: float = ...,
          return_costs: bool = ...) -> Params | tuple[Params, dict[int, float]]:
    ...


def model(X: FloatArray, Y: FloatArray, learning_rate: float = 0.3, num_iterations: int = 30000,
          print_cost: bool = True, lambd: float = 0, keep_prob: float = 1,
          return_costs: bool = False) -> Params | tuple[Params, dict[int, float]]:
    """The course's model: ``[n_x, 20, 3, 1]``, :func:`initialize_parameters` (seed 3), gradient descent.

    L2 (``lambd``) and dropout (``keep_prob``) are not used together, as in the course. The loop is
    refnn's :func:`refnn.training.train` started from the course's initializer; with dropout it is
    given the course's masks (``np.random.seed(1)``, then ``rand(n[l], m) < keep_prob``) to hold in
    every iteration, since the course's reseeding makes them the same at every call. The cost is
    computed before each update; it is printed every 10000 iterations when ``print_cost`` (after
    the run rather than during it).

    ``return_costs`` (refnn's addition) returns ``(parameters, {i: cost})`` for ``i % 10000 == 0``.
    """
    func = "model"
    Xa = validation.float_array(func, "X", X, shape_text="(n_x, m)")
    lam = validation.lambd(func, lambd)
    kp = validation.keep_prob(func, keep_prob)
    if lam != 0 and kp != 1:
        raise validation.fail_value(func, "keep_prob", "1 when 'lambd' is not 0",
                                    f"keep_prob={keep_prob} with lambd={lambd}",
                                    hint="the course uses L2 or dropout, one at a time")
    layers_dims = [Xa.shape[0], 20, 3, 1]
    parameters = initialize_parameters(layers_dims)
    masks = None
    if kp < 1:  # the course's masks: reseeded at every call, so the same in every iteration
        masks = _course_masks(tuple(layers_dims), Xa.shape[1], kp)
    args = training.check_train_args(func, Xa, Y, layers_dims, np.random.default_rng(0), "he",
                                     learning_rate, num_iterations, lam, kp, parameters, masks)
    return model_output(training.run_train(args, func=func), 10000, print_cost, return_costs)


__all__ = [
    "backward_propagation",
    "backward_propagation_with_dropout",
    "backward_propagation_with_regularization",
    "compute_cost",
    "compute_cost_with_regularization",
    "forward_propagation",
    "forward_propagation_with_dropout",
    "initialize_parameters",
    "model",
    "predict",
    "update_parameters",
]
