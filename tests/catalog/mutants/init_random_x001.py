"""Mutant: initialize_parameters_random scales by 0.01 (the shallow-network habit) instead of 10.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_random_x001",
    "family": "INIT",
    "description": "random init scaled ×0.01 (the week-3 habit) instead of ×10",
}


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 0.01  # BUG
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
