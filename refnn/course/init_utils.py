"""The Initialization assignment's helper module (``init_utils``), re-created on refnn's core.

Differences from the course's ``init_utils``, on purpose: the course's backward pass here puts
``1/m`` into ``dz3 = (1/m)(a3 − Y)`` and uses lower-case keys (``dz3, dW3, da2, …``); refnn.course
follows the Regularization/Gradient-Checking convention everywhere (``dZ3 = A3 − Y``, ``1/m`` on each
``dW``/``db``, upper-case keys). The two agree to rounding (the published He/zeros costs are
reproduced to ≤ 1e-10 relative). The course's ``predict`` uses ``np.int`` (gone in NumPy ≥ 1.24);
this one uses int64.

Seeding reproduced: :func:`load_dataset` seeds numpy's global stream (1 for train, 2 for test) as
the course does before calling scikit-learn's ``make_circles``; refnn's own make_circles re-derives it.
"""

from __future__ import annotations

import numpy as np

from refnn.course.reg_utils import (
    backward_propagation,
    compute_cost,
    course_cross_entropy,
    forward_propagation,
    predict,
    relu,
    sigmoid,
    update_parameters,
)
from refnn.types import FloatArray

def compute_loss(a3: FloatArray, Y: FloatArray) -> float:
    """The Initialization notebook's name for :func:`compute_cost`:
    ``(1/m) · nansum(−Y log a3 − (1−Y) log(1−a3))`` (``inf`` when saturated)."""
    return course_cross_entropy("compute_loss", a3, Y)


def load_dataset() -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The circles data: ``train_X (2, 300), train_Y (1, 300), test_X (2, 100), test_Y (1, 100)``.

    Seeding: ``np.random.seed(1)`` before the training set and ``np.random.seed(2)`` before the test
    set on numpy's global stream, exactly as the course; the points are bit-identical to
    ``sklearn.datasets.make_circles(n, noise=.05)`` under those seeds. No plot is drawn.
    """
    from refnn.datasets import make_circles

    global_stream: np.random.RandomState = np.random.mtrand._rand
    np.random.seed(1)
    train_X, train_Y = make_circles(300, noise=0.05, rng=global_stream)
    np.random.seed(2)
    test_X, test_Y = make_circles(100, noise=0.05, rng=global_stream)
    return (np.ascontiguousarray(train_X.T), train_Y.reshape(1, -1).astype(np.float64),
            np.ascontiguousarray(test_X.T), test_Y.reshape(1, -1).astype(np.float64))


__all__ = [
    "backward_propagation",
    "compute_cost",
    "compute_loss",
    "forward_propagation",
    "load_dataset",
    "predict",
    "relu",
    "sigmoid",
    "update_parameters",
]
