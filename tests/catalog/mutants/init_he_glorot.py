"""Mutant: initialize_parameters_he uses Glorot/Xavier normal, √(2/(n[l−1]+n[l])).

What Keras and JAX call "glorot"/"xavier" — the default initializer of several frameworks.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "init_he_glorot",
    "family": "INIT",
    "description": "He replaced by Glorot normal: scale √(2/(n[l−1]+n[l]))",
    "breaks": ["initialize_parameters_he"],
    "kills": ["INIT-6"],
}


def he_fan(n_out, n_in):
    return n_in + n_out  # BUG: Glorot (fan average): √(2/(n[l−1] + n[l]))


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
