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
from hypothesis import given, settings
from hypothesis import strategies as st

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


def dev_curve(case: Case, n: int) -> list[float]:
    """J_dev(θ_0), …, J_dev(θ_n) by plain gradient descent (refnn's core)."""
    P, out = dict(case.params), []
    for i in range(n + 1):
        out.append(j_dev(P, case))
        if i < n:
            _, cache = forward(P, case.X)
            P = gradient_step(P, backward(P, cache, case.Y), LEARNING_RATE)
    return out


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
    costs seen, and best_dev_cost = J_dev(θ_k) = min of the dev costs."""
    r = run(target, case, patience, n)
    costs = np.asarray(r.dev_costs, dtype=np.float64)
    k = int(r.best_iteration)
    check(k == int(np.argmin(costs)),
          f"best_iteration {k}, but the dev costs seen are lowest at {int(np.argmin(costs))}")
    want = train(case.X, case.Y, DIMS, rng=np.random.default_rng(0), params=case.params,
                 learning_rate=LEARNING_RATE, num_iterations=k).params
    for key in sorted(want):
        check_close(r.params[key], want[key], f"params[{key!r}] vs θ_{k} (the parameters after "
                    f"{k} gradient steps)", rtol=1e-9, atol=1e-12)
    check_close(float(r.best_dev_cost), j_dev(want, case), f"best_dev_cost vs J_dev(θ_{k})",
                rtol=1e-9, atol=1e-12)
    check_close(float(costs.min()), j_dev(want, case), "min(dev_costs) vs J_dev(θ_best)",
                rtol=1e-9, atol=1e-12)


@pytest.mark.rule("ESTOP-2")
@_budget(0.08)
@given(case=cases(), patience=st.integers(0, 6), n=st.integers(0, 60))
def test_training_stops_after_patience_evaluations_without_improvement(
    target: Subject, case: Case, patience: int, n: int
) -> None:
    """ESTOP-2: the dev cost of every iteration i is J_dev(θ_i); training stops at the
    (patience+1)-th consecutive iteration that does not improve on the best, or after
    num_iterations steps — whichever comes first."""
    r = run(target, case, patience, n)
    curve = dev_curve(case, n)
    best, wait, stop, early = np.inf, 0, n, False
    for i, J in enumerate(curve):
        if J < best:
            best, wait = J, 0
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
                "dev_costs vs J_dev(θ_0..θ_stop)", rtol=1e-9, atol=1e-12)


@pytest.mark.rule("ESTOP-3")
@_budget(0.08)
@given(case=cases())
def test_patience_zero_stops_at_the_first_rise(target: Subject, case: Case) -> None:
    """ESTOP-3: with patience 0, training stops at the first iteration k whose dev cost is not
    lower than iteration k−1's, and returns θ_{k−1}."""
    n = 80
    curve = dev_curve(case, n)
    rises = [i for i in range(1, n + 1) if curve[i] >= curve[i - 1]]
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
