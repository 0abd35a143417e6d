"""Mutant: compute_cost_with_regularization returns the L2 penalty alone.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2cost_forgets_base",
    "family": "L2",
    "description": "compute_cost_with_regularization returns only the L2 term (forgets the cross-entropy)",
    "breaks": ["compute_cost_with_regularization"],
    "kills": ["L2-1"],
}


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return l2_cost(parameters, lambd, Y.shape[1])  # BUG: compute_cost(A3, Y) + forgotten


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
