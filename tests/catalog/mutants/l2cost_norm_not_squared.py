"""Mutant: compute_cost_with_regularization sums the Frobenius norms ‖W[l]‖_F, not their squares.

np.linalg.norm(W) reads like "the norm in the formula", but the L2 term is λ/(2m)·Σ‖W[l]‖²_F.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "l2cost_norm_not_squared",
    "family": "L2",
    "description": "L2 cost term λ/(2m)·Σ‖W[l]‖_F (norms not squared)",
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    L2_regularization_cost = lambd / (2 * m) * (
        np.linalg.norm(W1) + np.linalg.norm(W2) + np.linalg.norm(W3)  # BUG: ‖W‖, not ‖W‖²
    )
    return cross_entropy_cost + L2_regularization_cost
