"""Ground truth that never answers wrongly: every public function of refnn, given bad input,
returns the right answer or raises a ValueError/TypeError that names *its own* argument
(docs/ARCHITECTURE.md, "Bad input"). Issue 15.

For every public function (``FUNCTIONS`` below; :func:`test_the_list_is_the_public_api` holds it
equal to the public API found by introspection) each argument has a kind, and every bad-input
class of that kind (tests/core/bad_input_strategies.py) is tried: once each, deterministically
(:func:`test_every_class_of_every_function`), and again under Hypothesis with the damage placed
elsewhere and other valid bases (:func:`test_bad_input_property`). Every call must also leave its
inputs unmodified, leave numpy's global random state alone (refnn.course's own functions reseed
it, as documented, and are exempt from that check only) and be deterministic (a second call on
copies gives the same answer or the same message).

Bad-input classes covered (expected outcome: E = the error naming the argument; = = the same
answer as the equivalent valid input, or E; F = a finite answer or E; A = any answer, or E):

=====================  ==================================================================  ===
class                  what                                                                 ok
=====================  ==================================================================  ===
matrix-subclass        ``np.matrix`` of a valid 2-D array (``*`` is a matrix product)       =
nested-list            the valid array as nested Python lists                               =
ragged-list            nested lists of unequal lengths                                      E
non-numeric            a string array                                                       E
complex                a complex array                                                      E
not-an-array           ``object()``                                                         E
wrong-rank             an extra leading axis                                                E
wrong-shape(axis k)    one more entry along an axis tied to another argument                E
empty(m=0)             zero examples                                                      A/E
nan-entry, inf-entry   one non-finite entry                                                 E
non-label, out-of-range  a label 0.5 / a probability 1.5                                    E
huge-finite            entries up to 1.7e308 (results that would overflow)                  F
dict-gap               W1, b1, ..., W(L-1), b(L-1), W(L+1), b(L+1)                          E
dict-extra-key         an extra key beside W1..bL                                           E
dict-missing-key       a b[l] missing                                                       E
dict-wrong-shape       W1 that does not chain with X / W2                                   E
dict-not-a-dict        a list of the arrays                                                 E
dict-matrix-entry      ``np.matrix`` W1                                                     =
dict-nan-entry         nan in W1                                                            E
dict-huge-entry        W1 up to 1.7e308                                                     F
int-negative/-zero     sizes and counts out of range                                        E
int-bool/-float/-str/-none   not an int                                                     E
int-huge               2**62, 2**70, 10**12 for a size that allocates                       E
real-nan/-inf          non-finite hyperparameters                                           E
real-below/-above      outside the documented interval                                      E
real-str/-bool/-none   not a real number                                                    E
option-unknown/-type   ``"bogus"``, ``3`` for an option string                              E
rng-none/-int-seed/-legacy   not the random source asked for                                E
foreign                a cache/stats that belong to other arguments                         E
(object classes)       wrong types for caches, stats, diagnoses, callables, bools, paths    E
=====================  ==================================================================  ===
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import io
import random
import re
import warnings
from collections.abc import Callable, Mapping
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from bad_input_strategies import (
    ANY,
    FINITE,
    RAISE,
    RAISE_TIED,
    Arr,
    Dict,
    Equiv,
    Int,
    Obj,
    Opt,
    Real,
    Rng,
    bad_value,
    bad_values,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refnn.course as course
import refnn.gradcheck as gradcheck
from refnn import (
    augmentation,
    cost,
    datasets,
    depth,
    diagnosis,
    early_stopping,
    init,
    mismatch,
    network,
    normalization,
    splits,
    training,
    weight_decay,
)
from refnn.gradcheck import network_check
from refnn.gradcheck.batched import batched_gradapprox
from refnn.gradcheck.objective import NetworkObjective
from refnn.course import reg_utils

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix

# ------------------------------------------------------------------------------------- specs

Build = Callable[[random.Random], dict[str, Any]]


@dataclass(frozen=True)
class Spec:
    """One public function: a valid call (``build``) and the kind of each argument fuzzed."""

    fn: Callable[..., Any]
    build: Build
    kinds: Mapping[str, Any]
    allows_inf: bool = False  # documented to return inf (the course's cost on saturation)
    names: tuple[str, ...] = field(default=())

    @property
    def display(self) -> str:
        return self.fn.__name__


def _rng(r: random.Random) -> np.random.Generator:
    return np.random.default_rng(r.randrange(2**32))


def _net(r: random.Random, dims: list[int] | None = None) -> dict[str, np.ndarray]:
    dims = dims or [3, r.choice([2, 4]), r.choice([1, 3]), 1]
    return init.initialize(dims, "he", rng=_rng(r))


def _xy(r: random.Random, n_x: int = 3, m: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    m = m or r.choice([1, 2, 5])
    g = _rng(r)
    X = g.standard_normal((n_x, m))
    Y = (g.random((1, m)) < 0.5).astype(float)
    return X, Y


def _grads(P: Mapping[str, np.ndarray], r: random.Random, prefix: str = "d") -> dict[str, Any]:
    g = _rng(r)
    return {prefix + k: g.standard_normal(v.shape) for k, v in P.items()}


def _cache(r: random.Random) -> Any:
    P = _net(r, [3, 5, 2, 1])
    X, _ = _xy(r)
    return network.forward(P, X)[1]


ARR = Arr()
X_TIED = Arr(tied=(0,))
Y_KIND = Arr(tied=(1,), labels=True, empty=RAISE)
PARAMS = Dict()
GRADS = Dict(prefix="d")
RNG = Rng()
LAMBD = Real(low=0.0)
ALPHA = Real(low=0.0, low_open=True)
KEEP = Real(low=0.0, high=1.0, low_open=True)
PROB = Real(low=0.0, high=1.0)
ANYREAL = Real()
NOT_CALLABLE = Obj({"not-callable": 3, "none": None})
NOT_BOOL = Obj({"bool-int": 1, "bool-str": "yes", "bool-none": None})
NOT_PATH = Obj({"path-int": 3, "path-list": ["a"]})
NOT_DIAGNOSIS = Obj({"diagnosis-str": "high bias", "diagnosis-none": None})


def b_forward(r: random.Random) -> dict[str, Any]:
    P = _net(r)
    X, _ = _xy(r)
    return {"params": P, "X": X, "keep_prob": 0.8, "rng": _rng(r)}  # the rng is needed


def b_backward(r: random.Random) -> dict[str, Any]:
    P = _net(r)
    X, Y = _xy(r)
    return {"params": P, "cache": network.forward(P, X)[1], "Y": Y, "lambd": 0.1}


def _foreign_cache(r: random.Random) -> Any:
    return _cache(r)


def b_cost_AL(r: random.Random) -> dict[str, Any]:
    X, Y = _xy(r)
    return {"AL": _rng(r).random(Y.shape) * 0.98 + 0.01, "Y": Y}


def b_train(r: random.Random, *, es: bool = False) -> dict[str, Any]:
    X, Y = _xy(r)
    d: dict[str, Any] = {"layer_dims": [3, 2, 1], "rng": _rng(r), "init": "he",
                         "learning_rate": 0.1, "num_iterations": 2, "lambd": 0.1,
                         "keep_prob": 1.0}
    if es:
        Xd, Yd = _xy(r)
        d.update(X_train=X, Y_train=Y, X_dev=Xd, Y_dev=Yd, patience=1, min_delta=0.0)
    else:
        d.update(X=X, Y=Y)
    return d


def b_network_check(r: random.Random) -> dict[str, Any]:
    P = _net(r, [3, 2, 1])
    X, Y = _xy(r)
    return {"params": P, "X": X, "Y": Y, "lambd": 0.1, "keep_prob": 1.0}


def b_objective(r: random.Random) -> dict[str, Any]:
    P = _net(r, [3, 2, 1])
    X, Y = _xy(r)
    obj, theta = NetworkObjective.build("test", P, X, Y)
    return {"obj": obj, "theta": theta, "method": "two-sided",
            "epsilon": 1e-7}


def b_cost_fn(r: random.Random) -> dict[str, Any]:
    return {"cost": _square_sum,
            "theta": _rng(r).standard_normal(r.choice([1, 3]))}


def b_ccost_fn(r: random.Random) -> dict[str, Any]:
    return {"cost": _complex_square_sum, "theta": _rng(r).standard_normal(3)}


def _square_sum(t: Any) -> float:
    with np.errstate(all="ignore"):  # the caller's cost may overflow: refnn must say so
        return float(np.sum(np.asarray(t) ** 2))


def _complex_square_sum(t: Any) -> complex:
    with np.errstate(all="ignore"):
        return complex(np.sum(t * t))


def b_images(r: random.Random) -> dict[str, Any]:
    m = r.choice([1, 2])
    return {"images": _rng(r).random((m, 4, 4, 1)), "Y": np.ones((1, m))}


def b_course_fwd(r: random.Random) -> dict[str, Any]:
    X, _ = _xy(r, n_x=2)
    return {"X": X, "parameters": _net(r, [2, 3, 2, 1])}


def b_course_bwd(r: random.Random, kind: str = "plain") -> dict[str, Any]:
    X, Y = _xy(r, n_x=2)
    P = _net(r, [2, 3, 2, 1])
    if kind == "dropout":
        with warnings.catch_warnings():
            cache = course.forward_propagation_with_dropout(X, P, 0.8)[1]
        return {"X": X, "Y": Y, "cache": cache, "keep_prob": 0.8}
    if kind == "n":
        return {"X": X, "Y": Y, "cache": course.forward_propagation_n(X, Y, P)[1]}
    d = {"X": X, "Y": Y, "cache": course.forward_propagation(X, P)[1]}
    if kind == "reg":
        d["lambd"] = 0.7
    return d


def _foreign_tuple(r: random.Random) -> Any:
    # A course cache holds its own W and b, so only one of other examples (m = 7, never the
    # base's m) does not belong to the call's X and Y.
    X, _ = _xy(r, n_x=2, m=7)
    return course.forward_propagation(X, _net(r, [2, 4, 3, 1]))[1]


def b_stats(r: random.Random, name: str) -> dict[str, Any]:
    X, _ = _xy(r, m=4)
    return {"stats": normalization.normalize_fit(X), name: X}


def _foreign_stats(r: random.Random) -> Any:
    X, _ = _xy(r, n_x=2, m=4)
    s = normalization.normalize_fit(np.vstack([X, X[:1]]))
    return dataclasses.replace(s, mu=s.mu.T.copy())


STATS = Obj({"stats-none": None, "stats-dict": {"mu": 0.0}}, foreign=_foreign_stats)
CACHE = Obj({"cache-none": None, "cache-tuple": (1, 2)}, foreign=_foreign_cache)
CACHE_TUPLE = Obj({"cache-none": None, "cache-short": (1, 2)}, foreign=_foreign_tuple)
OBJ_KIND = Obj({"obj-none": None, "obj-dict": {}})


def _specs() -> list[Spec]:
    S = Spec
    P_FWD = {"params": PARAMS, "X": X_TIED, "keep_prob": KEEP, "rng": RNG}
    train_kinds = {"X": X_TIED, "Y": Y_KIND, "layer_dims": Obj({"dims-int": 3, "dims-short": [3],
                                                               "dims-zero": [3, 0, 1],
                                                               "dims-huge": [3, 2**70, 1],
                                                               "dims-big": [3, 10**5, 10**5, 1],
                                                               "dims-no-one": [3, 2, 2]}),
                   "rng": RNG, "init": Opt(), "learning_rate": ALPHA,
                   "num_iterations": Int(positive=False), "lambd": LAMBD, "keep_prob": KEEP}
    es_kinds = {("X_train" if k == "X" else "Y_train" if k == "Y" else k): v
                for k, v in train_kinds.items()}
    es_kinds.update(X_dev=X_TIED, Y_dev=Y_KIND, patience=Int(positive=False, alloc=False),
                    min_delta=LAMBD)
    check_kinds = {"params": PARAMS, "X": X_TIED, "Y": Y_KIND, "lambd": LAMBD, "keep_prob": KEEP}
    wd = {"parameters": PARAMS, "grads": GRADS, "learning_rate": Real(low=0.0), "lambd": LAMBD,
          "m": Int(alloc=False)}

    def b_wd(r: random.Random) -> dict[str, Any]:
        P = _net(r)
        return {"parameters": P, "grads": _grads(P, r), "learning_rate": 0.1, "lambd": 0.5,
                "m": 4}

    def b_split(r: random.Random) -> dict[str, Any]:
        X, Y = _xy(r, m=r.choice([3, 10]))
        return {"X": X, "Y": Y, "rng": _rng(r), "ratios": [0.6, 0.2, 0.2],
                "preserve_order": False}

    def b_mismatch(r: random.Random) -> dict[str, Any]:
        g = _rng(r)
        return {"X_dev": g.standard_normal((2, 6)), "X_test": g.standard_normal((2, 5)),
                "alpha": 0.01, "warn": False}

    def b_course_init(r: random.Random, name: str) -> dict[str, Any]:
        return {name: [2, 3, 1]}

    def b_course_costs(r: random.Random, a: str) -> dict[str, Any]:
        d = b_cost_AL(r)
        return {a: d["AL"], "Y": d["Y"]}

    def b_gc_n(r: random.Random) -> dict[str, Any]:
        X, Y = _xy(r, n_x=4, m=3)
        P = _net(r, [4, 3, 2, 1])
        grads = course.backward_propagation_n(X, Y, course.forward_propagation_n(X, Y, P)[1])
        return {"parameters": P, "gradients": grads, "X": X, "Y": Y, "epsilon": 1e-7,
                "print_msg": False}

    dims_obj = Obj({k: v for k, v in train_kinds["layer_dims"].bad.items() if k != "dims-no-one"})
    course_dims = Obj({"dims-int": 3, "dims-short": [3], "dims-zero": [3, 0, 1],
                       "dims-huge": [3, 2**70, 1], "dims-big": [3, 10**5, 10**5, 1]})

    return [
        # network
        S(network.relu, lambda r: {"Z": _rng(r).standard_normal((2, 3))},
          {"Z": Arr(any_rank=True, elementwise=True, empty_axis=None)}),
        S(network.sigmoid, lambda r: {"Z": _rng(r).standard_normal((2, 3))},
          {"Z": Arr(any_rank=True, elementwise=True, empty_axis=None)}),
        S(network.forward, b_forward, P_FWD),
        S(network.backward, b_backward, {"params": PARAMS, "cache": CACHE, "Y": Y_KIND,
                                         "lambd": LAMBD}),
        # training
        S(training.gradient_step, lambda r: (lambda P: {"params": P, "grads": _grads(P, r),
                                                        "learning_rate": 0.1})(_net(r)),
          {"params": PARAMS, "grads": GRADS, "learning_rate": ALPHA}),
        S(training.train, b_train, train_kinds, allows_inf=True),
        S(training.train_reference, b_train, train_kinds, allows_inf=True),
        S(training.predict, lambda r: {"params": _net(r), "X": _xy(r)[0]},
          {"params": PARAMS, "X": X_TIED}),
        S(training.accuracy, lambda r: (lambda X, Y: {"params": _net(r), "X": X, "Y": Y})(*_xy(r)),
          {"params": PARAMS, "X": X_TIED, "Y": Y_KIND}),
        # init
        S(init.VarianceScaling, lambda r: {"name": "x", "scale": 2.0, "mode": "fan_in"},
          {"name": Obj({"name-int": 3}), "scale": Real(low=0.0), "mode": Opt()}),
        S(init.initialize, lambda r: {"layer_dims": [3, 2, 1], "scheme": "he", "rng": _rng(r),
                                      "distribution": "normal"},
          {"layer_dims": dims_obj, "scheme": Opt(), "rng": RNG, "distribution": Opt()}),
        S(init.initialize_from_draws,
          lambda r: {"layer_dims": (3, 2, 1), "rule": init.PRESETS["he"],
                     "draw": lambda shape: np.cos(np.arange(np.prod(shape))).reshape(shape)},
          {"layer_dims": dims_obj, "rule": Obj({"rule-str": "he", "rule-none": None}),
           "draw": NOT_CALLABLE}),
        S(init.unit_draws, lambda r: {"rng": _rng(r), "distribution": "uniform"},
          {"rng": RNG, "distribution": Opt()}),
        # cost
        S(cost.cross_entropy, b_cost_AL, {"AL": Arr(probs=True, empty=RAISE), "Y": Y_KIND},
          allows_inf=True),
        S(cost.cross_entropy_from_logits,
          lambda r: (lambda X, Y: {"ZL": X[:1], "Y": Y})(*_xy(r)),
          {"ZL": Arr(empty=RAISE), "Y": Y_KIND}),
        S(cost.l2_penalty, lambda r: {"params": _net(r), "lambd": 0.5, "m": 4},
          {"params": Dict(huge=ANY), "lambd": LAMBD, "m": Int(alloc=False)}, allows_inf=True),
        S(cost.total_cost, lambda r: {**b_cost_AL(r), "params": _net(r), "lambd": 0.5},
          {"AL": Arr(probs=True, empty=RAISE), "Y": Y_KIND, "params": Dict(huge=ANY),
           "lambd": LAMBD}, allows_inf=True),
        # normalization
        S(normalization.normalize_fit, lambda r: {"X_train": _xy(r, m=4)[0]},
          {"X_train": Arr(empty=RAISE, huge=ANY)}),  # sigma2 may read inf (documented)
        S(normalization.normalize_transform, lambda r: b_stats(r, "X"),
          {"stats": STATS, "X": X_TIED}),
        S(normalization.normalize_inverse, lambda r: b_stats(r, "X_norm"),
          {"stats": STATS, "X_norm": Arr(tied=(0,), huge=FINITE)}),
        # early stopping
        S(early_stopping.dev_cost, lambda r: (lambda X, Y: {"params": _net(r), "X_dev": X,
                                                              "Y_dev": Y})(*_xy(r)),
          {"params": PARAMS, "X_dev": X_TIED, "Y_dev": Y_KIND}),
        S(early_stopping.train_with_early_stopping, lambda r: b_train(r, es=True), es_kinds,
          allows_inf=True),
        # datasets
        S(datasets.make_circles, lambda r: {"n_samples": r.choice([1, 6]), "noise": 0.1,
                                            "factor": 0.5, "rng": np.random.RandomState(0),
                                            "shuffle": True},
          {"n_samples": Int(), "noise": Real(low=0.0, optional=True),
           "factor": Real(low=0.0, high=1.0, high_open=True), "rng": Rng(legacy_ok=True),
           "shuffle": NOT_BOOL}),
        S(datasets.load_circles, lambda r: {"rng_train": np.random.RandomState(1),
                                            "rng_test": np.random.RandomState(2), "n_train": 6,
                                            "n_test": 4, "noise": 0.05, "factor": 0.8},
          {"rng_train": Rng(legacy_ok=True), "rng_test": Rng(legacy_ok=True), "n_train": Int(),
           "n_test": Int(), "noise": Real(low=0.0, optional=True),
           "factor": Real(low=0.0, high=1.0, high_open=True)}),
        S(datasets.load_course_circles, lambda r: {}, {}),
        S(datasets.football_path, lambda r: {}, {}),
        S(datasets.load_football, lambda r: {"path": "no/such/file.mat", "sha256": None},
          {"path": NOT_PATH, "sha256": Obj({"sha-int": 3})}),
        # splits
        S(splits.lecture_ratios, lambda r: {"m": r.choice([10, 10**7])}, {"m": Int(alloc=False)}),
        S(splits.split_sizes, lambda r: {"m": 10, "ratios": [0.6, 0.2, 0.2]},
          {"m": Int(alloc=False), "ratios": Obj({"ratios-two": [0.5, 0.5],
                                                 "ratios-sum": [0.5, 0.5, 0.5],
                                                 "ratios-nan": [float("nan"), 0.5, 0.5],
                                                 "ratios-str": "0.6,0.2,0.2"})}),
        S(splits.train_dev_test_split, b_split,
          {"X": Arr(elementwise=True, empty=RAISE, huge=ANY),
           "Y": Arr(tied=(1,), elementwise=True, empty=RAISE, huge=ANY),
           "rng": RNG, "preserve_order": NOT_BOOL}),
        # augmentation
        S(augmentation.flip_horizontal, lambda r: {"images": b_images(r)["images"]},
          {"images": Arr(empty_axis=0)}),
        S(augmentation.rotate, lambda r: {"images": b_images(r)["images"], "angle": 30.0,
                                          "order": 1},
          {"images": Arr(empty_axis=0), "angle": ANYREAL, "order": Obj({"order-2": 2,
                                                                        "order-str": "1"})}),
        S(augmentation.shear, lambda r: {"images": b_images(r)["images"], "factor": 0.2,
                                         "order": 0},
          {"images": Arr(empty_axis=0), "factor": ANYREAL,
           "order": Obj({"order-2": 2, "order-str": "1"})}),
        S(augmentation.augment_batch, lambda r: {**b_images(r), "rng": _rng(r), "copies": 1,
                                                 "flip_prob": 0.5, "max_angle": 10.0,
                                                 "max_shear": 0.1, "order": 1},
          {"images": Arr(empty_axis=0), "Y": Arr(tied=(1,), empty_axis=None), "rng": RNG,
           "copies": Int(positive=False), "flip_prob": PROB, "max_angle": Real(low=0.0),
           "max_shear": Real(low=0.0), "order": Obj({"order-2": 2})}),
        # depth
        S(depth.scaled_identity_weights, lambda r: {"n": 3, "depth": 2, "c": 0.5},
          {"n": Int(), "depth": Int(), "c": ANYREAL}),
        S(depth.deep_linear_activations,
          lambda r: {"weights": [np.eye(3) * 0.5, np.ones((2, 3))], "X": _xy(r)[0]},
          {"weights": Obj({"weights-empty": [], "weights-chain": [np.eye(3), np.eye(2)],
                           "weights-str": "W"}), "X": X_TIED}),
        S(depth.relu_second_moments, lambda r: {"params": _net(r), "X": _xy(r)[0]},
          {"params": PARAMS, "X": X_TIED}),
        S(depth.deep_relu_second_moments,
          lambda r: {"width": 3, "depth": 2, "rng": _rng(r), "scheme": "he", "scale": None,
                     "n_networks": 2, "m": 4},
          {"width": Int(), "depth": Int(), "rng": RNG, "scheme": Opt(),
           "scale": Obj({"scale-for-he": 1.0}), "n_networks": Int(), "m": Int()}),
        # diagnosis
        S(diagnosis.basic_recipe,
          lambda r: {"diagnosis": diagnosis.diagnose_bias_variance(0.1, 0.2).diagnosis},
          {"diagnosis": NOT_DIAGNOSIS}),
        S(diagnosis.diagnose_bias_variance,
          lambda r: {"train_error": 0.1, "dev_error": 0.2, "bayes_error": 0.0,
                     "bias_threshold": 0.02, "variance_threshold": 0.02},
          {"train_error": PROB, "dev_error": PROB, "bayes_error": PROB, "bias_threshold": PROB,
           "variance_threshold": PROB}),
        # weight decay
        S(weight_decay.optimizer_step, lambda r: {**b_wd(r), "optimizer": "adam",
                                                  "decay": "decoupled"},
          {**wd, "optimizer": Opt(), "decay": Opt()}),
        S(weight_decay.sgd_weight_decay_step, b_wd, wd),
        S(weight_decay.adam_l2_step, b_wd, wd),
        S(weight_decay.adamw_step, b_wd, wd),
        # mismatch
        S(mismatch.check_same_distribution, b_mismatch,
          {"X_dev": Arr(empty=RAISE), "X_test": Arr(tied=(0,), empty=RAISE),
           "alpha": Real(low=0.0, high=1.0, low_open=True, high_open=True), "warn": NOT_BOOL}),
        S(mismatch.ks_statistics,
          lambda r: (lambda g: {"dev": g.standard_normal((2, 4)),
                                "test": g.standard_normal((2, 3))})(_rng(r)),
          {"dev": Arr(elementwise=True, empty=RAISE, huge=ANY),  # ±inf have an order
           "test": Arr(tied=(0,), elementwise=True, empty=RAISE, huge=ANY)}),
        S(mismatch.ks_pvalues, lambda r: {"h": np.array([9, 6, 3]), "n": 3, "m": 3},
          {"h": Obj({"h-negative": np.array([-1]), "h-too-big": np.array([10]),
                     "h-float": np.array([0.5]), "h-str": "9"}),
           "n": Int(alloc=False), "m": Int(alloc=False)}),
        # gradcheck
        S(gradcheck.course_loop_gradapprox, lambda r: {**b_cost_fn(r), "epsilon": 1e-7},
          {"cost": NOT_CALLABLE, "theta": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY),
           "epsilon": Real(low=0.0, low_open=True, optional=True)}),  # None: the default
        S(gradcheck.complex_step_gradient, lambda r: {**b_ccost_fn(r), "h": 1e-20},
          {"cost": NOT_CALLABLE, "theta": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY), "h": ALPHA}),
        S(gradcheck.numerical_gradient,
          lambda r: {**b_cost_fn(r), "method": "two-sided", "epsilon": 1e-6},
          {"cost": NOT_CALLABLE, "theta": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY),
           "method": Opt(), "epsilon": Real(low=0.0, low_open=True, optional=True)}),
        S(gradcheck.check_gradient,
          lambda r: (lambda d: {**d, "grad": 2 * d["theta"], "method": "two-sided",
                                "threshold": 2e-7, "worst": 2})(b_cost_fn(r)),
          {"cost": NOT_CALLABLE, "theta": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY),
           "grad": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY), "method": Opt(),
           "threshold": ALPHA, "worst": Int(positive=False, alloc=False)}),
        S(gradcheck.directional_check,
          lambda r: (lambda d: {**d, "grad": 2 * d["theta"], "rng": _rng(r), "n_directions": 2,
                                "step": 1e-7, "tolerance": 1e-5})(b_cost_fn(r)),
          {"cost": NOT_CALLABLE, "theta": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY),
           "grad": Arr(any_rank=True, empty_axis=0, empty=RAISE, huge=ANY), "rng": RNG,
           "n_directions": Int(), "step": ALPHA, "tolerance": ALPHA}),
        S(gradcheck.check_network, lambda r: {**b_network_check(r), "method": "two-sided",
                                              "engine": "rank1", "threshold": 2e-7, "worst": 2},
          {**check_kinds, "method": Opt(), "engine": Opt(), "threshold": ALPHA,
           "worst": Int(positive=False, alloc=False)}),
        S(gradcheck.check_network_fast, lambda r: {**b_network_check(r), "rng": _rng(r),
                                                   "n_directions": 2, "step": 1e-7,
                                                   "tolerance": 1e-5, "localize": True},
          {**check_kinds, "rng": RNG, "n_directions": Int(), "step": ALPHA,
           "tolerance": ALPHA, "localize": NOT_BOOL}),
        S(gradcheck.loop_gradapprox, b_objective,
          {"obj": OBJ_KIND, "theta": Arr(tied=(0,), empty_axis=0, empty=RAISE, huge=ANY),
           "method": Opt(), "epsilon": ALPHA}),
        S(batched_gradapprox, lambda r: {**b_objective(r), "engine": "batched"},
          {"obj": OBJ_KIND, "theta": Arr(tied=(0,), empty_axis=0, empty=RAISE, huge=ANY),
           "method": Opt(), "epsilon": ALPHA, "engine": Opt()}),
        S(gradcheck.relative_difference,
          lambda r: (lambda g: {"grad": g, "gradapprox": g + 1e-9})(_rng(r).standard_normal(4)),
          {"grad": Arr(any_rank=True, empty_axis=None),
           "gradapprox": Arr(tied=(0,), any_rank=True, empty_axis=None)}),
        S(gradcheck.reading, lambda r: {"difference": r.choice([1e-8, 1e-5, 0.5])},
          {"difference": PROB}),
        # refnn.course (its own functions; the re-exports of the core are the objects above)
        S(course.forward_propagation, b_course_fwd, {"X": X_TIED, "parameters": PARAMS}),
        S(course.backward_propagation, b_course_bwd,
          {"X": X_TIED, "Y": Y_KIND, "cache": CACHE_TUPLE}),
        S(course.forward_propagation_with_dropout, lambda r: {**b_course_fwd(r), "keep_prob": 0.8},
          {"X": X_TIED, "parameters": PARAMS, "keep_prob": KEEP}),
        S(course.backward_propagation_with_dropout, lambda r: b_course_bwd(r, "dropout"),
          {"X": X_TIED, "Y": Y_KIND, "cache": CACHE_TUPLE, "keep_prob": KEEP}),
        S(course.backward_propagation_with_regularization, lambda r: b_course_bwd(r, "reg"),
          {"X": X_TIED, "Y": Y_KIND, "cache": CACHE_TUPLE, "lambd": LAMBD}),
        S(course.forward_propagation_n,
          lambda r: (lambda X, Y: {"X": X, "Y": Y, "parameters": _net(r, [2, 3, 2, 1])})(
              *_xy(r, n_x=2)),
          {"X": X_TIED, "Y": Y_KIND, "parameters": PARAMS}, allows_inf=True),
        S(course.backward_propagation_n, lambda r: b_course_bwd(r, "n"),
          {"X": X_TIED, "Y": Y_KIND, "cache": CACHE_TUPLE}),
        S(course.backward_propagation_n_with_planted_bugs, lambda r: b_course_bwd(r, "n"),
          {"X": X_TIED, "Y": Y_KIND, "cache": CACHE_TUPLE}),
        S(course.compute_cost, lambda r: b_course_costs(r, "a3"),
          {"a3": Arr(probs=True, empty=RAISE), "Y": Y_KIND}, allows_inf=True),
        S(course.compute_loss, lambda r: b_course_costs(r, "a3"),
          {"a3": Arr(probs=True, empty=RAISE), "Y": Y_KIND}, allows_inf=True),
        S(course.compute_cost_with_regularization,
          lambda r: {**b_course_costs(r, "A3"), "parameters": _net(r), "lambd": 0.1},
          {"A3": Arr(probs=True, empty=RAISE), "Y": Y_KIND, "parameters": Dict(huge=ANY),
           "lambd": LAMBD}, allows_inf=True),
        S(course.dictionary_to_vector, lambda r: {"parameters": _net(r)},
          {"parameters": PARAMS}),
        S(course.gradients_to_vector, lambda r: {"gradients": _grads(_net(r), r)},
          {"gradients": Dict(prefix="d", huge=ANY)}),
        S(course.vector_to_dictionary,
          lambda r: {"theta": _rng(r).standard_normal((21, 1)), "layer_dims": [3, 2, 3, 1]},
          {"theta": Arr(tied=(0,), empty_axis=None, huge=ANY), "layer_dims": course_dims}),
        S(course.gradient_check, lambda r: {"x": 2.0, "theta": 4.0, "epsilon": 1e-7,
                                            "print_msg": False},
          {"x": ANYREAL, "theta": ANYREAL, "epsilon": ALPHA, "print_msg": NOT_BOOL}),
        S(course.gradient_check_n, b_gc_n,
          {"parameters": PARAMS, "gradients": Dict(prefix="d"), "X": X_TIED, "Y": Y_KIND,
           "epsilon": ALPHA, "print_msg": NOT_BOOL}),
        S(course.initialize_parameters, lambda r: b_course_init(r, "layer_dims"),
          {"layer_dims": course_dims}),
        S(course.initialize_parameters_he, lambda r: b_course_init(r, "layers_dims"),
          {"layers_dims": course_dims}),
        S(course.initialize_parameters_random, lambda r: b_course_init(r, "layers_dims"),
          {"layers_dims": course_dims}),
        S(course.initialize_parameters_zeros, lambda r: b_course_init(r, "layers_dims"),
          {"layers_dims": course_dims}),
        S(course.load_2D_dataset, lambda r: {"path": "no/such/file.mat"}, {"path": NOT_PATH}),
        S(course.load_dataset, lambda r: {}, {}),
        S(course.predict, lambda r: (lambda X, Y: {"X": X, "y": Y, "parameters": _net(r)})(
            *_xy(r)), {"X": X_TIED, "y": Y_KIND, "parameters": PARAMS}),
        S(course.update_parameters,
          lambda r: (lambda P: {"parameters": P, "grads": _grads(P, r),
                                "learning_rate": 0.1})(_net(r)),
          {"parameters": PARAMS, "grads": GRADS, "learning_rate": ALPHA}),
    ]


SPECS = _specs()
BY_FN = {id(s.fn): s for s in SPECS}

# ------------------------------------------------------------------------- the public API

CORE_MODULES = ["network", "training", "init", "cost", "normalization", "early_stopping",
                "datasets", "splits", "augmentation", "depth", "diagnosis", "weight_decay",
                "mismatch"]

INNER = {
    "refnn.network.weights": "splits a parameter dict its caller has checked (run_* code)",
    "refnn.gradcheck.batched.batched_gradapprox": "covered (it is the rank-1 engine's door)",
}


def public_api() -> dict[str, Callable[..., Any]]:
    """Every public function of the core modules, refnn.gradcheck's exports and refnn.course's,
    except door helpers (first parameter ``func``: they check on behalf of a caller and take its
    name) and ``run_*`` (trusted code behind a door)."""
    found: dict[str, Callable[..., Any]] = {}

    def add(qual: str, obj: Any) -> None:
        if inspect.isclass(obj):
            if obj is init.VarianceScaling:
                found[qual] = obj
            return
        if not inspect.isfunction(obj) or obj.__name__.startswith(("run_", "_")):
            return
        params = list(inspect.signature(obj).parameters)
        if params[:1] == ["func"] or qual in INNER and "covered" not in INNER[qual]:
            return
        found[qual] = obj

    for name in CORE_MODULES:
        mod = importlib.import_module(f"refnn.{name}")
        for attr, obj in vars(mod).items():
            if getattr(obj, "__module__", None) == mod.__name__ and not attr.startswith("_"):
                add(f"{mod.__name__}.{attr}", obj)
    for attr in gradcheck.__all__:
        add(f"refnn.gradcheck.{attr}", getattr(gradcheck, attr))
    add("refnn.gradcheck.batched.batched_gradapprox", batched_gradapprox)
    for attr in course.__all__:
        add(f"refnn.course.{attr}", getattr(course, attr))
    return found


FUNCTIONS = sorted(f"{s.fn.__module__}.{s.fn.__qualname__}" for s in SPECS)
"""The functions covered (their defining module and name); refnn.course's re-exports of core
functions are the same objects and are covered by the core entries."""


def test_the_list_is_the_public_api() -> None:
    api = public_api()
    discovered = {f"{f.__module__}.{f.__qualname__}" for f in api.values()}
    assert set(FUNCTIONS) == discovered, (
        f"not covered: {sorted(discovered - set(FUNCTIONS))}; "
        f"covered but not public: {sorted(set(FUNCTIONS) - discovered)}")
    assert len(FUNCTIONS) == len(set(FUNCTIONS))


# ------------------------------------------------------------------------------ the oracle

def same(a: Any, b: Any) -> bool:
    """Structural equality (nan equals nan; arrays by shape, dtype kind and values)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.shape != b.shape or type(a) is not type(b):
            return False
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (np.isnan(a) and np.isnan(b))
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name))
                                          for f in dataclasses.fields(a))
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (np.random.Generator, np.random.RandomState)) or callable(a):
        return True
    if type(a) is object:
        return type(b) is object
    if hasattr(a, "_fields") or hasattr(a, "__slots__") and not isinstance(a, (int, float, str)):
        return repr(a) == repr(b)
    return bool(a == b)


