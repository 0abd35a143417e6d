"""Mutant: forward_propagation_with_dropout divides by keep_prob twice (a stray `A /= keep_prob` left
behind after rewriting the line as `A = A * D / keep_prob`).
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_fwd_double_scaling",
    "family": "DROP",
    "description": "forward_propagation_with_dropout divides by keep_prob twice",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-1", "DROP-4"],
}


def drop(A, D, keep_prob):
    A = A * D / keep_prob
    A /= keep_prob  # BUG: scaled twice
    return A


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
