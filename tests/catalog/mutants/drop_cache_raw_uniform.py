"""Mutant: forward_propagation_with_dropout thresholds inline and caches the raw uniform draws.

The cache's D1, D2 are the rand() values, not the 0/1 masks actually applied, so a backward pass that
multiplies by them computes the wrong gradient.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_cache_raw_uniform",
    "family": "DROP",
    "description": "cache stores the uniform draws instead of the binary masks",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-1"],
}


def keep_mask(shape, keep_prob):
    return np.random.rand(*shape)  # BUG: the uniform draws themselves are cached as D ...


def drop(A, D, keep_prob):
    return A * (D < keep_prob) / keep_prob  # ... and thresholded only here


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
