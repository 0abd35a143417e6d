"""Mutant: gradient_check calls backward_propagation(theta, x): the derivative at the wrong point.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_backward_swapped_args",
    "family": "GC",
    "description": "gradient_check evaluates backward_propagation(θ, x) with the arguments swapped",
    "breaks": ["gradient_check"],
    "kills": ["GC-3"],
}


def analytic_derivative(x, theta):
    return backward_propagation(theta, x)  # BUG: arguments swapped


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
