"""Mutant: forward_propagation_with_dropout keeps a unit when rand > keep_prob.

Each unit is then kept with probability 1 − keep_prob; at keep_prob = 0.5 the bug is invisible.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_inverted_comparison",
    "family": "DROP",
    "description": "dropout keeps a unit when rand > keep_prob (keep rate 1 − keep_prob)",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-2"],
}


def keep_mask(shape, keep_prob):
    return np.random.rand(*shape) > keep_prob  # BUG: inverted comparison


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
