"""Mutant: predict returns a3 itself (the thresholding line forgotten).
"""

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "predict_returns_probs",
    "family": "PRED",
    "description": "predict returns the probabilities a3 instead of 0/1 labels",
    "breaks": ["predict"],
    "kills": ["NET-4"],
}


def prediction(a3):
    return a3  # BUG: probabilities, not 0/1 predictions


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
