"""Mutant: initialize_parameters_he draws a normal truncated at ±2σ, rescaled to variance 2/n[l−1].

jax.nn.initializers.he_normal and Keras' HeNormal do this; the lecture (and the course code) draw a
plain normal. Mean and variance are right: only the shape of the distribution is wrong.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "init_he_truncated",
    "family": "INIT",
    "description": "He drawn from a normal truncated at ±2σ, variance-corrected (JAX/Keras he_normal)",
}


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        shape = (layers_dims[l], layers_dims[l - 1])
        std = np.sqrt(2.0 / layers_dims[l - 1]) / 0.87962566103423978  # JAX's variance correction
        z = np.random.randn(*shape)
        bad = np.abs(z) > 2
        while bad.any():  # BUG: truncated normal (rejection at ±2σ) instead of a plain normal
            z[bad] = np.random.randn(int(bad.sum()))
            bad = np.abs(z) > 2
        parameters["W" + str(l)] = z * std
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
