"""Mutant: initialize_parameters_random scales by 0.01 (the shallow-network habit) instead of 10.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_random_x001",
    "family": "INIT",
    "description": "random init scaled ×0.01 (the week-3 habit) instead of ×10",
    "breaks": ["initialize_parameters_random"],
    "kills": ["INIT-5"],
}


def random_weights(n_out, n_in):
    return np.random.randn(n_out, n_in) * 0.01  # BUG: the week-3 habit, not * 10


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
