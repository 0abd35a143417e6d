"""Mutant: backward_propagation takes the ReLU derivative as (A ≥ 0) instead of (A > 0).

A = relu(Z) is never negative, so the "derivative" is 1 everywhere: gradient flows through dead units.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bp_relu_deriv_a_ge_0",
    "family": "BP",
    "description": "backward_propagation uses relu'(Z) = (A ≥ 0), i.e. 1 everywhere",
    "breaks": ["backward_propagation"],
    "kills": ["NET-2"],
}


def relu_derivative(Z, A):
    return A >= 0  # BUG: A = relu(Z) is never negative, so this is always true


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
