"""Mutant: gradient_check never calls forward_propagation/backward_propagation.

J and its derivative are typed inline for the course's J = θx, so the function "passes" whatever the
module's backward_propagation returns — the bug found in 29 of 114 public learner notebooks.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "gc_inline_j",
    "family": "GC",
    "description": "gradient_check types J = θx and dJ/dθ = x inline and never calls the code under test",
}


def forward_propagation(x, theta):
    J = np.dot(theta, x)
    return J


def backward_propagation(x, theta):
    dtheta = x
    return dtheta


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    thetaplus = theta + epsilon
    thetaminus = theta - epsilon
    J_plus = thetaplus * x  # BUG: should call forward_propagation(x, thetaplus)
    J_minus = thetaminus * x  # BUG
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = x  # BUG: should call backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        if difference > 2e-7:
            print("There is a mistake in the backward propagation! difference = " + str(difference))
        else:
            print("Your backward propagation works perfectly fine! difference = " + str(difference))
    return difference
