"""Mutant: gradient_check_n perturbs θ itself instead of a copy (`theta_plus = parameters_values`
without np.copy).

θ + ε is evaluated, then the −ε brings θ back and J_minus is evaluated at θ: the "central"
difference is really one-sided, divided by 2ε — half the gradient."""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gcn_no_copy",
    "family": "GC",
    "description": "gradient_check_n perturbs parameters_values in place (no np.copy): effectively one-sided",
    "breaks": ["gradient_check_n"],
    "kills": ["GC-1"],
}


def perturbed(theta, i, delta):
    theta[i] = theta[i] + delta  # BUG: no np.copy, θ itself is moved (and J_minus lands back on θ)
    return theta


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
