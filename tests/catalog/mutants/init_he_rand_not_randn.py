"""Mutant: initialize_parameters_he draws np.random.rand (uniform on [0, 1)) instead of randn.

A one-letter slip: every weight is positive, with mean √(2/n[l−1])/2 instead of 0 — symmetry is
broken, but the distribution is neither centred nor normal.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_rand_not_randn",
    "family": "INIT",
    "description": "He init with np.random.rand (uniform [0, 1), all positive) instead of randn",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        parameters["W" + str(l)] = np.random.rand(layers_dims[l], layers_dims[l - 1]) * np.sqrt(  # BUG: rand
            2.0 / layers_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
