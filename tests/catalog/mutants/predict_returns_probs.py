"""Mutant: predict returns a3 itself (the thresholding line forgotten).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "predict_returns_probs",
    "family": "PRED",
    "description": "predict returns the probabilities a3 instead of 0/1 labels",
}


def predict(X, y, parameters):
    a3, _ = forward_propagation(X, parameters)
    p = a3  # BUG: probabilities, not 0/1 predictions
    print("Accuracy: " + str(np.mean((p[0, :] > 0.5) == y[0, :])))
    return p
