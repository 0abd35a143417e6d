"""Mutant: initialize_parameters_random draws the biases at random too; the course initialises b to zeros.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_random_bias_randn",
    "family": "INIT",
    "description": "random init also draws the biases at random (b = randn)",
}


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.random.randn(layers_dims[l], 1)  # BUG: biases must start at 0
    return parameters
