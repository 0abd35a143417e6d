"""Mutant: compute_cost returns the sum of the per-example losses, not their mean.

The learning rate then has to shrink with the batch size; the lecture's J is (1/m)·Σ L(ŷ, y).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "cost_sum_not_mean",
    "family": "COST",
    "description": "compute_cost sums the cross-entropy over examples instead of averaging",
}


def compute_cost(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return np.nansum(logprobs)  # BUG: no 1/m
