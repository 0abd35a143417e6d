"""The cross-entropy cost (docs/SPEC.md § Cost): COST-1 … COST-3.

``compute_cost`` (Regularization's reg_utils) and ``compute_loss`` (Initialization's init_utils)
are the same function under the two notebooks' names; each is judged for itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from refnn.conformance import rounding
from refnn.conformance.judge import Scalar, check_close
from refnn.conformance.plugin import Subject

from .strategies import predictions

COSTS = ["compute_cost", "compute_loss"]


def cross_entropy(A: np.ndarray, Y: np.ndarray) -> float:
    """−(1/m) Σ [y log a + (1 − y) log(1 − a)], computed by the suite."""
    m = A.shape[1]
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)


@pytest.mark.rule("COST-1")
@pytest.mark.parametrize("name", COSTS)
@given(data=predictions())
def test_cost_is_the_mean_binary_cross_entropy(target: Subject, name: str,
                                               data: tuple[np.ndarray, np.ndarray]) -> None:
    """COST-1: the cost is −(1/m) Σ_i [y log a + (1 − y) log(1 − a)] — the mean over the m
    examples, not their sum."""
    A, Y = data
    J = target.require(name).call(A, Y, expect=Scalar())
    # tolerance: two correct evaluations' rounding (rounding.cross_entropy_tolerance)
    check_close(J, cross_entropy(A, Y), f"{name}(A3, Y) for m = {A.shape[1]}", rtol=0,
                atol=rounding.cross_entropy_tolerance(A, Y))


@pytest.mark.rule("COST-1")
@pytest.mark.parametrize("name", COSTS)
@given(data=predictions(), copies=st.integers(2, 4))
def test_cost_of_a_repeated_data_set_is_unchanged(target: Subject, name: str,
                                                  data: tuple[np.ndarray, np.ndarray],
                                                  copies: int) -> None:
    """COST-1: a mean does not change when every example appears k times (a sum would grow k×)."""
    A, Y = data
    fn = target.require(name)
    once = fn.call(A, Y, expect=Scalar())
    many = fn.call(np.tile(A, copies), np.tile(Y, copies), expect=Scalar())
    # tolerance: one evaluation on m and one on k·m examples, each within its rounding bound
    tol = (rounding.cross_entropy_tolerance(A, Y) +
           rounding.cross_entropy_tolerance(np.tile(A, copies), np.tile(Y, copies))) / 2
    check_close(many, once, f"{name} of the data repeated {copies}× vs {name} of the data",
                rtol=0, atol=tol)


@pytest.mark.rule("COST-2")
@pytest.mark.parametrize("name", COSTS)
@given(data=predictions(m=(2, 8)), seed=st.randoms(use_true_random=False))
def test_cost_does_not_depend_on_the_order_of_examples(target: Subject, name: str,
                                                      data: tuple[np.ndarray, np.ndarray],
                                                      seed: object) -> None:
    """COST-2: permuting the examples (the columns of A3 and Y together) leaves the cost unchanged."""
    A, Y = data
    order = list(range(A.shape[1]))
    seed.shuffle(order)  # type: ignore[attr-defined]
    fn = target.require(name)
    J = fn.call(A, Y, expect=Scalar())
    Jp = fn.call(A[:, order], Y[:, order], expect=Scalar())
    # tolerance: a sum in another order, each within the rounding bound of the cross-entropy
    check_close(Jp, J, f"{name} with the examples in the order {order} vs in order", rtol=0,
                atol=rounding.cross_entropy_tolerance(A, Y))


@pytest.mark.rule("COST-3")
@pytest.mark.parametrize("name", COSTS)
@given(labels=st.lists(st.integers(0, 1), min_size=1, max_size=10))
def test_cost_is_ln_2_when_every_output_is_one_half(target: Subject, name: str,
                                                    labels: list[int]) -> None:
    """COST-3: when A3 = 0.5 everywhere (e.g. all weights zero) the cost is ln 2 whatever the labels."""
    Y = np.array([labels], dtype=np.float64)
    A = np.full_like(Y, 0.5)
    J = target.require(name).call(A, Y, expect=Scalar())
    # tolerance: the rounding of one evaluation (ln 2 itself is correctly rounded)
    tol = rounding.FACTOR / 2 * rounding.cross_entropy_bound(A, Y) + rounding.U * math.log(2)
    check_close(J, math.log(2), f"{name}(A3 = 0.5, Y = {labels})", rtol=0, atol=tol)
