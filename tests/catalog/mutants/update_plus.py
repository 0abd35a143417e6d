"""Mutant: update_parameters moves up the gradient.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "update_plus",
    "family": "UPD",
    "description": "update_parameters adds the gradient (p + α·dp): gradient ascent",
}


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    new = {}
    for k in range(L):
        new["W" + str(k + 1)] = parameters["W" + str(k + 1)] + learning_rate * grads["dW" + str(k + 1)]  # BUG: +
        new["b" + str(k + 1)] = parameters["b" + str(k + 1)] + learning_rate * grads["db" + str(k + 1)]  # BUG: +
    return new
