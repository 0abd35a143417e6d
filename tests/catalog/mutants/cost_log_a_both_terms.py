"""Mutant: compute_cost uses log(a3) for the negative class too (copy-paste of the first term).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "cost_log_a_both_terms",
    "family": "COST",
    "description": "compute_cost uses log(a3) in both terms: −[y log a + (1−y) log a]",
}


def compute_cost(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(a3), 1 - Y)  # BUG: log(1 - a3)
    return 1.0 / m * np.nansum(logprobs)
