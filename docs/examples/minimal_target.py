"""A minimal conformance target: a few of the course's functions, written from the lecture.

Run the suite against it from a refnn checkout::

    pytest properties --refnn-target=docs/examples/minimal_target.py

The properties for the functions defined here run; every other property is skipped with a reason
naming the function this module lacks, and the summary counts both. Randomness: the He initializer
draws from its own ``numpy.random.Generator`` rather than the course's ``np.random.seed(3)``, so
the course's seeded numbers (the ``golden`` tier) do not apply — judge it with
``-m "not golden"``.
"""

import numpy as np

_rng = np.random.default_rng(2024)


def initialize_parameters_he(layers_dims):
    """W[l] ~ N(0, 2/n[l-1]) of shape (n[l], n[l-1]); b[l] = 0 of shape (n[l], 1)."""
    parameters = {}
    for l in range(1, len(layers_dims)):
        fan_in = layers_dims[l - 1]
        parameters[f"W{l}"] = _rng.standard_normal((layers_dims[l], fan_in)) * np.sqrt(2.0 / fan_in)
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def compute_cost(a3, Y):
    """The mean binary cross-entropy of the outputs a3 (1, m) against the labels Y (1, m)."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(a3) + (1 - Y) * np.log(1 - a3)) / m)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """The cross-entropy plus λ/(2m) times the squared Frobenius norms of W1, W2, W3."""
    m = Y.shape[1]
    squares = sum(np.sum(np.square(parameters[f"W{l}"])) for l in (1, 2, 3))
    return compute_cost(A3, Y) + lambd / (2 * m) * squares


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step, into new arrays (the caller's are left alone)."""
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
