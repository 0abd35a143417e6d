"""Mutant: dictionary_to_vector iterates over sorted(parameters), i.e. W1, W2, W3, b1, b2, b3.

vector_to_dictionary follows the same order (so the round trip is exact), but gradients_to_vector
(kept) uses the course's W1, b1, W2, … order: θ and the gradient vector are misaligned.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "vec_sorted_keys",
    "family": "VEC",
    "description": "dictionary_to_vector walks sorted(parameters) = W1, W2, W3, b1, b2, b3; gradients_to_vector walks dW1, db1, …",
}


def dictionary_to_vector(parameters):
    keys = []
    pieces = []
    for key in sorted(parameters):  # BUG: W1, W2, W3, b1, b2, b3
        new_vector = np.reshape(parameters[key], (-1, 1))
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
    for key in sorted(shapes):  # BUG: consistent with dictionary_to_vector, not with the gradients
        size = shapes[key][0] * shapes[key][1]
        parameters[key] = np.array(theta[start:start + size]).reshape(shapes[key])
        start += size
    return parameters
