"""Mutant: initialize_parameters_he draws U(−√(6/n[l−1]), √(6/n[l−1])): same variance, not normal.

PyTorch's kaiming_uniform_ / Keras' he_uniform in place of the lecture's normal He.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_uniform",
    "family": "INIT",
    "description": "He variance right (2/n[l−1]) but drawn from a uniform distribution",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        limit = np.sqrt(6.0 / layers_dims[l - 1])  # variance limit²/3 = 2/n[l-1]: right variance ...
        parameters["W" + str(l)] = np.random.uniform(  # BUG: ... wrong distribution (uniform)
            -limit, limit, size=(layers_dims[l], layers_dims[l - 1])
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
