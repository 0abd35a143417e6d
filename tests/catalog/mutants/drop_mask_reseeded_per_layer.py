"""Mutant: forward_propagation_with_dropout reseeds before every mask.

A learner who reads "np.random.seed(1)" as part of drawing a mask repeats it before D2; D2 then
holds the same uniform draws as the first rows of D1 — the same mask reused across layers.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_mask_reseeded_per_layer",
    "family": "DROP",
    "description": "np.random.seed(1) before each mask: layer 2 reuses layer 1's mask rows",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-5"],
}


def keep_mask(shape, keep_prob):
    np.random.seed(1)  # BUG: reseeded before every mask, so D2 repeats the first draws of D1
    return np.random.rand(*shape) < keep_prob


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
