"""The course's published numbers (docs/SPEC.md § The course's numbers), from ``golden/*.json``.

Two kinds of property:

* ``golden`` (SEED-1 … SEED-3): numbers that need the course's seeds (``np.random.seed`` inside the
  target's functions) or its exact arithmetic (differences that are rounding noise). An
  implementation with its own randomness deselects them with ``-m "not golden"``.
* the deterministic published examples (no randomness inside the target): the L2 cost and gradient,
  the dropout backward pass, the 1-D pair, the check of the planted bugs. They are checked in both
  tiers, under the rules they exemplify.

Inputs are rebuilt from each entry's recipe with ``numpy.random.RandomState(seed)`` — the stream
the course's ``np.random.seed(seed)`` gives — never from numpy's global state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from refnn import golden
from refnn.course.gradient_checking import PASS_THRESHOLD
from refnn.conformance import oracle
from refnn.conformance.judge import Scalar, check
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import DROPOUT_CACHE, forward_spec, grads_spec, params_spec

FloatArray = np.ndarray


def entry(name: str, entry_id: str) -> golden.Entry:
    try:
        return golden.entry(name, entry_id)
    except FileNotFoundError as exc:  # an installed copy without the repository's golden/
        pytest.skip(f"no golden data: {exc}")


def compare(e: golden.Entry, key: str, actual: object, what: str) -> None:
    result = e.compare(key, actual)
    check(result.ok, lambda: f"{what}: {result.message}")


def draws(e: golden.Entry) -> list[tuple[str, tuple[int, int]]]:
    """The recipe's draw list (``"W1 = randn(2,3)"``) as ``(name, shape)``."""
    texts = e.get("recipe.draws") if e.has("recipe.draws") else e.get("recipe.draws_outer")
    assert isinstance(texts, list)
    out = []
    for text in texts:
        name, call = (part.strip() for part in str(text).split("="))
        a, b = call.removeprefix("randn(").removesuffix(")").split(",")
        out.append((name, (int(a), int(b))))
    return out


def recipe_inputs(e: golden.Entry, seed_key: str = "recipe.seed") -> dict[str, FloatArray]:
    """Every array the recipe draws, in order, from ``RandomState(seed)``."""
    stream = np.random.RandomState(int(e.scalar(seed_key)))
    return {name: stream.randn(*shape) for name, shape in draws(e)}


