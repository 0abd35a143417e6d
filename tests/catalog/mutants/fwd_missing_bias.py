"""Mutant: forward_propagation forgets to add the biases, Z[l] = W[l]·A[l−1].

Invisible while biases are still zero (right after initialisation), wrong once they have trained.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "fwd_missing_bias",
    "family": "BP",
    "description": "forward_propagation computes Z[l] = W[l]·A[l−1] without + b[l]",
    "breaks": ["forward_propagation"],
    "kills": ["NET-1"],
}


def linear(W, A, b):
    return np.dot(W, A)  # BUG: + b forgotten


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
