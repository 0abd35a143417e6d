"""The course's ``testCases`` helper module, minimal: the inputs of the notebooks' test cells.

It exists so that a learner's notebook that does ``from testCases import *`` can be loaded as a
conformance target (:mod:`refnn.notebook`); the suite itself never calls it. Each function rebuilds
its test case from the recipe recorded in ``golden/regularization.json`` and
``golden/gradient_checking.json`` — the course's ``np.random.seed(1)`` followed by draws from
numpy's global stream — instead of the literal arrays the course's file holds. Where the course
printed a literal cache with 8 decimals, the arrays are rounded to 8 decimals likewise.

Seeding: every function calls ``np.random.seed(1)`` on numpy's global stream, as the course does.
"""

from __future__ import annotations

import numpy as np

from refnn.course.layouts import CacheTuple
from refnn.course.reg_utils import forward_propagation
from refnn.types import FloatArray, Params


def _draw_parameters(dims: tuple[int, ...]) -> Params:
    # The course's order: W1, b1, W2, b2, ... each randn(shape) from the global stream.
    out: Params = {}
    for l in range(1, len(dims)):
        out[f"W{l}"] = np.random.randn(dims[l], dims[l - 1])
        out[f"b{l}"] = np.random.randn(dims[l], 1)
    return out


def _rounded(cache: CacheTuple) -> CacheTuple:
    return tuple(np.round(a, 8) if a.dtype != bool else a for a in cache)


def compute_cost_with_regularization_test_case() -> tuple[FloatArray, FloatArray, Params]:
    """``A3 (1, 5), Y (1, 5), parameters`` ([3, 2, 3, 1]): seed 1, then the six parameter draws."""
    np.random.seed(1)
    Y = np.array([[1.0, 1.0, 0.0, 1.0, 0.0]])
    parameters = _draw_parameters((3, 2, 3, 1))
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    return A3, Y, parameters


def backward_propagation_with_regularization_test_case() -> tuple[FloatArray, FloatArray,
                                                                  CacheTuple]:
    """``X (3, 5), Y (1, 5), cache``: seed 1, ``X = randn(3, 5)``, the six parameter draws, and the
    forward pass's 12-tuple cache rounded to 8 decimals."""
    np.random.seed(1)
    X = np.random.randn(3, 5)
    Y = np.array([[1.0, 1.0, 0.0, 1.0, 0.0]])
    _, cache = forward_propagation(X, _draw_parameters((3, 2, 3, 1)))
    return X, Y, _rounded(cache)


def forward_propagation_with_dropout_test_case() -> tuple[FloatArray, Params]:
    """``X (3, 5), parameters``: seed 1, ``X = randn(3, 5)``, then the six parameter draws."""
    np.random.seed(1)
    X = np.random.randn(3, 5)
    return X, _draw_parameters((3, 2, 3, 1))


def backward_propagation_with_dropout_test_case() -> tuple[FloatArray, FloatArray, CacheTuple]:
    """``X (3, 5), Y (1, 5), cache``: the dropout forward pass with ``keep_prob = 0.5`` of the seed-1
    draws, rounded to 8 decimals (the course's test then calls the backward pass with 0.8)."""
    from refnn.course.regularization import forward_propagation_with_dropout

    X, parameters = forward_propagation_with_dropout_test_case()
    parameters = {k: np.round(v, 8) for k, v in parameters.items()}
    Y = np.array([[1.0, 1.0, 0.0, 1.0, 0.0]])
    _, cache = forward_propagation_with_dropout(X, parameters, 0.5)
    return X, Y, _rounded(cache)


def gradient_check_n_test_case() -> tuple[FloatArray, FloatArray, Params]:
    """``X (4, 3), Y = np.array([1, 1, 0])`` (1-D, as the course), ``parameters`` ([4, 5, 3, 1])."""
    np.random.seed(1)
    X = np.random.randn(4, 3)
    Y = np.array([1, 1, 0])
    return X, Y, _draw_parameters((4, 5, 3, 1))


__all__ = [
    "backward_propagation_with_dropout_test_case",
    "backward_propagation_with_regularization_test_case",
    "compute_cost_with_regularization_test_case",
    "forward_propagation_with_dropout_test_case",
    "gradient_check_n_test_case",
]
