"""The rest of the lecture, beyond the programming assignments, gathered for re-export.

One module per topic (see each for the rule it implements and the notes' section it cites):
:mod:`refnn.splits` (train/dev/test), :mod:`refnn.mismatch` (dev/test distribution check),
:mod:`refnn.normalization` (input normalization), :mod:`refnn.diagnosis` (bias/variance and the
basic recipe), :mod:`refnn.early_stopping`, :mod:`refnn.augmentation` (flip, rotation, shear) and
:mod:`refnn.depth` (vanishing/exploding activations). ``refnn.course`` re-exports these names so
the conformance suite's default target provides them.
"""

from __future__ import annotations

from refnn.augmentation import augment_batch, flip_horizontal, rotate, shear
from refnn.depth import (
    deep_linear_activations,
    deep_relu_second_moments,
    relu_second_moments,
    scaled_identity_weights,
)
from refnn.diagnosis import (
    BiasVarianceReport,
    Diagnosis,
    Remedy,
    basic_recipe,
    diagnose_bias_variance,
)
from refnn.early_stopping import EarlyStoppingResult, dev_cost, train_with_early_stopping
from refnn.mismatch import DistributionCheck, DistributionMismatchWarning, check_same_distribution
from refnn.normalization import (
    NormalizationStats,
    normalize_fit,
    normalize_inverse,
    normalize_transform,
)
from refnn.splits import TrainDevTestSplit, lecture_ratios, split_sizes, train_dev_test_split
from refnn.weight_decay import adam_l2_step, adamw_step, sgd_weight_decay_step

__all__ = [
    "BiasVarianceReport",
    "Diagnosis",
    "DistributionCheck",
    "DistributionMismatchWarning",
    "EarlyStoppingResult",
    "NormalizationStats",
    "Remedy",
    "TrainDevTestSplit",
    "augment_batch",
    "basic_recipe",
    "check_same_distribution",
    "deep_linear_activations",
    "deep_relu_second_moments",
    "dev_cost",
    "diagnose_bias_variance",
    "flip_horizontal",
    "lecture_ratios",
    "normalize_fit",
    "normalize_inverse",
    "normalize_transform",
    "relu_second_moments",
    "rotate",
    "scaled_identity_weights",
    "shear",
    "split_sizes",
    "train_dev_test_split",
    "train_with_early_stopping",
    "adam_l2_step", "adamw_step", "sgd_weight_decay_step",  # refnn.weight_decay (WD-*)
]
