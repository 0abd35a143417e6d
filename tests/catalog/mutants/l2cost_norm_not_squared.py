"""Mutant: compute_cost_with_regularization sums the Frobenius norms ‖W[l]‖_F, not their squares.

np.linalg.norm(W) reads like "the norm in the formula", but the L2 term is λ/(2m)·Σ‖W[l]‖²_F.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2cost_norm_not_squared",
    "family": "L2",
    "description": "L2 cost term λ/(2m)·Σ‖W[l]‖_F (norms not squared)",
    "breaks": ["compute_cost_with_regularization"],
    "kills": ["L2-1"],
}


def squared_norm(W):
    return np.linalg.norm(W)  # BUG: ‖W‖, not ‖W‖²


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
