"""Mutant: forward_propagation_with_dropout forgets the 1/keep_prob scaling.

Plain ("non-inverted") dropout: the expected activation shrinks by keep_prob, so the test-time network
(no dropout) sees activations 1/keep_prob larger than at training. The course's backward pass, kept
here, still divides by keep_prob, so the gradient is also inconsistent with the forward pass.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "drop_fwd_no_scaling",
    "family": "DROP",
    "description": "forward_propagation_with_dropout masks but never divides by keep_prob (backward still does)",
    "breaks": ["forward_propagation_with_dropout"],
    "kills": ["DROP-1", "DROP-4"],
}


def drop(A, D, keep_prob):
    return A * D  # BUG: no / keep_prob (not inverted dropout)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
