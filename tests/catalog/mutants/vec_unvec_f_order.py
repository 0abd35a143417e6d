"""Mutant: vector_to_dictionary reshapes with order='F' (dictionary_to_vector, kept, flattens row-major).

The round trip θ → dict → θ is no longer the identity for any non-vector W.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "vec_unvec_f_order",
    "family": "VEC",
    "description": "vector_to_dictionary reshapes column-major while dictionary_to_vector flattens row-major",
}


def vector_to_dictionary(theta, layer_dims=(4, 5, 3, 1)):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l], 1)
    parameters = {}
    start = 0
    for key in [name + str(l) for l in range(1, len(layer_dims)) for name in ("W", "b")]:
        size = shapes[key][0] * shapes[key][1]
        parameters[key] = np.array(theta[start:start + size]).reshape(shapes[key], order="F")  # BUG: inverse of a row-major flatten must be row-major
        start += size
    return parameters
