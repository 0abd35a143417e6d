"""Mutant: backward_propagation multiplies in the wrong order, dW[l] = 1/m · A[l−1]·dZ[l]ᵀ.

That is the transpose of the true gradient: it has shape (n[l−1], n[l]) instead of W[l]'s
(n[l], n[l−1]); it only "fits" when a layer happens to be square.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bp_dw_transposed",
    "family": "BP",
    "description": "backward_propagation computes dW[l] = 1/m · A[l−1]·dZ[l]ᵀ (the transpose)",
    "breaks": ["backward_propagation"],
    "kills": ["NET-2"],
}


def weight_gradient(dZ, A_prev, m):
    return 1.0 / m * np.dot(A_prev, dZ.T)  # BUG: wrong product order


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
