"""Mutant: dictionary_to_vector iterates over sorted(parameters), i.e. W1, W2, W3, b1, b2, b3.

vector_to_dictionary follows the same order (so the round trip is exact), but gradients_to_vector
(kept) uses the course's W1, b1, W2, … order: θ and the gradient vector are misaligned.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "vec_sorted_keys",
    "family": "VEC",
    "description": "dictionary_to_vector walks sorted(parameters) = W1, W2, W3, b1, b2, b3; gradients_to_vector walks dW1, db1, …",
    "breaks": ["dictionary_to_vector", "vector_to_dictionary"],
    "kills": ["GC-5"],
}


def parameter_names(L):
    return sorted(p + str(l) for l in range(1, L + 1) for p in ("W", "b"))  # BUG: W1, W2, W3, b1, b2, b3


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
