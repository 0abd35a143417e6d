"""Mutant: compute_cost uses log(a3) for the negative class too (copy-paste of the first term).
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "cost_log_a_both_terms",
    "family": "COST",
    "description": "compute_cost uses log(a3) in both terms: −[y log a + (1−y) log a]",
    "breaks": ["compute_cost"],
    "kills": ["COST-1"],
}


def example_losses(a3, Y):
    return -(Y * np.log(a3) + (1 - Y) * np.log(a3))  # BUG: log(1 - a3) in the second term


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
