"""Mutant: the gradient-checking notebook's backward_propagation_n as handed out, second planted bug.

The course plants ``db1 = 4/m · Σ dZ1`` in the given backward pass (the correct factor is 1/m).
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bpn_planted_db1_4_over_m",
    "family": "BP",
    "description": "backward_propagation_n keeps the course's planted bug db1 = 4/m · Σ dZ1",
    "breaks": ["backward_propagation_n"],
    "kills": ["GC-7"],
}


def backward_propagation_n(X, Y, cache):
    gradients = backward(X, Y, cache)
    gradients["db1"] = 4 * gradients["db1"]  # BUG (planted by the course): db1 = 4/m · Σ dZ1
    return gradients


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
