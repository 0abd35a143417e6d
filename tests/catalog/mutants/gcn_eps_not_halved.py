"""Mutant: gradient_check_n divides J(θ+ε) − J(θ−ε) by ε, not 2ε: gradapprox is twice the gradient."""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gcn_eps_not_halved",
    "family": "GC",
    "description": "gradient_check_n divides the central difference by ε instead of 2ε",
    "breaks": ["gradient_check_n"],
    "kills": ["GC-1"],
}


def central_difference(J, theta, i, epsilon):
    J_plus = J(perturbed(theta, i, epsilon))
    J_minus = J(perturbed(theta, i, -epsilon))
    return (J_plus - J_minus) / epsilon  # BUG: the step is 2ε wide


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
