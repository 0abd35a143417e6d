"""Mutant: update_parameters moves up the gradient.
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "update_plus",
    "family": "UPD",
    "description": "update_parameters adds the gradient (p + α·dp): gradient ascent",
    "breaks": ["update_parameters"],
    "kills": ["NET-3"],
}


def gradient_step(p, dp, learning_rate):
    return p + learning_rate * dp  # BUG: +


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
