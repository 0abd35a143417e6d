"""Early stopping (docs/SPEC.md, ``ESTOP-*``): lecture, "Other Regularization Methods → Early stopping".

The target's ``train_with_early_stopping(X_train, Y_train, X_dev, Y_dev, layer_dims, *, rng,
patience, learning_rate, num_iterations, params)`` runs batch gradient descent from ``params`` and
returns ``params`` (the best), ``best_iteration``, ``best_dev_cost``, ``stopped_iteration``,
``stopped_early`` and ``dev_costs`` (``J_dev(θ_i)`` for ``i = 0..stopped_iteration``, ``θ_i`` being the
parameters after ``i`` steps).

The oracle is refnn's core: ``refnn.training.train`` (plain gradient descent) for ``θ_i`` and the
mean cross-entropy of ``refnn.network.forward`` on the dev set for ``J_dev``. The dev labels follow
a different rule from the training labels, so the dev cost rises at some point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from refnn.conformance import rounding
from refnn.conformance.judge import check, check_close
from refnn.conformance.plugin import Subject
from refnn.cost import cross_entropy_from_logits
from refnn.init import initialize
from refnn.network import backward, forward
from refnn.training import gradient_step, train

DIMS = [2, 4, 1]
LEARNING_RATE = 0.5


def _budget(fraction: float) -> settings:
    return settings(max_examples=max(2, round(settings().max_examples * fraction)),
                    deadline=None)


@dataclass(frozen=True)
class Case:
    X: np.ndarray
    Y: np.ndarray
    X_dev: np.ndarray
    Y_dev: np.ndarray
    params: dict[str, np.ndarray]
    seed: int

    def __repr__(self) -> str:
        return f"Case(seed={self.seed}, m=30, m_dev=30, layer_dims={DIMS})"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    seed = draw(st.integers(0, 2**32 - 1))
    mix = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, 30))
    Y = (X[0] > 0).astype(np.float64)[None, :]
    X_dev = rng.normal(size=(2, 30))
    Y_dev = (X_dev[1] + mix * X_dev[0] > 0).astype(np.float64)[None, :]
    return Case(X, Y, X_dev, Y_dev, initialize(DIMS, "he", rng=rng), seed)


def j_dev(params: dict[str, np.ndarray], case: Case) -> float:
    _, cache = forward(params, case.X_dev)
    return cross_entropy_from_logits(cache.layers[-1].Z, case.Y_dev)


KEYS = ("W1", "b1", "W2", "b2")
KINK = 1e-9
"""How far every hidden pre-activation of the trajectory must stay from ReLU's kink: the error
bounds assume no Z is within its own rounding (≪ 1e-12 here) of 0, where two correct
implementations could take different branches."""


def _vec(P: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([np.asarray(P[k], dtype=np.float64).ravel() for k in KEYS])


def _unvec(v: np.ndarray, like: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out, start = {}, 0
    for k in KEYS:
        size = like[k].size
        out[k] = v[start:start + size].reshape(like[k].shape)
        start += size
    return out


def _grad(P: dict[str, np.ndarray], X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    _, cache = forward(P, X)
    g = backward(P, cache, Y)
    return np.concatenate([np.asarray(g["d" + k], dtype=np.float64).ravel() for k in KEYS])


def _batched_grad(thetas: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The training cost's gradient for a batch of parameter vectors (B, 17) of the [2, 4, 1]
    network at once (the course's formulas; used only for the Hessian of the error model, not as
    an oracle of any value judged)."""
    B, m = thetas.shape[0], X.shape[1]
    W1 = thetas[:, 0:8].reshape(B, 4, 2)
    b1 = thetas[:, 8:12].reshape(B, 4, 1)
    W2 = thetas[:, 12:16].reshape(B, 1, 4)
    b2 = thetas[:, 16:17].reshape(B, 1, 1)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0.0)
    A2 = 1.0 / (1.0 + np.exp(-(W2 @ A1 + b2)))
    dZ2 = (A2 - Y) / m
    dZ1 = (np.swapaxes(W2, 1, 2) @ dZ2) * (Z1 > 0)
    return np.concatenate([(dZ1 @ X.T).reshape(B, -1), dZ1.sum(axis=2).reshape(B, -1),
                           (dZ2 @ np.swapaxes(A1, 1, 2)).reshape(B, -1),
                           dZ2.sum(axis=2).reshape(B, -1)], axis=1)


