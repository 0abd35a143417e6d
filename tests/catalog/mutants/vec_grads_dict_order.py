"""Mutant: gradients_to_vector takes the dW/db entries in the order the gradients dict holds them.

backward_propagation_n returns dZ3, dW3, db3, dA2, …: the gradient vector starts with dW3 while θ
starts with W1 — misaligned vectorization.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "vec_grads_dict_order",
    "family": "VEC",
    "description": "gradients_to_vector walks the gradients dict in its own order (dW3, db3, dW2, …)",
}


def gradients_to_vector(gradients):
    pieces = []
    for key in gradients:  # BUG: dict order (dW3, db3, dW2, ...), not dW1, db1, dW2, ...
        if key.startswith("dW") or key.startswith("db"):
            pieces.append(np.reshape(gradients[key], (-1, 1)))
    return np.concatenate(pieces, axis=0)
