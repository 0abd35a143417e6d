"""Mutant: backward_propagation_with_dropout never multiplies dA[l] by the mask D[l].

dW and db survive (the relu derivative on the stored, masked A happens to zero the dropped units), but
the returned dA1/dA2 carry gradient into units that were shut down.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_bwd_forgets_mask",
    "family": "DROP",
    "description": "backward_propagation_with_dropout scales dA by 1/keep_prob but never applies D",
    "breaks": ["backward_propagation_with_dropout"],
    "kills": ["DROP-7"],
}


def drop_grad(dA, D, keep_prob):
    return dA / keep_prob  # BUG: D not applied


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
