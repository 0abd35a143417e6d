"""Mutant: gradient_check uses a one-sided difference.

Exact for the course's linear J = θx, so the course's test passes; for a curved J its error is O(ε),
not O(ε²), and it no longer shrinks ~100× when ε shrinks 10×.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "gc_one_sided",
    "family": "GC",
    "description": "gradient_check uses the one-sided difference (J(θ+ε) − J(θ))/ε",
}


def forward_propagation(x, theta):
    J = np.dot(theta, x)
    return J


def backward_propagation(x, theta):
    dtheta = x
    return dtheta


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J = forward_propagation(x, theta)
    J_plus = forward_propagation(x, theta + epsilon)
    gradapprox = (J_plus - J) / epsilon  # BUG: one-sided
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        if difference > 2e-7:
            print("There is a mistake in the backward propagation! difference = " + str(difference))
        else:
            print("Your backward propagation works perfectly fine! difference = " + str(difference))
    return difference
