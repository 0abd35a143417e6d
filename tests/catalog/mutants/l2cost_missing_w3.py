"""Mutant: compute_cost_with_regularization leaves out the output layer's weights.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2cost_missing_w3",
    "family": "L2",
    "description": "L2 cost term sums ‖W1‖² + ‖W2‖² and forgets W3",
    "breaks": ["compute_cost_with_regularization"],
    "kills": ["L2-1"],
}


def l2_cost(parameters, lambd, m):
    return lambd / (2 * m) * (squared_norm(parameters["W1"]) + squared_norm(parameters["W2"]))  # BUG: W3


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
