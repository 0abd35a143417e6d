"""Mutant: backward_propagation_with_dropout masks dA[l] but forgets to divide by keep_prob.

The course's forward pass (kept) scales by 1/keep_prob, so the gradient is keep_prob times too small.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_bwd_no_scaling",
    "family": "DROP",
    "description": "1/keep_prob in forward but not in backward_propagation_with_dropout",
    "breaks": ["backward_propagation_with_dropout"],
    "kills": ["DROP-7"],
}


def drop_grad(dA, D, keep_prob):
    return dA * D  # BUG: no / keep_prob


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
