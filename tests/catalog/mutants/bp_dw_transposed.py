"""Mutant: backward_propagation multiplies in the wrong order, dW[l] = 1/m · A[l−1]·dZ[l]ᵀ.

That is the transpose of the true gradient: it has shape (n[l−1], n[l]) instead of W[l]'s
(n[l], n[l−1]); it only "fits" when a layer happens to be square.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "bp_dw_transposed",
    "family": "BP",
    "description": "backward_propagation computes dW[l] = 1/m · A[l−1]·dZ[l]ᵀ (the transpose)",
}


def backward_propagation(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(A2, dZ3.T)  # BUG: wrong product order
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(A1, dZ2.T)  # BUG
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(X, dZ1.T)  # BUG
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
