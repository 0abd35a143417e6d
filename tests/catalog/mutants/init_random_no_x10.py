"""Mutant: initialize_parameters_random forgets the ×10: entries N(0, 1) instead of N(0, 10²).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_random_no_x10",
    "family": "INIT",
    "description": "random init draws randn without the ×10 (std 1 instead of 10)",
}


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1])  # BUG: no * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
