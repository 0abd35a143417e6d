"""A user's script: initialize, forward, backward, costs, training. Every call is well typed."""

from typing import assert_type

import numpy as np
import numpy.typing as npt

from refnn.cost import cross_entropy, cross_entropy_from_logits, l2_penalty, total_cost
from refnn.init import PRESETS, VarianceScaling, initialize
from refnn.network import backward, forward
from refnn.training import accuracy, gradient_step, predict, train, train_reference
from refnn.types import INIT_SCHEMES, ForwardCache, InitScheme, TrainResult

Floats = npt.NDArray[np.float64]

rng = np.random.default_rng(0)
X = rng.standard_normal((3, 8))
Y = (rng.random((1, 8)) < 0.5).astype(np.float64)

params = initialize([3, 4, 1], "he", rng=rng)
assert_type(params, dict[str, Floats])
for scheme in INIT_SCHEMES:
    assert_type(scheme, InitScheme)
    initialize((3, 4, 1), scheme, rng=rng)
initialize([3, 4, 1], "random", rng=rng, scale=0.01, distribution="uniform")
initialize([3, 4, 1], VarianceScaling("mine", 0.5, "fan_avg"), rng=rng)
initialize([3, 4, 1], PRESETS["glorot"], rng=rng)

AL, cache = forward(params, X)
assert_type(AL, Floats)
assert_type(cache, ForwardCache)
forward(params, [[1.0, 2.0], [0.0, 1.0], [3.0, 4.0]])  # nested lists
forward(params, X.astype(np.float32))  # any real dtype; refnn converts to float64
forward(params, X, keep_prob=0.8, rng=rng)
forward(params, X, keep_prob=[0.5], masks=[rng.random((4, 8)) < 0.5])
forward(params, X, keep_prob=0.5, masks=[np.ones((4, 8), dtype=np.int64)])

grads = backward(params, cache, Y, lambd=0.1)
assert_type(grads, dict[str, Floats])
backward(params, cache, [[1, 0, 1, 0, 1, 0, 1, 0]])

assert_type(cross_entropy(AL, Y), float)
assert_type(cross_entropy_from_logits(cache.layers[-1].Z, Y), float)
assert_type(l2_penalty(params, 0.7, 8), float)
assert_type(total_cost(AL, Y, params, 0.7), float)

assert_type(gradient_step(params, grads, 0.1), dict[str, Floats])

result = train(X, Y, [3, 4, 1], rng=rng, init="xavier", num_iterations=3, lambd=0.1)
assert_type(result, TrainResult)
assert_type(result.costs, Floats)
assert_type(train_reference(X, Y, [3, 4, 1], rng=rng, params=params, num_iterations=2), TrainResult)
assert_type(predict(result.params, X), Floats)
assert_type(accuracy(result.params, X, Y), float)
