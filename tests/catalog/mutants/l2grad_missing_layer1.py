"""Mutant: backward_propagation_with_regularization forgets the L2 term in the first layer.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2grad_missing_layer1",
    "family": "L2",
    "description": "L2 gradient term added to dW3 and dW2 but not to dW1",
    "breaks": ["backward_propagation_with_regularization"],
    "kills": ["L2-2"],
}


def l2_gradient_terms(layers, lambd, m):
    return {"dW" + str(l): lambd / m * layer.W
            for l, layer in enumerate(layers, start=1) if l > 1}  # BUG: the term forgotten in dW1


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
