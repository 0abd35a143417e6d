"""Mutant: compute_cost_with_regularization sums the squares of every parameter, biases included.

The lecture: "you could also add λ/(2m)·b², but in practice it makes little difference; we omit it",
and the course's formula sums ‖W[l]‖²_F only.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2cost_includes_biases",
    "family": "L2",
    "description": "L2 cost term penalises the biases as well as the weights",
    "breaks": ["compute_cost_with_regularization"],
    "kills": ["L2-1", "L2-3"],
}


def l2_cost(parameters, lambd, m):
    return lambd / (2 * m) * sum(squared_norm(p) for p in parameters.values())  # BUG: b1, b2, b3 too


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
