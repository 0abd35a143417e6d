"""Mutant: compute_cost_with_regularization uses λ/m instead of λ/(2m).

Inconsistent with the gradient λ/m·W the backward pass (kept) adds: the cost's own derivative would
be 2λ/m·W.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "l2cost_lambda_over_m",
    "family": "L2",
    "description": "L2 cost term λ/m·Σ‖W‖² instead of λ/(2m)·Σ‖W‖²",
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / m * (  # BUG: lambd / (2 * m)
        np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
    return cross_entropy_cost + L2_regularization_cost
