"""Mutant: gradients_to_vector takes the dW/db entries in the order the gradients dict holds them.

backward_propagation_n returns dZ3, dW3, db3, dA2, …: the gradient vector starts with dW3 while θ
starts with W1 — misaligned vectorization.
"""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "vec_grads_dict_order",
    "family": "VEC",
    "description": "gradients_to_vector walks the gradients dict in its own order (dW3, db3, dW2, …)",
    "breaks": ["gradients_to_vector"],
    "kills": ["GC-5"],
}


def gradients_to_vector(gradients):
    keys = [k for k in gradients if k.startswith(("dW", "db"))]  # BUG: dict order (dW3, db3, dW2, ...)
    return np.concatenate([np.reshape(gradients[k], (-1, 1)) for k in keys], axis=0)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
