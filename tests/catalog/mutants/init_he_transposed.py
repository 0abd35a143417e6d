"""Mutant: initialize_parameters_he returns W[l] with shape (n[l−1], n[l]) (the JAX/Keras layout).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_transposed",
    "family": "INIT",
    "description": "He weights laid out (n[l−1], n[l]), the framework layout",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l - 1], layers_dims[l]) * np.sqrt(
            2.0 / layers_dims[l - 1]
        )  # BUG: shape (n[l-1], n[l])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
