"""Mutant: vector_to_dictionary reshapes with order='F' (dictionary_to_vector, kept, flattens row-major).

The round trip θ → dict → θ is no longer the identity for any non-vector W.
"""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "vec_unvec_f_order",
    "family": "VEC",
    "description": "vector_to_dictionary reshapes column-major while dictionary_to_vector flattens row-major",
    "breaks": ["vector_to_dictionary"],
    "kills": ["GC-5"],
}


def unflatten(column, shape):
    return np.reshape(column, shape, order="F")  # BUG: the inverse of a row-major flatten must be row-major


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
