"""Prints 50 MB (to sys.stdout and straight to file descriptor 1) the first time, then answers
correctly."""
import os
import numpy as np
from refnn.course import compute_cost_with_regularization as _correct


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    if not getattr(compute_cost_with_regularization, "done", False):
        compute_cost_with_regularization.done = True
        print("x" * 25_000_000)
        os.write(1, b"y" * 25_000_000)
    return _correct(A3, Y, parameters, lambd)
