"""Mutant: gradient_check returns ‖grad − gradapprox‖ instead of the relative difference.

Not scale-free: a correct gradient of a large cost fails, a wrong gradient of a tiny one passes.

Shaped like the Gradient-Checking notebook: the 1-D pair J(θ) = θx (correct) and a buggy
gradient_check; the N-D functions come from the correct implementation.
"""

import numpy as np

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gc_no_denominator",
    "family": "GC",
    "description": "gradient_check reports the absolute error ‖g − ĝ‖ without the normalising denominator",
    "breaks": ["gradient_check"],
    "kills": ["GC-2"],
}


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    error = analytic_derivative(x, theta) - numerical_derivative(x, theta, epsilon)
    difference = np.linalg.norm(error)  # BUG: no "/ (‖grad‖ + ‖gradapprox‖)"
    report(difference, print_msg)
    return difference


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
