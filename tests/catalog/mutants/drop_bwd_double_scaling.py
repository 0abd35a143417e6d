"""Mutant: backward_propagation_with_dropout divides dA[l] by keep_prob twice.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_bwd_double_scaling",
    "family": "DROP",
    "description": "backward_propagation_with_dropout divides dA by keep_prob twice",
    "breaks": ["backward_propagation_with_dropout"],
    "kills": ["DROP-7"],
}


def drop_grad(dA, D, keep_prob):
    dA = dA * D / keep_prob
    return dA / keep_prob  # BUG: scaled twice


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
