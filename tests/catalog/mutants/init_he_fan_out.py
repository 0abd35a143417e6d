"""Mutant: initialize_parameters_he scales by √(2/n[l]) — the fan-out — instead of √(2/n[l−1]).

The library mistake of copying a framework whose weights are laid out (fan_in, fan_out) into the
course's (n[l], n[l−1]) layout.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_fan_out",
    "family": "INIT",
    "description": "He scale √(2/n[l]) (fan-out) instead of √(2/n[l−1])",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(
            2.0 / layers_dims[l]  # BUG: fan-out instead of fan-in
        )
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
