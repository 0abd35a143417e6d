"""Mutant: initialize_parameters_he loops over range(1, L−1): the output layer's W and b are missing.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_off_by_one",
    "family": "INIT",
    "description": "He init loop stops one layer early (no W[L], b[L])",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L - 1):  # BUG: off by one, the output layer is never created
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
            2.0 / layers_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
