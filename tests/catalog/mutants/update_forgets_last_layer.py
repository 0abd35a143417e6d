"""Mutant: update_parameters stops one layer early; W[L], b[L] keep their initial values.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "update_forgets_last_layer",
    "family": "UPD",
    "description": "update_parameters loops over range(L − 1): the output layer is never updated",
}


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = dict(parameters)
    for k in range(L - 1):  # BUG: off by one
        new["W" + str(k + 1)] = parameters["W" + str(k + 1)] - learning_rate * grads["dW" + str(k + 1)]
        new["b" + str(k + 1)] = parameters["b" + str(k + 1)] - learning_rate * grads["db" + str(k + 1)]
    return new
