"""Mutant: forward_propagation_with_dropout also drops input features.

The course (and its figure) apply dropout to the hidden layers 1 and 2 only; here Z1 is computed from
a masked, rescaled X.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_input_layer",
    "family": "DROP",
    "description": "dropout applied to the input X before the first layer",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-1"],
}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    X = drop(X, keep_mask(X.shape, keep_prob), keep_prob)  # BUG: the input is dropped too
    return forward(X, parameters, keep_prob)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
