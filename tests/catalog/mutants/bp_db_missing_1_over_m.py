"""Mutant: backward_propagation sums dZ for db without the 1/m (dW keeps it).

The bias gradients come out m times too large; the cost is a mean, so its gradient must be one.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bp_db_missing_1_over_m",
    "family": "BP",
    "description": "backward_propagation computes db[l] = Σ dZ[l] without 1/m",
    "breaks": ["backward_propagation"],
    "kills": ["NET-2"],
}


def bias_gradient(dZ, m):
    return np.sum(dZ, axis=1, keepdims=True)  # BUG: missing 1/m (dW keeps it)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
