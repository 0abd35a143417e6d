"""Mutant: initialize_parameters_he stops one layer early: the output layer's W and b are missing.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_off_by_one",
    "family": "INIT",
    "description": "He init loop stops one layer early (no W[L], b[L])",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-1"],
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    return initialize(layers_dims[:-1], he_weights)  # BUG: off by one, the output layer is never created


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
