"""The Initialization assignment (W1A1): zeros, random×10 and He, with the course's seeding.

Seeding reproduced: :func:`initialize_parameters_random` and :func:`initialize_parameters_he` call
``np.random.seed(3)`` on numpy's global stream as their first statement, as the course does, then
draw ``W[l] = randn(n[l], n[l−1]) · std`` layer by layer (biases consume no draws). The scaling comes
from refnn's one variance-scaling rule (:mod:`refnn.init`).
"""

from __future__ import annotations

from typing import Literal, overload

import numpy as np

from refnn import training, validation
from refnn.course.layouts import model_output
from refnn.course.init_utils import (
    backward_propagation,
    compute_loss,
    forward_propagation,
    load_dataset,
    predict,
    update_parameters,
)
from refnn.init import PRESETS, initialize_from_draws
from refnn.types import CourseInitialization, FloatArray, Params


def _legacy_randn(shape: tuple[int, int]) -> FloatArray:
    return np.random.randn(*shape)


def initialize_parameters_zeros(layers_dims: list[int]) -> Params:
    """Every ``W[l]`` and ``b[l]`` zero (the lecture: this never breaks symmetry). No randomness."""
    dims = validation.layer_dims("initialize_parameters_zeros", layers_dims, "layers_dims")
    return initialize_from_draws(dims, PRESETS["zeros"], _legacy_randn)


def initialize_parameters_random(layers_dims: list[int]) -> Params:
    """``W[l] = randn(n[l], n[l−1]) · 10``, ``b[l] = 0``. Seeding: ``np.random.seed(3)`` first."""
    dims = validation.layer_dims("initialize_parameters_random", layers_dims, "layers_dims")
    np.random.seed(3)
    return initialize_from_draws(dims, PRESETS["random"], _legacy_randn)


def initialize_parameters_he(layers_dims: list[int]) -> Params:
    """``W[l] = randn(n[l], n[l−1]) · √(2/n[l−1])``, ``b[l] = 0``. Seeding: ``np.random.seed(3)`` first."""
    dims = validation.layer_dims("initialize_parameters_he", layers_dims, "layers_dims")
    np.random.seed(3)
    return initialize_from_draws(dims, PRESETS["he"], _legacy_randn)


_INITIALIZERS = {
    "zeros": initialize_parameters_zeros,
    "random": initialize_parameters_random,
    "he": initialize_parameters_he,
}


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., initialization: CourseInitialization = ...,
          return_costs: Literal[False] = ...) -> Params:
    ...


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., initialization: CourseInitialization = ..., *,
          return_costs: Literal[True]) -> tuple[Params, dict[int, float]]:
    ...


@overload
def model(X: FloatArray, Y: FloatArray, learning_rate: float = ..., num_iterations: int = ...,
          print_cost: bool = ..., initialization: CourseInitialization = ...,
          return_costs: bool = ...) -> Params | tuple[Params, dict[int, float]]:
    ...


def model(X: FloatArray, Y: FloatArray, learning_rate: float = 0.01, num_iterations: int = 15000,
          print_cost: bool = True, initialization: CourseInitialization = "he",
          return_costs: bool = False) -> Params | tuple[Params, dict[int, float]]:
    """The course's model: ``[n_x, 10, 5, 1]``, the chosen initialization, batch gradient descent.

    The loop is refnn's :func:`refnn.training.train` (the course's forward → cost → backward →
    update, fused), started from the course's initializer; no dropout, so its generator is unused.
    The cost is computed before each update and printed every 1000 iterations when ``print_cost``
    (after the run rather than during it).
    ``return_costs`` (refnn's addition) returns ``(parameters, {i: cost})`` for ``i % 1000 == 0``.
    """
    func = "model"
    if initialization not in _INITIALIZERS:
        raise validation.fail_value(func, "initialization", "one of 'zeros', 'random', 'he'",
                                    repr(initialization))
    Xa = validation.float_array(func, "X", X, shape_text="(n_x, m)")
    layers_dims = [Xa.shape[0], 10, 5, 1]
    parameters = _INITIALIZERS[initialization](layers_dims)
    args = training.check_train_args(func, Xa, Y, layers_dims, np.random.default_rng(0), "he",
                                     learning_rate, num_iterations, 0.0, 1.0, parameters)
    return model_output(training.run_train(args, func=func), 1000, print_cost, return_costs)


__all__ = [
    "backward_propagation",
    "compute_loss",
    "forward_propagation",
    "initialize_parameters_he",
    "initialize_parameters_random",
    "initialize_parameters_zeros",
    "load_dataset",
    "model",
    "predict",
    "update_parameters",
]
