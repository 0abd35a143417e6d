"""Gradient checking done right: backprop against numerical derivatives, for any network.

The check (lecture: "Gradient checking"; notebook W1A3)::

    g  = ∇J(θ)                                   analytic, from backprop
    g̃_k = (J(θ + εe_k) − J(θ − εe_k)) / (2ε)     numerical, for every coordinate k
    difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂)        (0 when both are 0)

with ``θ`` every parameter in one vector (``W1, b1, W2, b2, …``, row-major; :class:`ParamLayout`).
The course reads ``difference ≲ 1e-7`` as great and ``≳ 1e-3`` as a bug; its code passes
``<= 2e-7`` (its own correct example scores ``1.19e-7``). refnn reports both.

**Which difference is more accurate — the lecture notes have it backwards.** By Taylor's theorem,

* two-sided: ``(J(θ+ε) − J(θ−ε)) / 2ε = J'(θ) + ε²/6·J'''(θ) + O(ε⁴)`` — the error is **O(ε²)**;
* one-sided: ``(J(θ+ε) − J(θ)) / ε = J'(θ) + ε/2·J''(θ) + O(ε²)`` — the error is **O(ε)**.

So halving ``ε`` quarters the two-sided error and only halves the one-sided one; for ``ε = 0.01``
the two-sided error is of order ``1e-4`` and the one-sided of order ``1e-2``. (The lecture
notes state the orders the other way round — O(ε) for two-sided, O(ε²) for one-sided; that is
wrong.) ``tests/gradcheck/test_gradcheck_numeric.py`` measures the slopes of ``log error`` against
``log ε``: about 2 and 1. Rounding adds ``≈ u·|J|/ε`` (``u ≈ 1.1e-16``) to both, which is why
``ε`` cannot be taken arbitrarily small — except with the complex step ``Im J(θ + ihe_k)/h``
(no subtraction, error ``O(h²)``), available where ``J`` accepts complex input (not across a
ReLU kink).

What refnn adds to the course's check:

* any ``layer_dims``, every coordinate named (``"W2[1,3]"``), gradients vectorized alike;
* a report: the course's reading, per-block differences, the culprit blocks, the worst
  coordinates, and the coordinates whose ``±ε`` evaluations cross a ReLU kink;
* the network's cost with the L2 term and with dropout *with its masks held fixed*;
* a fast full check: all perturbations of a row of ``W[l]``/``b[l]`` at once, sharing the layers
  below and carrying the rank-1 change through the upper ReLU layers exactly where no unit
  switches (:mod:`refnn.gradcheck.batched`; the per-coordinate loop is kept as its oracle);
* a directional check (two random directions, four forward passes) that falls back to the full
  check to localize a failure (:mod:`refnn.gradcheck.directional`);
* float64 only (float32 is refused: at ``ε = 1e-7`` a correct float32 gradient scores ~0.4).

Main entry points: :func:`check_network`, :func:`check_network_fast`, :func:`check_gradient`,
:func:`directional_check`, :func:`numerical_gradient`, :func:`relative_difference`,
:func:`course_loop_gradapprox` (the course's exact loop, used by ``refnn.course``).

Example:
    >>> import numpy as np
    >>> from refnn import network
    >>> from refnn.init import initialize
    >>> rng = np.random.default_rng(0)
    >>> p = initialize([4, 5, 3, 1], "he", rng=rng)
    >>> X, Y = rng.standard_normal((4, 30)), (rng.random((1, 30)) < 0.5).astype(float)
    >>> check_network(p, X, Y, lambd=0.5).passed
    True
    >>> g = network.backward(p, network.forward(p, X)[1], Y)
    >>> g["db1"] = 4 * g["db1"]
    >>> check_network(p, X, Y, grads=g).culprits
    ('b1',)
"""

from refnn.gradcheck.differences import (
    COURSE_EPSILON,
    DEFAULT_EPSILON,
    ComplexCostFunction,
    CostFunction,
    Method,
    complex_step_gradient,
    course_loop_gradapprox,
    numerical_gradient,
)
from refnn.gradcheck.directional import (
    DirectionalReport,
    DirectionResult,
    FastCheckReport,
    check_network_fast,
    directional_check,
)
from refnn.gradcheck.generic_check import check_gradient
from refnn.gradcheck.layout import ParamBlock, ParamLayout
from refnn.gradcheck.network_check import check_network, loop_gradapprox
from refnn.gradcheck.objective import NetworkObjective
from refnn.gradcheck.report import (
    COURSE_CODE_THRESHOLD,
    LECTURE_GREAT,
    LECTURE_WORRY,
    BlockDifference,
    CoordinateDifference,
    GradCheckReport,
    reading,
    relative_difference,
)

__all__ = [
    "COURSE_CODE_THRESHOLD",
    "COURSE_EPSILON",
    "DEFAULT_EPSILON",
    "LECTURE_GREAT",
    "LECTURE_WORRY",
    "BlockDifference",
    "ComplexCostFunction",
    "CoordinateDifference",
    "CostFunction",
    "DirectionResult",
    "DirectionalReport",
    "FastCheckReport",
    "GradCheckReport",
    "Method",
    "NetworkObjective",
    "ParamBlock",
    "ParamLayout",
    "check_gradient",
    "check_network",
    "check_network_fast",
    "complex_step_gradient",
    "course_loop_gradapprox",
    "directional_check",
    "loop_gradapprox",
    "numerical_gradient",
    "reading",
    "relative_difference",
]
