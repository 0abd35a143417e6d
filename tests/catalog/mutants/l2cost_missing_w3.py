"""Mutant: compute_cost_with_regularization leaves out the output layer's weights.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "l2cost_missing_w3",
    "family": "L2",
    "description": "L2 cost term sums ‖W1‖² + ‖W2‖² and forgets W3",
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)))  # BUG: + W3
    return cross_entropy_cost + L2_regularization_cost
