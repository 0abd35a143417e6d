"""Mutant: backward_propagation_with_regularization also decays the biases (db[l] += λ/m·b[l]),
while the cost (kept) penalises the weights only.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2grad_on_biases",
    "family": "L2",
    "description": "backward_propagation_with_regularization adds λ/m·b[l] to db[l]",
    "breaks": ["backward_propagation_with_regularization"],
    "kills": ["L2-2", "L2-3"],
}


def l2_gradient_terms(layers, lambd, m):
    terms = {}
    for l, layer in enumerate(layers, start=1):
        terms["dW" + str(l)] = lambd / m * layer.W
        terms["db" + str(l)] = lambd / m * layer.b  # BUG: biases are not regularized
    return terms


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
