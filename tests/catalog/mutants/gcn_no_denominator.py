"""Mutant: gradient_check_n returns the absolute error ‖grad − gradapprox‖ (the denominator forgotten)."""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gcn_no_denominator",
    "family": "GC",
    "description": "gradient_check_n returns ‖g − ĝ‖ without the normalising denominator",
    "breaks": ["gradient_check_n"],
    "kills": ["GC-2"],
}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    error = gradients_to_vector(gradients) - numerical_gradient(parameters, X, Y, epsilon)
    difference = np.linalg.norm(error)  # BUG: / (‖grad‖ + ‖gradapprox‖) forgotten
    report(difference, print_msg)
    return difference


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