def step_lipschitz(P: dict[str, np.ndarray], case: Case, h: float = 1e-6) -> float:
    """‖I − αH‖₂ at θ (H the training cost's Hessian, by central differences of the gradient,
    symmetrized): how much one gradient step can stretch an error already made."""
    theta = _vec(P)
    steps = h * np.eye(theta.size)
    g = _batched_grad(np.concatenate([theta + steps, theta - steps]), case.X, case.Y)
    H = (g[: theta.size] - g[theta.size:]).T / (2 * h)
    H = (H + H.T) / 2
    return float(np.linalg.norm(np.eye(theta.size) - LEARNING_RATE * H, 2))


def step_rounding(P: dict[str, np.ndarray], case: Case) -> float:
    """‖r‖₂ for one step θ − α∇J(θ) computed in floating point (one implementation): α × the
    gradient's rounding (rounding.network_bounds), the product α·g and the subtraction."""
    bounds = rounding.network_bounds(P, case.X, case.Y)
    E_g = np.concatenate([bounds["d" + k][1].ravel() for k in KEYS])
    theta, g = _vec(P), _grad(P, case.X, case.Y)
    r = LEARNING_RATE * E_g + rounding.U * (LEARNING_RATE * np.abs(g) +
                                           np.abs(theta - LEARNING_RATE * g))
    return float(np.linalg.norm(r))


@dataclass(frozen=True)
class Curve:
    """J_dev(θ_0..θ_n) by plain gradient descent (refnn's core) with its error model:
    ``params_tol[i]`` bounds how far two correct implementations' θ_i may be apart (any entry),
    ``cost_tol[i]`` how far their J_dev(θ_i) may be apart."""
    costs: list[float]
    params_tol: np.ndarray
    cost_tol: np.ndarray


def dev_curve(case: Case, n: int) -> Curve:
    """J_dev(θ_0), …, J_dev(θ_n) and the tolerances of each, derived from rounding:

    * θ_i: rounding.iteration_bound with L_i = ‖I − αH_i‖₂ (:func:`step_lipschitz`) and r_i the
      step's own rounding (:func:`step_rounding`): e_{i+1} = L_i e_i + r_i for one implementation;
      params_tol = rounding.FACTOR × e (two implementations, × SAFETY);
    * J_dev(θ_i): the cost's rounding (rounding.network_cost_bound on the dev set, saturated outputs
      included) plus ‖∇J_dev(θ_i)‖₂ · e_i; cost_tol = rounding.FACTOR × that.

    Assumes (hypothesis.assume) every hidden pre-activation stays ≥ KINK from 0 along the way."""
    P, costs, lips, steps, dev_bound, dev_grad = dict(case.params), [], [], [], [], []
    for i in range(n + 1):
        _, cache = forward(P, case.X)
        assume(min(float(np.min(np.abs(layer.Z))) for layer in cache.layers[:-1]) > KINK)
        costs.append(j_dev(P, case))
        dev_bound.append(rounding.network_cost_bound(P, case.X_dev, case.Y_dev))
        dev_grad.append(float(np.linalg.norm(_grad(P, case.X_dev, case.Y_dev))))
        if i < n:
            lips.append(step_lipschitz(P, case))
            steps.append(step_rounding(P, case))
            P = gradient_step(P, backward(P, cache, case.Y), LEARNING_RATE)
    e = rounding.iteration_bound(lips, steps)
    cost_tol = rounding.FACTOR * (np.asarray(dev_bound) + np.asarray(dev_grad) * e)
    return Curve(costs, rounding.FACTOR * e, cost_tol)


def decided(a: float, tol_a: float, b: float, tol_b: float) -> bool:
    """Whether ``a < b`` is the same for every pair of correct implementations: the two costs are
    further apart than both their tolerances."""
    return abs(a - b) > tol_a + tol_b


def run(target: Subject, case: Case, patience: int, n: int) -> Any:
    fn = target.require("train_with_early_stopping")
    return fn.call(case.X, case.Y, case.X_dev, case.Y_dev, list(DIMS),
                   rng=np.random.default_rng(case.seed), patience=patience,
                   learning_rate=LEARNING_RATE, num_iterations=n, params=case.params)


