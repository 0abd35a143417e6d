"""Mutant: initialize_parameters_random draws the biases at random too; the course initialises b to zeros.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_random_bias_randn",
    "family": "INIT",
    "description": "random init also draws the biases at random (b = randn)",
    "breaks": ["initialize_parameters_random"],
    "kills": ["INIT-2"],
}


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    return initialize(layers_dims, random_weights,
                      biases=lambda n: np.random.randn(n, 1))  # BUG: biases must start at 0


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
