"""Mutant: forward_propagation uses sigmoid for the hidden layers too (LINEAR→SIGMOID ×3).

A learner reusing their week-3 logistic code; the network the course specifies is
LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "fwd_sigmoid_hidden",
    "family": "BP",
    "description": "forward_propagation applies sigmoid instead of relu in the hidden layers",
}


def forward_propagation(X, parameters):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = 1 / (1 + np.exp(-Z1))  # BUG: should be relu
    Z2 = np.dot(W2, A1) + b2
    A2 = 1 / (1 + np.exp(-Z2))  # BUG
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
