"""Mutant: forward_propagation_with_dropout thresholds inline and caches the raw uniform draws.

The cache's D1, D2 are the rand() values, not the 0/1 masks actually applied, so a backward pass that
multiplies by them computes the wrong gradient.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "drop_cache_raw_uniform",
    "family": "DROP",
    "description": "cache stores the uniform draws instead of the binary masks",
}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.maximum(0, Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1])
    A1 = A1 * (D1 < keep_prob)  # BUG: D1 itself is never thresholded ...
    A1 = A1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    A2 = np.maximum(0, Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1])
    A2 = A2 * (D2 < keep_prob)  # ... so the cache holds floats in [0, 1), not the masks
    A2 = A2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
