"""Mutant: gradient_check never calls forward_propagation/backward_propagation.

J and its derivative are typed inline for the course's J = θx, so the function "passes" whatever the
module's backward_propagation returns — the bug found in 29 of 114 public learner notebooks.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_inline_j",
    "family": "GC",
    "description": "gradient_check types J = θx and dJ/dθ = x inline and never calls the code under test",
    "breaks": ["gradient_check"],
    "kills": ["GC-3"],
}


def numerical_derivative(x, theta, epsilon):
    return ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)  # BUG: J = θx typed inline


def analytic_derivative(x, theta):
    return x  # BUG: dJ/dθ = x typed inline, the module's backward_propagation never called


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
