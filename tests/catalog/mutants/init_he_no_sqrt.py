"""Mutant: initialize_parameters_he multiplies by 2/n[l−1] — the variance — instead of its square root.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_no_sqrt",
    "family": "INIT",
    "description": "He scale 2/n[l−1] without the square root (variance 4/n²)",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-6"],
}


def he_weights(n_out, n_in):
    return np.random.randn(n_out, n_in) * (2.0 / he_fan(n_out, n_in))  # BUG: the variance used as the std


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
