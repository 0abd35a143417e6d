"""Mutant: forward_propagation_with_dropout draws the mask with np.random.randn.

randn < keep_prob keeps a unit with probability Φ(keep_prob) (0.69 at 0.5, 0.79 at 0.8), not keep_prob.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_randn_mask",
    "family": "DROP",
    "description": "dropout mask drawn with randn instead of rand (keep rate Φ(keep_prob))",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-2"],
}


def keep_mask(shape, keep_prob):
    return np.random.randn(*shape) < keep_prob  # BUG: normal, not uniform


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
