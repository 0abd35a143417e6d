"""Mutant: initialize_parameters_zeros adds 1e-8·randn "to break symmetry": the function must return zeros.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_zeros_tiny_noise",
    "family": "INIT",
    "description": "zeros init with tiny noise added to break symmetry",
}


def initialize_parameters_zeros(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        shape = (layers_dims[l], layers_dims[l - 1])
        parameters["W" + str(l)] = np.zeros(shape) + 1e-8 * np.random.randn(*shape)  # BUG: not zeros
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
