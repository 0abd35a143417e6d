"""Mutant: gradient_check takes the derivative at θ + ε instead of at θ.

A learner reuses ``thetaplus`` for the analytic side. For the course's J = θx the derivative x does not
depend on θ, so the course's test passes; for any J curved in θ the two sides belong to different
points, and the module's backward_propagation is not what is being checked at θ.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_derivative_at_theta_plus_eps",
    "family": "GC",
    "description": "gradient_check evaluates backward_propagation(x, θ + ε), the derivative at another point",
    "breaks": ["gradient_check"],
    "kills": ["GC-3"],
}


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    thetaplus = theta + epsilon
    gradapprox = numerical_derivative(x, theta, epsilon)
    grad = backward_propagation(x, thetaplus)  # BUG: the derivative at θ + ε
    difference = relative_difference(grad, gradapprox)
    report(difference, print_msg)
    return difference


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
