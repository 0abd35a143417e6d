"""Mutant: initialize_parameters_he uses the Xavier (LeCun) scale √(1/n[l−1]).

The course mentions Xavier as the tanh variant; for ReLU the lecture asks for variance 2/n[l−1].
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_xavier",
    "family": "INIT",
    "description": "He replaced by Xavier/LeCun: scale √(1/n[l−1])",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
            1.0 / layers_dims[l - 1]  # BUG: Xavier (LeCun) variance, He needs 2/n[l-1]
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
