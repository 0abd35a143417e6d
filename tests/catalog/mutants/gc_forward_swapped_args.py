"""Mutant: gradient_check perturbs the wrong argument: forward_propagation(thetaplus, x).

Invisible for J = θx, which is symmetric in (x, θ): it computes ∂J/∂x instead of ∂J/∂θ.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_forward_swapped_args",
    "family": "GC",
    "description": "gradient_check calls forward_propagation(θ±ε, x) with the arguments swapped",
    "breaks": ["gradient_check"],
    "kills": ["GC-3"],
}


def numerical_derivative(x, theta, epsilon):
    J_plus = forward_propagation(theta + epsilon, x)  # BUG: arguments swapped
    J_minus = forward_propagation(theta - epsilon, x)  # BUG
    return (J_plus - J_minus) / (2 * epsilon)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
