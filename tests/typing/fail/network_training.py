"""Mistakes in a user's script that ``mypy --strict`` rejects (each ``# E:`` line), before running."""

import numpy as np

from refnn.cost import cross_entropy, total_cost
from refnn.init import initialize
from refnn.network import backward, forward
from refnn.training import predict, train

rng = np.random.default_rng(0)
X = np.ones((2, 4))
Y = np.array([[0.0, 1.0, 1.0, 0.0]])
params = initialize([2, 3, 1], rng=rng)
AL, cache = forward(params, X)

forward(params, "not an array")  # E: Argument 2 to "forward" has incompatible type "str"
initialize("2,10,1", rng=rng)  # E: Argument 1 to "initialize" has incompatible type "str"
initialize([2, 10, 1], "hee", rng=rng)  # E: Argument 2 to "initialize" has incompatible type "Literal['hee']"
initialize([2, 10, 1], "He", rng=rng)  # E: Argument 2 to "initialize" has incompatible type "Literal['He']"
initialize([2.0, 10, 1], rng=rng)  # E: List item 0 has incompatible type "float"; expected "int"
initialize([2, 10, 1], rng=rng, distribution="gaussian")  # E: Argument "distribution" to "initialize" has incompatible type "Literal['gaussian']"
initialize([2, 10, 1], rng=0)  # E: Argument "rng" to "initialize" has incompatible type "int"
forward({"W1": "ones", "b1": "zeros"}, X)  # E: Dict entry 0 has incompatible type "str": "str"
forward(params, X, keep_prob=0.5, masks=["keep"])  # E: List item 0 has incompatible type "str"
backward(params, cache, "0110")  # E: Argument 3 to "backward" has incompatible type "str"
cross_entropy(AL, "Y")  # E: Argument 2 to "cross_entropy" has incompatible type "str"
total_cost(AL, Y, params, "0.7")  # E: Argument 4 to "total_cost" has incompatible type "str"
train(X, Y, [2, 3, 1], rng=rng, init="Xavier")  # E: Argument "init" to "train" has incompatible type "Literal['Xavier']"
train(X, Y, "2,3,1", rng=rng)  # E: Argument 3 to "train" has incompatible type "str"
predict(params, "X")  # E: Argument 2 to "predict" has incompatible type "str"
