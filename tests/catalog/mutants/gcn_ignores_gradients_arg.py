"""Mutant: gradient_check_n recomputes the gradients with the module's own backward pass.

The `gradients` it is given (the thing under test) are never looked at, so it cannot flag them."""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)
from _gc_base import gradient_check_n as check_given_gradients

CATALOG_ENTRY = {
    "id": "gcn_ignores_gradients_arg",
    "family": "GC",
    "description": "gradient_check_n ignores its gradients argument and recomputes them itself",
    "breaks": ["gradient_check_n"],
    "kills": ["GC-3"],
}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    _, cache = forward_propagation_n(X, Y, parameters)
    gradients = backward_propagation_n(X, Y, cache)  # BUG: the argument is overwritten
    return check_given_gradients(parameters, gradients, X, Y, epsilon, print_msg)


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
