"""refnn.weight_decay (WD-1 … WD-5), and the WD properties against targets that get it wrong.

Each mutant is one way a framework's knob can differ from the lecture: decaying the biases too
(torch's ``SGD(weight_decay=…)`` on all parameters), a decay without the 1/m, an "Adam with L2" that
is really decoupled, an AdamW that is really coupled. The properties must reject each one, citing
the rule the mutant breaks, and accept refnn's reference.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from refnn import weight_decay as wd
from refnn.conformance import run
from refnn.conformance.runner import properties_dir

RNG = np.random.default_rng(20240614)


def _net() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    dims = [3, 4, 2, 1]
    params: dict[str, np.ndarray] = {}
    grads: dict[str, np.ndarray] = {}
    for l in range(1, 4):
        params[f"W{l}"] = RNG.normal(size=(dims[l], dims[l - 1]))
        params[f"b{l}"] = RNG.normal(size=(dims[l], 1))
        grads[f"dW{l}"] = RNG.normal(size=(dims[l], dims[l - 1]))
        grads[f"db{l}"] = RNG.normal(size=(dims[l], 1))
    return params, grads


def test_sgd_step_is_the_lectures_weight_decay() -> None:
    p, g = _net()
    new = wd.sgd_weight_decay_step(p, g, 0.1, 0.7, 5)
    np.testing.assert_allclose(new["W2"], (1 - 0.1 * 0.7 / 5) * p["W2"] - 0.1 * g["dW2"])
    np.testing.assert_allclose(new["b2"], p["b2"] - 0.1 * g["db2"])
    assert new["W1"] is not p["W1"]


def test_first_adam_step_is_alpha_times_g_over_abs_g_plus_eps() -> None:
    p, g = _net()
    new = wd.adam_l2_step(p, g, 0.01, 0.0, 5)
    np.testing.assert_allclose(new["W1"], p["W1"] - 0.01 * g["dW1"] / (np.abs(g["dW1"]) + 1e-8))


def test_coupled_and_decoupled_adam_differ_and_sgd_ones_coincide() -> None:
    p, g = _net()
    a = wd.optimizer_step(p, g, 0.1, 1.0, 2, optimizer="adam", decay="l2")
    b = wd.optimizer_step(p, g, 0.1, 1.0, 2, optimizer="adam", decay="decoupled")
    assert not np.allclose(a["W1"], b["W1"])
    c = wd.optimizer_step(p, g, 0.1, 1.0, 2, optimizer="sgd", decay="l2")
    d = wd.optimizer_step(p, g, 0.1, 1.0, 2, optimizer="sgd", decay="decoupled")
    np.testing.assert_allclose(c["W1"], d["W1"])


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"m": 0}, "optimizer_step: argument 'm' must be a positive int"),
    ({"lambd": -1.0}, "optimizer_step: argument 'lambd' must be"),
    ({"learning_rate": float("nan")}, "optimizer_step: argument 'learning_rate' must be"),
    ({"optimizer": "rmsprop"}, "optimizer_step: argument 'optimizer' must be 'sgd' or 'adam'"),
])
def test_bad_arguments_are_named(kwargs: dict[str, Any], words: str) -> None:
    p, g = _net()
    args: dict[str, Any] = {"learning_rate": 0.1, "lambd": 0.5, "m": 3, **kwargs}
    with pytest.raises(ValueError, match=words):
        wd.optimizer_step(p, g, **args)


def test_missing_gradient_is_named() -> None:
    p, g = _net()
    del g["db2"]
    with pytest.raises(ValueError, match="sgd_weight_decay_step: argument 'grads' must be a dict with a key 'db2'"):
        wd.sgd_weight_decay_step(p, g, 0.1, 0.5, 3)


# ------------------------------------------------------------------ mutants the suite must reject

Step = Callable[..., dict[str, np.ndarray]]


def _decays_biases(params: Any, grads: Any, lr: float, lambd: float, m: int) -> Any:
    return {k: (1 - lr * lambd / m) * v - lr * grads["d" + k] for k, v in params.items()}


def _no_one_over_m(params: Any, grads: Any, lr: float, lambd: float, m: int) -> Any:
    return wd.sgd_weight_decay_step(params, grads, lr, lambd * m, m)


MUTANTS: list[tuple[str, dict[str, Step], set[str]]] = [
    ("sgd decays the biases", {"sgd_weight_decay_step": _decays_biases}, {"WD-2"}),
    ("decay without 1/m", {"sgd_weight_decay_step": _no_one_over_m}, {"WD-1"}),
    ("adam 'L2' is decoupled", {"adam_l2_step": wd.adamw_step, "adamw_step": wd.adamw_step},
     {"WD-3", "WD-5"}),
    ("adamw is coupled", {"adam_l2_step": wd.adam_l2_step, "adamw_step": wd.adam_l2_step},
     {"WD-4", "WD-5"}),
]


@pytest.mark.parametrize(("name", "functions", "broken"), MUTANTS, ids=[m[0] for m in MUTANTS])
def test_the_properties_reject_each_mutant(name: str, functions: dict[str, Step],
                                           broken: set[str]) -> None:
    module = types.ModuleType(f"wd_mutant_{name.replace(' ', '_')}")
    for fname, fn in functions.items():
        setattr(module, fname, fn)
    result = run(module, ["--hypothesis-profile=refnn-ci"],
                 properties=properties_dir() / "test_weight_decay.py")
    assert result.rules_broken == broken, (result.rules_broken, result.output[-2000:])


def test_the_properties_accept_the_reference() -> None:
    result = run("refnn.weight_decay", ["--hypothesis-profile=refnn-ci"],
                 properties=properties_dir() / "test_weight_decay.py")
    assert not result.failed and len(result.passed) == 7, result.output[-2000:]
