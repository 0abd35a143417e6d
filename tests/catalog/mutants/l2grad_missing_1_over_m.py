"""Mutant: backward_propagation_with_regularization adds λ·W[l] instead of λ/m·W[l].
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2grad_missing_1_over_m",
    "family": "L2",
    "description": "L2 gradient term λ·W[l] (missing 1/m)",
    "breaks": ["backward_propagation_with_regularization"],
    "kills": ["L2-2"],
}


def l2_gradient_terms(layers, lambd, m):
    return {"dW" + str(l): lambd * layer.W for l, layer in enumerate(layers, start=1)}  # BUG: missing / m


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
