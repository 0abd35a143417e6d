"""Misspelt option names and wrong argument kinds across refnn, rejected by ``mypy --strict``."""

import numpy as np

from refnn.augmentation import rotate
from refnn.course import initialization, regularization
from refnn.depth import deep_relu_second_moments
from refnn.gradcheck import ParamLayout, check_network, numerical_gradient
from refnn.init import initialize
from refnn.normalization import normalize_fit
from refnn.splits import train_dev_test_split
from refnn.weight_decay import optimizer_step

rng = np.random.default_rng(0)
X = np.ones((2, 4))
Y = np.array([[0.0, 1.0, 1.0, 0.0]])
params = initialize([2, 3, 1], rng=rng)
grads = {"dW1": np.ones((3, 2)), "db1": np.ones((3, 1)), "dW2": np.ones((1, 3)),
         "db2": np.ones((1, 1))}
images = np.ones((1, 3, 3, 1))
run = regularization.model(X, Y, num_iterations=1, print_cost=False, return_costs=True)


def cost(theta: np.ndarray[tuple[int], np.dtype[np.float64]]) -> float:
    return float(theta.sum())


check_network(params, X, Y, method="central")  # E: Argument "method" to "check_network" has incompatible type "Literal['central']"
check_network(params, X, Y, engine="fast")  # E: Argument "engine" to "check_network" has incompatible type "Literal['fast']"
check_network(params, "X", Y)  # E: Argument 2 to "check_network" has incompatible type "str"
numerical_gradient(cost, "1.0")  # E: Argument 2 to "numerical_gradient" has incompatible type "str"
ParamLayout.course([2, 3, 1], order="K")  # E: Argument "order" to "course" of "ParamLayout" has incompatible type "Literal['K']"
optimizer_step(params, grads, 0.1, 0.5, 4, optimizer="adamw")  # E: Argument "optimizer" to "optimizer_step" has incompatible type "Literal['adamw']"
optimizer_step(params, grads, 0.1, 0.5, 4, decay="weight")  # E: Argument "decay" to "optimizer_step" has incompatible type "Literal['weight']"
rotate(images, 10.0, order=3)  # E: Argument "order" to "rotate" has incompatible type "Literal[3]"
deep_relu_second_moments(4, 3, rng=rng, scheme="kaiming")  # E: Argument "scheme" to "deep_relu_second_moments" has incompatible type "Literal['kaiming']"
initialization.model(X, Y, initialization="xavier")  # E: No overload variant of "model" matches argument types
normalize_fit("X_train")  # E: Argument 1 to "normalize_fit" has incompatible type "str"
train_dev_test_split(X, "Y", rng=rng)  # E: Argument 2 to "train_dev_test_split" has incompatible type "str"
run["W1"]  # E: No overload variant of "__getitem__" of "tuple" matches argument type "str"
