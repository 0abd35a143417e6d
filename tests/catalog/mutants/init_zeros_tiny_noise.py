"""Mutant: initialize_parameters_zeros adds 1e-8·randn "to break symmetry": the function must return zeros.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_zeros_tiny_noise",
    "family": "INIT",
    "description": "zeros init with tiny noise added to break symmetry",
    "breaks": ["initialize_parameters_zeros"],
    "kills": ["INIT-3"],
}


def zero_weights(n_out, n_in):
    return np.zeros((n_out, n_in)) + 1e-8 * np.random.randn(n_out, n_in)  # BUG: not zeros


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
