"""Mutant: initialize_parameters_he returns W[l] with shape (n[l−1], n[l]) (the JAX/Keras layout).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_transposed",
    "family": "INIT",
    "description": "He weights laid out (n[l−1], n[l]), the framework layout",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-1"],
}


def he_weights(n_out, n_in):
    return np.random.randn(n_in, n_out) * np.sqrt(2.0 / he_fan(n_out, n_in))  # BUG: shape (n[l-1], n[l])


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
