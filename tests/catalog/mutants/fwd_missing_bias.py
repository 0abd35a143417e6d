"""Mutant: forward_propagation forgets to add the bias of the second layer, Z2 = W2·A1.

Invisible while biases are still zero (right after initialisation), wrong once they have trained.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "fwd_missing_bias",
    "family": "BP",
    "description": "forward_propagation computes Z2 = W2·A1 without + b2",
}


def forward_propagation(X, parameters):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(W2, A1)  # BUG: + b2 forgotten
    A2 = np.maximum(0, Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
