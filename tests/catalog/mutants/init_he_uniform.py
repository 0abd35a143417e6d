"""Mutant: initialize_parameters_he draws U(−√(6/n[l−1]), √(6/n[l−1])): same variance, not normal.

PyTorch's kaiming_uniform_ / Keras' he_uniform in place of the lecture's normal He.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_uniform",
    "family": "INIT",
    "description": "He variance right (2/n[l−1]) but drawn from a uniform distribution",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-7"],
}


def he_weights(n_out, n_in):
    limit = np.sqrt(6.0 / he_fan(n_out, n_in))  # variance limit²/3 = 2/n[l-1]: right variance ...
    return np.random.uniform(-limit, limit, size=(n_out, n_in))  # BUG: ... wrong distribution (uniform)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
