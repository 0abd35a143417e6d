"""Mutant: predict uses a3 >= 0.5.

Differs only where a3 is exactly 0.5 — e.g. every example of a zero-initialised network, which the
course predicts as all 0 ("the model is predicting 0 for every example"); on the balanced circles
data the accuracy (0.5 / 0.5) is the same either way, only the predictions show it.
"""

import numpy as np

from _base import *  # noqa: F403  (a correct course in small pieces; this file replaces one)

CATALOG_ENTRY = {
    "id": "predict_ge_half",
    "family": "PRED",
    "description": "predict labels 1 when a3 ≥ 0.5 (the course: a3 > 0.5)",
    "breaks": ["predict"],
    "kills": ["NET-4"],
}


def prediction(a3):
    return (a3 >= 0.5).astype(np.int64)  # BUG: >= instead of >


rebind(globals())  # noqa: F405  (the base's functions now call the pieces defined above)
