"""Mutant: gradient_check uses a one-sided difference.

Exact for the course's linear J = θx, so the course's test passes; for a curved J its error is O(ε),
not O(ε²), and it no longer shrinks ~100× when ε shrinks 10×.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_one_sided",
    "family": "GC",
    "description": "gradient_check uses the one-sided difference (J(θ+ε) − J(θ))/ε",
    "breaks": ["gradient_check"],
    "kills": ["GC-1"],
}


def numerical_derivative(x, theta, epsilon):
    J, J_plus = forward_propagation(x, theta), forward_propagation(x, theta + epsilon)
    return (J_plus - J) / epsilon  # BUG: one-sided


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
