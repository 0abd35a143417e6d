"""Mutant: update_parameters stops one layer early; W[L], b[L] keep their initial values.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "update_forgets_last_layer",
    "family": "UPD",
    "description": "update_parameters loops over range(L − 1): the output layer is never updated",
    "breaks": ["update_parameters"],
    "kills": ["NET-3"],
}


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for k in ["W" + str(l) for l in range(1, L)] + ["b" + str(l) for l in range(1, L)]:  # BUG: off by one
        new[k] = gradient_step(parameters[k], grads["d" + k], learning_rate)
    return new


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
