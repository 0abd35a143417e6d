"""Mutant: forward_propagation_with_dropout forgets the 1/keep_prob scaling.

Plain ("non-inverted") dropout: the expected activation shrinks by keep_prob, so the test-time network
(no dropout) sees activations 1/keep_prob larger than at training. The course's backward pass, kept
here, still divides by keep_prob, so the gradient is also inconsistent with the forward pass.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "drop_fwd_no_scaling",
    "family": "DROP",
    "description": "forward_propagation_with_dropout masks but never divides by keep_prob (backward still does)",
}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1])
    D1 = (D1 < keep_prob).astype(int)
    A1 = A1 * D1
    # BUG: no A1 = A1 / keep_prob (not inverted dropout)
    Z2 = np.dot(W2, A1) + b2
    A2 = np.maximum(0, Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1])
    D2 = (D2 < keep_prob).astype(int)
    A2 = A2 * D2
    # BUG: no A2 = A2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
