"""A correct submission (the control: it must pass)."""
import numpy as np
from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return _correct(A3, Y, parameters, lambd)
