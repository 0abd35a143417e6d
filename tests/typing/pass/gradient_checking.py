"""A user's script: gradient checks of a network and of an arbitrary cost. Every call is well typed."""

from typing import assert_type

import numpy as np
import numpy.typing as npt

from refnn.gradcheck import (
    DirectionalReport,
    FastCheckReport,
    GradCheckReport,
    ParamLayout,
    check_gradient,
    check_network,
    check_network_fast,
    course_loop_gradapprox,
    directional_check,
    numerical_gradient,
    relative_difference,
)
from refnn.init import initialize
from refnn.network import backward, forward

Floats = npt.NDArray[np.float64]

rng = np.random.default_rng(0)
X = rng.standard_normal((4, 6))
Y = (rng.random((1, 6)) < 0.5).astype(np.float64)
params = initialize([4, 3, 1], "he", rng=rng)
grads = backward(params, forward(params, X)[1], Y)

report = check_network(params, X, Y, grads=grads, lambd=0.5, method="two-sided", engine="loop")
assert_type(report, GradCheckReport)
assert_type(report.passed, bool)
assert_type(report.culprits, tuple[str, ...])
check_network(params, X, Y, keep_prob=0.5, rng=rng, method="complex-step", engine="batched")
fast = check_network_fast(params, X, Y, rng=rng, grads=grads)
assert_type(fast, FastCheckReport)


def cost(theta: Floats) -> float:
    return float(np.sum(theta**2))


def complex_cost(theta: npt.NDArray[np.complex128]) -> complex:
    return complex(np.sum(theta**2))


theta = np.array([1.0, -2.0, 3.0])
assert_type(numerical_gradient(cost, theta), Floats)
assert_type(numerical_gradient(cost, [1.0, 2.0], method="one-sided", epsilon=1e-8), Floats)
assert_type(numerical_gradient(complex_cost, theta, method="complex-step"), Floats)
assert_type(course_loop_gradapprox(cost, theta), Floats)
assert_type(check_gradient(cost, theta, 2 * theta), GradCheckReport)
assert_type(directional_check(cost, theta, 2 * theta, rng=rng), DirectionalReport)
assert_type(relative_difference(2 * theta, 2 * theta), float)

layout = ParamLayout.course([4, 3, 1], order="F")
vector = layout.to_vector(params)
assert_type(vector, Floats)
assert_type(layout.grads_to_vector(grads), Floats)
assert_type(layout.to_params(vector), dict[str, Floats])
