"""Mutant: compute_cost forgets the minus sign: it returns (1/m)·Σ [y log a + (1−y) log(1−a)] ≤ 0.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "cost_wrong_sign",
    "family": "COST",
    "description": "compute_cost returns the mean log-likelihood (sign flipped)",
    "breaks": ["compute_cost"],
    "kills": ["COST-1"],
}


def example_losses(a3, Y):
    return Y * np.log(a3) + (1 - Y) * np.log(1 - a3)  # BUG: no minus


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
