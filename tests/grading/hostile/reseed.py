"""Reseeds NumPy's and Python's global streams, then answers correctly."""
import random
import numpy as np
from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    np.random.seed(0)
    random.seed(0)
    return _correct(A3, Y, parameters, lambd)