def params_of(values: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {k: v for k, v in values.items() if k[0] in "Wb"}


def dims_of(params: dict[str, FloatArray]) -> tuple[int, ...]:
    return (params["W1"].shape[1], params["W1"].shape[0], params["W2"].shape[0],
            params["W3"].shape[0])


# ------------------------------------------------------------------------------- golden tier


@pytest.mark.golden
@pytest.mark.rule("SEED-1")
@pytest.mark.parametrize("entry_id", ["init_random_3_2_1", "init_he_3_1_2_public_test",
                                      "init_he_2_4_1_notebook"])
def test_initializers_reproduce_the_courses_seeded_weights(target: Subject, entry_id: str) -> None:
    """SEED-1: with np.random.seed(3) inside, the course's initializers give its published weights."""
    e = entry("initialization", entry_id)
    name = str(e.get("call.function"))
    dims = [int(d) for d in e.array("call.args.layers_dims")]
    params = target.require(name).call(dims, expect=params_spec(dims))
    for key in params:
        compare(e, key, params[key], f"{name}({dims})[{key!r}]")


@pytest.mark.golden
@pytest.mark.rule("SEED-2")
def test_dropout_forward_reproduces_the_courses_seeded_masks(target: Subject) -> None:
    """SEED-2: with np.random.seed(1) inside, forward_propagation_with_dropout gives the course's
    published masks, activations and A3."""
    e = entry("regularization", "forward_propagation_with_dropout")
    values = recipe_inputs(e, "recipe.seed_outer")
    X, params = values["X"], params_of(values)
    kp = e.scalar("call.args.keep_prob")
    fn = target.require("forward_propagation_with_dropout")
    A3, cache = fn.call(X, params, kp, expect=forward_spec(dims_of(params), X.shape[1], True))
    compare(e, "A3", A3, f"forward_propagation_with_dropout(keep_prob={kp}) A3")
    for i, name in enumerate(DROPOUT_CACHE):
        if name[0] in "ZDA":
            compare(e, f"cache.{name}", cache[i], f"forward_propagation_with_dropout cache {name}")


@pytest.mark.golden
@pytest.mark.rule("SEED-3")
@pytest.mark.parametrize("entry_id", ["gradient_check_1d_x3_theta4", "gradient_check_1d_x2_theta4"])
def test_gradient_check_reproduces_the_courses_difference(target: Subject, entry_id: str) -> None:
    """SEED-3: gradient_check(x, θ) with J = θx gives the course's published difference — rounding
    noise (7.814075313343006e-11 at x = 3, θ = 4), so any value in the [0, 4.44e-9] that the
    rounding of θ ± ε and x·θ allows (golden tolerance, derived in golden/README.md)."""
    e = entry("gradient_checking", entry_id)
    target.helper_scalar_pair()
    x, theta = int(e.scalar("call.args.x")), int(e.scalar("call.args.theta"))
    d = target.require("gradient_check").call(x, theta, expect=Scalar())
    compare(e, "difference", d, f"gradient_check({x}, {theta})")


@pytest.mark.golden
@pytest.mark.rule("SEED-3")
def test_gradient_check_n_reproduces_the_courses_difference_for_the_fixed_backprop(
    target: Subject
) -> None:
    """SEED-3: gradient_check_n on the course's input with the corrected gradients gives what the
    published 1.1890913024229996e-07 means: a difference the rounding noise of ε = 1e-7 allows
    (the golden tolerance: [0, 1.8e-6], derived in golden/README.md — none of the published
    digits is meaningful) *and* the course's verdict, below its threshold 2e-7."""
    d = _gradient_check_n_example(target, "gradient_check_n_fixed_backprop", planted=False)
    check(0 <= d < PASS_THRESHOLD, f"gradient_check_n(parameters, gradients, X, y, 1e-7) on the "
          f"course's input with the correct gradients returned {d!r}; the course calls a "
          f"difference below {PASS_THRESHOLD:g} correct")


# ------------------------------------------------------- deterministic published examples


def _gradient_check_n_example(target: Subject, entry_id: str, planted: bool) -> float:
    e = entry("gradient_checking", entry_id)
    values = recipe_inputs(e)
    X, params = values["X"], params_of(values)
    Y = np.array(e.get("inputs.Y"), dtype=np.float64)  # 1-D, as the course passes it
    grads = oracle.gradients(params, X, Y.reshape(1, -1))
    if planted:  # the notebook's given backward pass: dW2 doubled, db1 with 4/m
        grads["dW2"] = grads["dW2"] * 2
        grads["db1"] = grads["db1"] * 4
    fn = target.require("gradient_check_n")
    d = fn.call(params, grads, X, Y, e.scalar("call.args.epsilon"), expect=Scalar())
    compare(e, "difference", d, "gradient_check_n(parameters, gradients, X, y, 1e-7) on the "
            "course's input" + (" with its planted dW2 × 2 and db1 · 4/m" if planted else ""))
    return float(d)


@pytest.mark.rule("GC-6")
def test_gradient_check_n_reproduces_the_courses_verdict_on_the_planted_bugs(target: Subject
                                                                            ) -> None:
    """GC-6: on the course's input, gradient_check_n of the gradients with the notebook's planted
    bugs (dW2 doubled, db1 with 4/m) is the published 0.2850931567761623 — to the 3e-6 that the
    rounding noise of ε = 1e-7 can move it (golden tolerance, derived in golden/README.md)."""
    _gradient_check_n_example(target, "gradient_check_n_buggy_backprop", planted=True)


@pytest.mark.rule("L2-1")
def test_l2_cost_reproduces_the_courses_example(target: Subject) -> None:
    """L2-1: the course's example of compute_cost_with_regularization: 1.7864859451590758."""
    e = entry("regularization", "compute_cost_with_regularization")
    params = params_of(recipe_inputs(e))
    A3, Y = e.array("inputs.A3"), e.array("inputs.Y")
    lambd = e.scalar("call.args.lambd")
    J = target.require("compute_cost_with_regularization").call(A3, Y, params, lambd,
                                                                 expect=Scalar())
    compare(e, "cost", J, f"compute_cost_with_regularization(A3, Y, parameters, {lambd})")


@pytest.mark.rule("L2-2")
def test_l2_backward_reproduces_the_courses_example(target: Subject) -> None:
    """L2-2: the course's example of backward_propagation_with_regularization (λ = 0.7)."""
    e = entry("regularization", "backward_propagation_with_regularization")
    values = recipe_inputs(e)
    X, params = values["X"], params_of(values)
    _, cache, _ = oracle.forward(params, X)
    cache = tuple(np.round(a, 8) for a in cache)  # the course's literal cache: 8 decimals
    Y = e.array("inputs.Y")
    lambd = e.scalar("call.args.lambd")
    fn = target.require("backward_propagation_with_regularization")
    grads = fn.call(X, Y, cache, lambd, expect=grads_spec(dims_of(params)))
    for key in grads:
        compare(e, key, grads[key], f"backward_propagation_with_regularization(λ={lambd}) {key}")


@pytest.mark.rule("DROP-7")
def test_dropout_backward_reproduces_the_courses_example(target: Subject) -> None:
    """DROP-7: the course's example of backward_propagation_with_dropout (its cache was made with
    keep_prob = 0.5, the call passes 0.8 — the course's own inconsistency, reproduced)."""
    e = entry("regularization", "backward_propagation_with_dropout")
    values = recipe_inputs(e)
    X = values["X"]
    params = {k: np.round(v, 8) for k, v in params_of(values).items()}
    c = {k: e.array(f"inputs.cache.{k}") for k in ("D1", "A1", "Z2", "D2", "A2", "Z3", "A3")}
    Z1 = np.round(params["W1"] @ X + params["b1"], 8)
    parts: dict[str, Any] = {**c, "Z1": Z1, **params}
    parts["D1"] = c["D1"].astype(np.int64)
    parts["D2"] = c["D2"].astype(np.int64)
    cache = tuple(parts[name] for name in DROPOUT_CACHE)
    Y = e.array("inputs.Y")
    kp = e.scalar("call.args.keep_prob")
    fn = target.require("backward_propagation_with_dropout")
    grads = fn.call(X, Y, cache, kp, expect=grads_spec(dims_of(params)))
    for key in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        compare(e, key, grads[key], f"backward_propagation_with_dropout(keep_prob={kp}) {key}")


@pytest.mark.rule("GC-4")
def test_one_dimensional_pair_reproduces_the_courses_example(target: Subject) -> None:
    """GC-4: the course's example: forward_propagation(2, 4) = 8 and backward_propagation(3, 4) = 3."""
    e = entry("gradient_checking", "gc_forward_backward_1d")
    fwd, bwd, where = target.require_scalar_pair()
    for key, fn in (("J_x2_theta4", fwd), ("dtheta_x3_theta4", bwd), ("dtheta_x2_theta4", bwd)):
        x, theta = int(e.scalar(f"inputs.{key}.x")), int(e.scalar(f"inputs.{key}.theta"))
        value = fn.call(x, theta, expect=Scalar())
        compare(e, key, value, f"{fn.name}({x}, {theta}) (from {where})")

