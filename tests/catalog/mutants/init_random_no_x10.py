"""Mutant: initialize_parameters_random forgets the ×10: entries N(0, 1) instead of N(0, 10²).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_random_no_x10",
    "family": "INIT",
    "description": "random init draws randn without the ×10 (std 1 instead of 10)",
    "breaks": ["initialize_parameters_random"],
    "kills": ["INIT-5"],
}


def random_weights(n_out, n_in):
    return np.random.randn(n_out, n_in)  # BUG: no * 10


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
