"""Mutant: compute_cost forgets the minus sign: it returns (1/m)·Σ [y log a + (1−y) log(1−a)] ≤ 0.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "cost_wrong_sign",
    "family": "COST",
    "description": "compute_cost returns the mean log-likelihood (sign flipped)",
}


def compute_cost(a3, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(a3), Y) + np.multiply(np.log(1 - a3), 1 - Y)  # BUG: no minus
    return 1.0 / m * np.nansum(logprobs)
