"""Mutant: initialize_parameters_he draws np.random.rand (uniform on [0, 1)) instead of randn.

A one-letter slip: every weight is positive, with mean √(2/n[l−1])/2 instead of 0 — symmetry is
broken, but the distribution is neither centred nor normal.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_rand_not_randn",
    "family": "INIT",
    "description": "He init with np.random.rand (uniform [0, 1), all positive) instead of randn",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-6", "INIT-7"],
}


def he_weights(n_out, n_in):
    return np.random.rand(n_out, n_in) * np.sqrt(2.0 / he_fan(n_out, n_in))  # BUG: rand


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
