"""A user's script: the lecture topics beyond the network itself. Every call is well typed."""

from typing import assert_type

import numpy as np
import numpy.typing as npt

from refnn.augmentation import augment_batch, flip_horizontal, rotate, shear
from refnn.datasets import Dataset, load_circles
from refnn.depth import deep_linear_activations, deep_relu_second_moments, relu_second_moments
from refnn.diagnosis import BiasVarianceReport, diagnose_bias_variance
from refnn.early_stopping import EarlyStoppingResult, dev_cost, train_with_early_stopping
from refnn.init import initialize
from refnn.mismatch import DistributionCheck, check_same_distribution
from refnn.normalization import (
    NormalizationStats,
    normalize_fit,
    normalize_inverse,
    normalize_transform,
)
from refnn.splits import TrainDevTestSplit, split_sizes, train_dev_test_split
from refnn.weight_decay import adamw_step, optimizer_step

Floats = npt.NDArray[np.float64]

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 40))
Y = (X[:1] > 0).astype(np.int64)  # integer labels are accepted and converted

split = train_dev_test_split(X, Y, rng=rng, ratios=(0.6, 0.2, 0.2))
assert_type(split, TrainDevTestSplit)
assert_type(split_sizes(40), tuple[int, int, int])

stats = normalize_fit(split.X_train)
assert_type(stats, NormalizationStats)
X_dev = normalize_transform(stats, split.X_dev)
assert_type(X_dev, Floats)
assert_type(normalize_inverse(stats, X_dev), Floats)

stopped = train_with_early_stopping(split.X_train, split.Y_train, split.X_dev, split.Y_dev,
                                    [2, 3, 1], rng=rng, patience=1, init="glorot",
                                    num_iterations=5)
assert_type(stopped, EarlyStoppingResult)
assert_type(dev_cost(stopped.params, split.X_dev, split.Y_dev), float)

params = initialize([2, 3, 1], rng=rng)
assert_type(relu_second_moments(params, X), Floats)
assert_type(deep_relu_second_moments(4, 3, rng=rng, scheme="random", scale=0.01), Floats)
assert_type(deep_linear_activations([np.eye(2), 2 * np.eye(2)], X), list[Floats])

check = check_same_distribution(split.X_dev, split.X_test, alpha=0.01, warn=False)
assert_type(check, DistributionCheck)
assert_type(diagnose_bias_variance(0.15, 0.16, bayes_error=0.01), BiasVarianceReport)

images = rng.random((2, 5, 5, 1))
assert_type(flip_horizontal(images), Floats)
assert_type(rotate(images, 30.0, order=0), Floats)
assert_type(shear(images.astype(np.float32), 0.2), npt.NDArray[np.float32])
more, labels = augment_batch(images, [[0, 1]], rng=rng, copies=2, order=1)
assert_type(more, Floats)
assert_type(labels, Floats)

grads = {"dW1": np.ones((3, 2)), "db1": np.ones((3, 1)), "dW2": np.ones((1, 3)),
         "db2": np.ones((1, 1))}
assert_type(optimizer_step(params, grads, 0.1, 0.5, 40, optimizer="adam", decay="decoupled"),
            dict[str, Floats])
assert_type(adamw_step(params, grads, 0.1, 0.5, 40), dict[str, Floats])

data = load_circles(np.random.RandomState(1), np.random.RandomState(2), n_train=20, n_test=10)
assert_type(data, Dataset)
train_X, train_Y, test_X, test_Y = data
