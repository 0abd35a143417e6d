"""Mutant: backward_propagation sums dZ for db without the 1/m (dW keeps it).

The bias gradients come out m times too large; the cost is a mean, so its gradient must be one.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "bp_db_missing_1_over_m",
    "family": "BP",
    "description": "backward_propagation computes db[l] = Σ dZ[l] without 1/m",
}


def backward_propagation(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = np.sum(dZ3, axis=1, keepdims=True)  # BUG: missing 1/m
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T)
    db2 = np.sum(dZ2, axis=1, keepdims=True)  # BUG
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, X.T)
    db1 = np.sum(dZ1, axis=1, keepdims=True)  # BUG
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
