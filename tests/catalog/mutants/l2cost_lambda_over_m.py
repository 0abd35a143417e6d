"""Mutant: compute_cost_with_regularization uses λ/m instead of λ/(2m).

Inconsistent with the gradient λ/m·W the backward pass (kept) adds: the cost's own derivative would
be 2λ/m·W.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2cost_lambda_over_m",
    "family": "L2",
    "description": "L2 cost term λ/m·Σ‖W‖² instead of λ/(2m)·Σ‖W‖²",
    "breaks": ["compute_cost_with_regularization"],
    "kills": ["L2-1"],
}


def l2_cost(parameters, lambd, m):
    weights = [parameters[k] for k in parameters if k.startswith("W")]
    return lambd / m * sum(squared_norm(W) for W in weights)  # BUG: lambd / (2 * m)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