@pytest.mark.rule("ESTOP-1")
@_budget(0.08)
@given(case=cases(), patience=st.integers(0, 6), n=st.integers(0, 60))
def test_the_returned_parameters_are_those_of_the_lowest_dev_cost(target: Subject, case: Case,
                                                                  patience: int, n: int) -> None:
    """ESTOP-1: the result holds θ_best = θ_k for k = best_iteration = the first argmin of the dev
    costs seen, and best_dev_cost = J_dev(θ_k) = min of the dev costs.

    Tolerances (:func:`dev_curve`): θ_k within params_tol[k] (every entry), the costs within
    cost_tol[k] — rounding carried through k gradient steps, stretched by each step's ‖I − αH‖."""
    r = run(target, case, patience, n)
    costs = np.asarray(r.dev_costs, dtype=np.float64)
    k = int(r.best_iteration)
    check(k == int(np.argmin(costs)),
          f"best_iteration {k}, but the dev costs seen are lowest at {int(np.argmin(costs))}")
    want = train(case.X, case.Y, DIMS, rng=np.random.default_rng(0), params=case.params,
                 learning_rate=LEARNING_RATE, num_iterations=k).params
    curve = dev_curve(case, k)
    for key in sorted(want):
        check_close(r.params[key], want[key], f"params[{key!r}] vs θ_{k} (the parameters after "
                    f"{k} gradient steps)", rtol=0, atol=float(curve.params_tol[k]))
    check_close(float(r.best_dev_cost), j_dev(want, case), f"best_dev_cost vs J_dev(θ_{k})",
                rtol=0, atol=float(curve.cost_tol[k]))
    check_close(float(costs.min()), j_dev(want, case), "min(dev_costs) vs J_dev(θ_best)",
                rtol=0, atol=float(curve.cost_tol[k]))


@pytest.mark.rule("ESTOP-2")
@_budget(0.08)
@given(case=cases(), patience=st.integers(0, 6), n=st.integers(0, 60))
def test_training_stops_after_patience_evaluations_without_improvement(
    target: Subject, case: Case, patience: int, n: int
) -> None:
    """ESTOP-2: the dev cost of every iteration i is J_dev(θ_i); training stops at the
    (patience+1)-th consecutive iteration that does not improve on the best, or after
    num_iterations steps — whichever comes first.

    Tolerances (:func:`dev_curve`): each dev cost within cost_tol[i]; an example in which one of
    the rule's comparisons J_i < best is closer than the two costs' tolerances (a tie that rounding
    may decide either way) is not used (hypothesis.assume)."""
    r = run(target, case, patience, n)
    c = dev_curve(case, n)
    curve = c.costs
    best, best_tol, wait, stop, early = np.inf, 0.0, 0, n, False
    for i, J in enumerate(curve):
        assume(i == 0 or decided(J, float(c.cost_tol[i]), best, best_tol))
        if J < best:
            best, best_tol, wait = J, float(c.cost_tol[i]), 0
        else:
            wait += 1
            if wait > patience:
                stop, early = i, True
                break
    check(int(r.stopped_iteration) == stop and bool(r.stopped_early) == early,
          f"patience {patience}, num_iterations {n}: stopped at {int(r.stopped_iteration)} "
          f"(early: {bool(r.stopped_early)}), but should stop at {stop} (early: {early}); "
          f"dev costs {np.round(curve[: stop + 2], 5).tolist()}")
    check_close(np.asarray(r.dev_costs, dtype=np.float64), np.array(curve[: stop + 1]),
                "dev_costs vs J_dev(θ_0..θ_stop)", rtol=0, atol=c.cost_tol[: stop + 1])


@pytest.mark.rule("ESTOP-3")
@_budget(0.08)
@given(case=cases())
def test_patience_zero_stops_at_the_first_rise(target: Subject, case: Case) -> None:
    """ESTOP-3: with patience 0, training stops at the first iteration k whose dev cost is not
    lower than iteration k−1's, and returns θ_{k−1}.

    Examples in which a comparison up to the first rise is a tie within the two costs' tolerances
    (:func:`dev_curve`) are not used (hypothesis.assume)."""
    target.require("train_with_early_stopping")  # (before the curve: a target without it skips)
    n = 80
    c = dev_curve(case, n)
    curve = c.costs
    rises = [i for i in range(1, n + 1) if curve[i] >= curve[i - 1]]
    for i in range(1, (rises[0] if rises else n) + 1):
        assume(decided(curve[i], float(c.cost_tol[i]), curve[i - 1], float(c.cost_tol[i - 1])))
    r = run(target, case, 0, n)
    if not rises:
        check(int(r.stopped_iteration) == n and not bool(r.stopped_early),
              "the dev cost fell at every iteration, yet training stopped early")
        return
    k = rises[0]
    check(int(r.stopped_iteration) == k and int(r.best_iteration) == k - 1,
          f"first rise of the dev cost at iteration {k} "
          f"({curve[k - 1]:.6g} → {curve[k]:.6g}); stopped at {int(r.stopped_iteration)} with "
          f"best_iteration {int(r.best_iteration)}, but should stop at {k} with {k - 1}")
