"""Mutant: dictionary_to_vector / vector_to_dictionary flatten in Fortran (column-major) order.

The round trip is exact, but entry i of θ is no longer the parameter whose gradient is entry i of
gradients_to_vector (row-major): the vectors are misaligned, so gradient_check_n reports a large
difference for a correct backward pass.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "vec_f_order",
    "family": "VEC",
    "description": "dictionary_to_vector and vector_to_dictionary flatten column-major (order='F'); gradients_to_vector row-major",
}


def dictionary_to_vector(parameters):
    keys = []
    pieces = []
    for key in [name + str(l) for l in range(1, len(parameters) // 2 + 1) for name in ("W", "b")]:
        new_vector = np.reshape(parameters[key], (-1, 1), order="F")  # BUG: column-major
        keys = keys + [key] * new_vector.shape[0]
        pieces.append(new_vector)
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta, layer_dims=(4, 5, 3, 1)):
    shapes = {}
    for l in range(1, len(layer_dims)):
        shapes["W" + str(l)] = (layer_dims[l], layer_dims[l - 1])
        shapes["b" + str(l)] = (layer_dims[l], 1)
    parameters = {}
    start = 0
    for key in [name + str(l) for l in range(1, len(layer_dims)) for name in ("W", "b")]:
        size = shapes[key][0] * shapes[key][1]
        parameters[key] = np.array(theta[start:start + size]).reshape(shapes[key], order="F")  # BUG: column-major
        start += size
    return parameters
