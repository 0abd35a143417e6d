"""Mutant: forward_propagation uses sigmoid for the hidden layers too (LINEAR→SIGMOID ×3).

A learner reusing their week-3 logistic code; the network the course specifies is
LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "fwd_sigmoid_hidden",
    "family": "BP",
    "description": "forward_propagation applies sigmoid instead of relu in the hidden layers",
    "breaks": ["forward_propagation"],
    "kills": ["NET-1"],
}


def hidden_activation(Z):
    return sigmoid(Z)  # BUG: should be relu


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