def finite(x: Any) -> bool:
    if isinstance(x, np.ndarray):
        return x.dtype.kind not in "fc" or bool(np.isfinite(x).all())
    if isinstance(x, (float, np.floating)):
        return bool(np.isfinite(x))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return all(finite(getattr(x, f.name)) for f in dataclasses.fields(x))
    if isinstance(x, Mapping):
        return all(finite(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        return all(finite(v) for v in x)
    return True


_ARG = re.compile(r"argument '(.*?)' must be")


def _text(err: BaseException) -> str:
    """The message without object addresses (a repr's ``at 0x7f...`` differs between copies)."""
    return re.sub(r" at 0x[0-9A-Fa-f]+", "", str(err))


def names_argument(spec: Spec, arg: str, err: BaseException) -> bool:
    text = str(err)
    if not text.startswith(f"{spec.display}: "):
        return False
    match = _ARG.search(text)
    return match is not None and arg in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", match.group(1))


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def call(spec: Spec, kwargs: dict[str, Any]) -> Outcome:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)  # e.g. the distribution-mismatch warning
        try:
            with redirect_stdout(io.StringIO()):
                return Outcome(value=spec.fn(**kwargs))
        except (ValueError, TypeError) as err:
            return Outcome(error=err)
        except Exception as err:  # judged by check_case (only a missing file may be an OSError)
            return Outcome(error=err)


def check_case(spec: Spec, arg: str, cls: str, bad: Any, expect: Any, base: dict[str, Any]
               ) -> None:
    """Call ``spec`` with ``arg = bad`` (the rest of ``base`` valid) and judge the outcome."""
    where = f"{spec.display}({arg}=<{cls}>)"
    pristine = copy.deepcopy(base)
    kwargs = {**copy.deepcopy(base), arg: bad}
    snapshot = copy.deepcopy(kwargs)
    twin = copy.deepcopy(kwargs)
    state = np.random.get_state()
    first = call(spec, kwargs)
    reseeds = spec.fn.__module__.startswith("refnn.course")
    if not reseeds:
        after = np.random.get_state()
        assert all(same(x, y) if isinstance(x, np.ndarray) else x == y
                   for x, y in zip(state, after)), f"{where}: used numpy's global random state"
    for key in kwargs:
        assert same(kwargs[key], snapshot[key]), f"{where}: modified its argument {key!r}"
    second = call(spec, twin)
    if first.error is not None:
        assert isinstance(first.error, (ValueError, TypeError, FileNotFoundError)), (
            f"{where}: {type(first.error).__name__}: {first.error}")
        assert second.error is not None and _text(second.error) == _text(first.error), (
            f"{where}: not deterministic")
        if isinstance(first.error, FileNotFoundError):
            return
        tied = expect is RAISE_TIED or cls.startswith("empty")  # m = 0 against the labels' m
        named = [arg] if not tied else list(inspect.signature(spec.fn).parameters)
        assert any(names_argument(spec, a, first.error) for a in named), (
            f"{where}: the error does not name {spec.display}'s argument {arg!r}: "
            f"{type(first.error).__name__}: {first.error}")
        return
    assert second.error is None and same(first.value, second.value), f"{where}: not deterministic"
    if expect is RAISE or expect is RAISE_TIED:
        pytest.fail(f"{where}: returned {first.value!r:.200} instead of an error naming {arg!r}")
    if expect is FINITE and not spec.allows_inf:
        assert finite(first.value), f"{where}: a non-finite answer {first.value!r:.200}"
    if isinstance(expect, Equiv):
        ref = call(spec, {**pristine, arg: copy.deepcopy(expect.value)})
        assert ref.error is None and same(first.value, ref.value), (
            f"{where}: answered differently from the equivalent valid input")


def cases(spec: Spec, r: random.Random) -> tuple[dict[str, Any], list[tuple[str, str, Any, Any]]]:
    base = spec.build(r)
    out = []
    for arg, kind in spec.kinds.items():
        for cls, bad, expect in bad_values(kind, base[arg], r):
            out.append((arg, cls, bad, expect))
    return base, out


def _id(spec: Spec) -> str:
    return f"{spec.fn.__module__.removeprefix('refnn.')}.{spec.display}"


@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_every_class_of_every_function(spec: Spec) -> None:
    """Every bad-input class of every argument, once (a fixed valid base)."""
    base, todo = cases(spec, random.Random(0))
    first = call(spec, copy.deepcopy(base))
    assert first.error is None or isinstance(first.error, FileNotFoundError), (
        f"the valid base call fails: {first.error}")
    for arg, cls, bad, expect in todo:
        check_case(spec, arg, cls, bad, expect, base)


def test_the_case_count() -> None:
    """The table's size: functions × classes (printed with ``-s``; at least 2 classes each)."""
    total = 0
    for spec in SPECS:
        _, todo = cases(spec, random.Random(0))
        total += len(todo)
        assert len(todo) >= 2 or not spec.kinds
    print(f"\nbad-input cases: {len(SPECS)} functions, {total} (function, argument, class) cases")
    assert total > 10 * len(SPECS)


_FUZZED = [s for s in SPECS if s.kinds]


@st.composite
def _case(draw: st.DrawFn) -> tuple[Spec, str, str, Any, Any, dict[str, Any]]:
    spec = draw(st.sampled_from(_FUZZED))
    base = spec.build(random.Random(draw(st.integers(0, 2**32 - 1))))
    arg = draw(st.sampled_from(sorted(spec.kinds)))
    cls, bad, expect = draw(bad_value(spec.kinds[arg], base[arg]))
    return spec, arg, cls, bad, expect, base


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(_case())
def test_bad_input_property(case: tuple[Spec, str, str, Any, Any, dict[str, Any]]) -> None:
    """Hypothesis over (function, argument, class, valid base, where the damage goes)."""
    spec, arg, cls, bad, expect, base = case
    check_case(spec, arg, cls, bad, expect, base)


_ = (reg_utils, network_check)
