"""An endless loop at top level (never run: only imports and functions are taken)."""
import numpy as np
from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return _correct(A3, Y, parameters, lambd)


while True:
    pass
