"""Mutant: forward_propagation_with_dropout draws one mask column per layer and repeats it
across the batch, so every example loses the same units (full-shape masks are stored, so the shape
is right; only the independence across examples is wrong).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_mask_shared_across_examples",
    "family": "DROP",
    "description": "one dropout mask per unit, shared by every example of the batch",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-5"],
}


def keep_mask(shape, keep_prob):
    column = np.random.rand(shape[0], 1) < keep_prob  # BUG: one draw per unit, not per unit and example
    return np.tile(column, (1, shape[1]))


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
