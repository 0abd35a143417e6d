"""Mutant: backward_propagation with dZ3 = Y − A3 (the sign of the output error flipped).

A learner who derives dL/dZ from "error = label − prediction" gets every gradient with the wrong sign;
gradient descent then climbs the cost.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "bp_dz3_wrong_sign",
    "family": "BP",
    "description": "backward_propagation uses dZ3 = Y − A3 (every gradient has the wrong sign)",
    "breaks": ["backward_propagation"],
    "kills": ["NET-2"],
}


def output_error(A, Y):
    return Y - A  # BUG: should be A - Y


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
