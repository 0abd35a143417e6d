"""A user's script: the course's own function API (refnn.course). Every call is well typed."""

from typing import assert_type

import numpy as np
import numpy.typing as npt

from refnn.course import (
    backward_propagation,
    compute_cost,
    dictionary_to_vector,
    forward_propagation,
    gradient_check_n,
    initialize_parameters_he,
    predict,
)
from refnn.course import initialization, regularization
from refnn.types import COURSE_INITIALIZATIONS

Floats = npt.NDArray[np.float64]
Params = dict[str, Floats]

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 12))
Y = (X[:1] > 0).astype(np.float64)

assert_type(initialize_parameters_he([2, 10, 5, 1]), Params)
params = initialization.model(X, Y, num_iterations=2, print_cost=False, initialization="zeros")
assert_type(params, Params)
params, costs = initialization.model(X, Y, num_iterations=2, print_cost=False, return_costs=True)
assert_type(costs, dict[int, float])
for name in COURSE_INITIALIZATIONS:
    initialization.model(X, Y, num_iterations=1, print_cost=False, initialization=name)

params = regularization.model(X, Y, num_iterations=2, print_cost=False, lambd=0.7)
assert_type(params, Params)
assert_type(regularization.model(X, Y, num_iterations=2, print_cost=False, keep_prob=0.86,
                                 return_costs=True), tuple[Params, dict[int, float]])

a3, cache = forward_propagation(X, params)
assert_type(a3, Floats)
assert_type(compute_cost(a3, Y), float)
grads = backward_propagation(X, Y, cache)
assert_type(grads, Params)
assert_type(predict(X, Y, params), npt.NDArray[np.int64])
theta, keys = dictionary_to_vector(params)
assert_type(theta, Floats)
assert_type(gradient_check_n(params, grads, X, Y), float)
