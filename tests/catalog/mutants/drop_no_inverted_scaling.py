"""Mutant: dropout without the 1/keep_prob, consistently in forward and backward.

The gradient matches this (wrong) forward pass, but the expected activation shrinks by keep_prob:
the network trained with dropout is not the network evaluated without it (the point of *inverted*
dropout).
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_no_inverted_scaling",
    "family": "DROP",
    "description": "no 1/keep_prob anywhere (plain, not inverted, dropout)",
    "breaks": ["forward_propagation_with_dropout", "backward_propagation_with_dropout"],
    "kills": ["DROP-1", "DROP-4", "DROP-7"],
}


def drop(A, D, keep_prob):
    return A * D  # BUG: no / keep_prob


def drop_grad(dA, D, keep_prob):
    return dA * D  # BUG: no / keep_prob (consistent with the forward pass)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
