"""Mutant: compute_cost returns the sum of the per-example losses, not their mean.

The learning rate then has to shrink with the batch size; the lecture's J is (1/m)·Σ L(ŷ, y).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "cost_sum_not_mean",
    "family": "COST",
    "description": "compute_cost sums the cross-entropy over examples instead of averaging",
    "breaks": ["compute_cost"],
    "kills": ["COST-1"],
}


def compute_cost(a3, Y):
    return np.nansum(example_losses(a3, Y))  # BUG: no 1/m


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
