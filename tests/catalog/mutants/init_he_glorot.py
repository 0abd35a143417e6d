"""Mutant: initialize_parameters_he uses Glorot/Xavier normal, √(2/(n[l−1]+n[l])).

What Keras and JAX call "glorot"/"xavier" — the default initializer of several frameworks.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_glorot",
    "family": "INIT",
    "description": "He replaced by Glorot normal: scale √(2/(n[l−1]+n[l]))",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
            2.0 / (layers_dims[l - 1] + layers_dims[l])  # BUG: Glorot (fan average)
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
