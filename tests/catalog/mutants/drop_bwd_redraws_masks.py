"""Mutant: backward_propagation_with_dropout draws new masks from the global stream.

The gradient must flow through the units the forward pass kept; here it uses unrelated masks.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_bwd_redraws_masks",
    "family": "DROP",
    "description": "backward_propagation_with_dropout draws fresh masks instead of the cached ones",
    "breaks": ["backward_propagation_with_dropout"],
    "kills": ["DROP-7"],
}


def drop_grad(dA, D, keep_prob):
    D = keep_mask(dA.shape, keep_prob)  # BUG: a fresh mask, not the forward pass's
    return dA * D / keep_prob


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
