"""Mutant: dictionary_to_vector / vector_to_dictionary flatten in Fortran (column-major) order.

The round trip is exact, but entry i of θ is no longer the parameter whose gradient is entry i of
gradients_to_vector (row-major): the vectors are misaligned, so gradient_check_n reports a large
difference for a correct backward pass.
"""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "vec_f_order",
    "family": "VEC",
    "description": "dictionary_to_vector and vector_to_dictionary flatten column-major (order='F'); gradients_to_vector row-major",
    "breaks": ["dictionary_to_vector", "vector_to_dictionary"],
    "kills": ["GC-5"],
}


def flatten(array):
    return np.reshape(array, (-1, 1), order="F")  # BUG: column-major


def unflatten(column, shape):
    return np.reshape(column, shape, order="F")  # BUG: column-major (consistent with flatten)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
