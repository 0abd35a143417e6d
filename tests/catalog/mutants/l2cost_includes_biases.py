"""Mutant: compute_cost_with_regularization sums the squares of every parameter, biases included.

The lecture: "you could also add λ/(2m)·b², but in practice it makes little difference; we omit it",
and the course's formula sums ‖W[l]‖²_F only.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "l2cost_includes_biases",
    "family": "L2",
    "description": "L2 cost term penalises the biases as well as the weights",
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    squares = sum(np.sum(np.square(p)) for p in parameters.values())  # BUG: includes b1, b2, b3
    return cross_entropy_cost + lambd / (2 * m) * squares
