"""Mutant: the gradient-checking notebook's backward_propagation_n as handed out, first planted bug.

The course plants ``dW2 = 1/m · dZ2·A1ᵀ · 2`` in the given backward pass so that gradient checking
has something to find; most public copies still hold it.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bpn_planted_dw2_x2",
    "family": "BP",
    "description": "backward_propagation_n keeps the course's planted bug dW2 × 2",
    "breaks": ["backward_propagation_n"],
    "kills": ["GC-7"],
}


def backward_propagation_n(X, Y, cache):
    gradients = backward(X, Y, cache)
    gradients["dW2"] = gradients["dW2"] * 2  # BUG (planted by the course): factor 2
    return gradients


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
