"""Mutant: update_parameters updates the caller's arrays in place with `-=`.

Values are right, but the parameters passed in are destroyed (e.g. a gradient check or a second
experiment started from the same initial parameters sees the updated ones).
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "update_in_place",
    "family": "UPD",
    "description": "update_parameters subtracts in place (-=), overwriting the caller's arrays",
    "breaks": ["update_parameters"],
    "kills": ["NET-3"],
}


def gradient_step(p, dp, learning_rate):
    p -= learning_rate * dp  # BUG: in place, the caller's array is overwritten
    return p


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
