"""Mutant: compute_cost_with_regularization returns the L2 penalty alone.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "l2cost_forgets_base",
    "family": "L2",
    "description": "compute_cost_with_regularization returns only the L2 term (forgets the cross-entropy)",
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3)))
    cost = L2_regularization_cost  # BUG: cross_entropy_cost forgotten
    return cost
