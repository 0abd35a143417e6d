"""Mutant: update_parameters updates the caller's arrays in place with `-=` and returns the same dict.

Values are right, but the parameters passed in are destroyed (e.g. a gradient check or a second
experiment started from the same initial parameters sees the updated ones).
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "update_in_place",
    "family": "UPD",
    "description": "update_parameters subtracts in place (-=), overwriting the caller's arrays",
}


def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for k in range(L):
        parameters["W" + str(k + 1)] -= learning_rate * grads["dW" + str(k + 1)]  # BUG: in place
        parameters["b" + str(k + 1)] -= learning_rate * grads["db" + str(k + 1)]  # BUG: in place
    return parameters
