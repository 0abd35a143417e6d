"""Mutant: initialize_parameters_he multiplies by 2/n[l−1] — the variance — instead of its square root.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_no_sqrt",
    "family": "INIT",
    "description": "He scale 2/n[l−1] without the square root (variance 4/n²)",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * (
            2.0 / layers_dims[l - 1]  # BUG: the variance used as the standard deviation
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
