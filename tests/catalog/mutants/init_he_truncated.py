"""Mutant: initialize_parameters_he draws a normal truncated at ±2σ, rescaled to variance 2/n[l−1].

jax.nn.initializers.he_normal and Keras' HeNormal do this; the lecture (and the course code) draw a
plain normal. Mean and variance are right: only the shape of the distribution is wrong.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_truncated",
    "family": "INIT",
    "description": "He drawn from a normal truncated at ±2σ, variance-corrected (JAX/Keras he_normal)",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-7"],
}


def he_weights(n_out, n_in):
    z = np.random.randn(n_out, n_in)
    outside = np.abs(z) > 2
    while outside.any():  # BUG: truncated normal (rejection at ±2σ) instead of a plain normal
        z[outside] = np.random.randn(int(outside.sum()))
        outside = np.abs(z) > 2
    return z * np.sqrt(2.0 / he_fan(n_out, n_in)) / 0.87962566103423978  # JAX's variance correction


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
