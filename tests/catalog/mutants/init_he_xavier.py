"""Mutant: initialize_parameters_he uses the Xavier (LeCun) scale √(1/n[l−1]).

The course mentions Xavier as the tanh variant; for ReLU the lecture asks for variance 2/n[l−1].
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_xavier",
    "family": "INIT",
    "description": "He replaced by Xavier/LeCun: scale √(1/n[l−1])",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-6"],
}


def he_weights(n_out, n_in):
    return np.random.randn(n_out, n_in) * np.sqrt(1.0 / n_in)  # BUG: Xavier (LeCun) variance, He needs 2/n[l-1]


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
