"""Mutant: gradient_check_n uses a one-sided difference (J(θ + εeᵢ) − J(θ))/ε.

Its error is O(ε) rather than O(ε²): it does not shrink ~100× when ε shrinks 10×, and the relative
difference for a correct backward pass is far above the 2e-7 threshold at moderate ε."""

from _gc_base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "gcn_one_sided",
    "family": "GC",
    "description": "gradient_check_n uses the one-sided difference (J(θ+εeᵢ) − J(θ))/ε",
    "breaks": ["gradient_check_n"],
    "kills": ["GC-1"],
}


def central_difference(J, theta, i, epsilon):
    return (J(perturbed(theta, i, epsilon)) - J(theta)) / epsilon  # BUG: one-sided


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
