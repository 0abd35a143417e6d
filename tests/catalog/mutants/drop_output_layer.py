"""Mutant: forward_propagation_with_dropout applies dropout to the output layer too.

A loop "for every layer: activation, then dropout" that does not stop before the output layer: A3 is
no longer a probability (0, or sigmoid/keep_prob > 1 possible).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_output_layer",
    "family": "DROP",
    "description": "dropout also applied to the output layer A3",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-3"],
}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    A3, cache = forward(X, parameters, keep_prob)
    A3 = drop(A3, keep_mask(A3.shape, keep_prob), keep_prob)  # BUG: the output layer is dropped too
    return A3, cache[:-3] + (A3,) + cache[-2:]


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
