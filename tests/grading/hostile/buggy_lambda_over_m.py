"""A buggy submission: λ/m instead of λ/(2m) (must fail on L2-1, not error)."""
import numpy as np
from refnn.course import compute_cost as _cross_entropy


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    L = len(parameters) // 2
    penalty = sum(np.sum(np.square(parameters["W" + str(l)])) for l in range(1, L + 1))
    return _cross_entropy(A3, Y) + lambd / m * penalty
