"""Mutant: backward_propagation_with_regularization adds 2λ/m·W[l]: the derivative of λ/m·‖W‖²,
i.e. a learner who dropped the ½ of λ/(2m).
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "l2grad_2lambda_over_m",
    "family": "L2",
    "description": "L2 gradient term 2λ/m·W[l] (differentiated ‖W‖² but kept the 1/m, not 1/(2m))",
    "breaks": ["backward_propagation_with_regularization"],
    "kills": ["L2-2"],
}


def l2_gradient_terms(layers, lambd, m):
    return {"dW" + str(l): 2 * lambd / m * layer.W for l, layer in enumerate(layers, start=1)}  # BUG: 2λ/m


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
