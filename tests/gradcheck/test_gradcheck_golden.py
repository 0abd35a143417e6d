"""refnn.gradcheck on the course's own example (W1A3): the published numbers, and the culprits.

The example (test only — refnn never touches numpy's global random state): ``np.random.seed(1)``;
``x = randn(4, 3)``; ``y = [1, 1, 0]``; ``W1 = randn(5, 4)``, ``b1 = randn(5, 1)``,
``W2 = randn(3, 5)``, ``b2 = randn(3, 1)``, ``W3 = randn(1, 3)``, ``b3 = randn(1, 1)``; cost
``(1/m)·np.sum(cross-entropy)``. The notebook's backprop has two planted bugs (``dW2`` doubled,
``db1`` with ``4/m``): 0.2850931567761623; fixed: 1.1890913024229996e-07.

Bit-identity depends on the BLAS kernels (each ``g̃_k`` divides a difference of two costs by
``2e-7``, amplifying ulp-level differences ~5e6-fold); on this machine's default OpenBLAS kernels
the fixed value is reproduced bit for bit and the buggy one to 1 ulp (the last bit of
``numpy.linalg.norm``'s sum).
"""

from __future__ import annotations

import numpy as np
import pytest

from refnn import golden
from refnn.gradcheck import (
    ParamLayout,
    check_gradient,
    check_network,
    check_network_fast,
    course_loop_gradapprox,
    relative_difference,
)
from refnn.types import FloatArray

pytestmark = pytest.mark.golden

BUGGY = 0.2850931567761623
FIXED = 1.1890913024229996e-07


def _course_example() -> tuple[FloatArray, FloatArray, dict[str, FloatArray]]:
    np.random.seed(1)
    x = np.random.randn(4, 3)
    y = np.array([1, 1, 0])
    params = {"W1": np.random.randn(5, 4), "b1": np.random.randn(5, 1),
              "W2": np.random.randn(3, 5), "b2": np.random.randn(3, 1),
              "W3": np.random.randn(1, 3), "b3": np.random.randn(1, 1)}
    return x, y, params


def _forward(p: dict[str, FloatArray], x: FloatArray, y: FloatArray
             ) -> tuple[float, tuple[FloatArray, ...]]:
    # the course's forward_propagation_n arithmetic, written from the math
    Z1 = np.dot(p["W1"], x) + p["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = np.dot(p["W2"], A1) + p["b2"]
    A2 = np.maximum(0, Z2)
    Z3 = np.dot(p["W3"], A2) + p["b3"]
    A3 = 1 / (1 + np.exp(-Z3))
    logprobs = np.multiply(-np.log(A3), y) + np.multiply(-np.log(1 - A3), 1 - y)
    return float(1.0 / 3 * np.sum(logprobs)), (A1, A2, A3)


def _backward(p: dict[str, FloatArray], x: FloatArray, y: FloatArray, planted_bugs: bool
              ) -> dict[str, FloatArray]:
    _, (A1, A2, A3) = _forward(p, x, y)
    m = 3
    dZ3 = A3 - y
    dW3 = 1.0 / m * np.dot(dZ3, A2.T)
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dZ2 = np.multiply(np.dot(p["W3"].T, dZ3), np.int64(A2 > 0))
    dW2 = 1.0 / m * np.dot(dZ2, A1.T) * (2 if planted_bugs else 1)
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.multiply(np.dot(p["W2"].T, dZ2), np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(dZ1, x.T)
    db1 = (4.0 if planted_bugs else 1.0) / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def test_the_published_values_are_the_ones_recorded_in_golden() -> None:
    assert golden.entry("gradient_checking", "gradient_check_n_buggy_backprop"
                        ).expected("difference") == BUGGY
    assert golden.entry("gradient_checking", "gradient_check_n_fixed_backprop"
                        ).expected("difference") == FIXED


@pytest.mark.parametrize(("planted_bugs", "expected"), [(True, BUGGY), (False, FIXED)],
                         ids=["planted-bugs", "fixed"])
def test_course_loop_reproduces_the_course(planted_bugs: bool, expected: float) -> None:
    x, y, p = _course_example()
    lay = ParamLayout.course([4, 5, 3, 1])
    theta = lay.to_vector(p).reshape(-1, 1)
    grad = lay.grads_to_vector(_backward(p, x, y, planted_bugs)).reshape(-1, 1)

    def J(t: FloatArray) -> float:
        return _forward(lay.to_params(t), x, y)[0]

    gradapprox = course_loop_gradapprox(J, theta, 1e-7)
    difference = relative_difference(grad, gradapprox)
    assert difference == pytest.approx(expected, rel=1e-15, abs=0.0)
    report = check_gradient(J, theta, grad, layout=lay)
    assert report.difference == difference
    assert np.array_equal(report.numeric, gradapprox.ravel())
    if planted_bugs:
        assert sorted(report.culprits) == ["W2", "b1"]
        assert not report.passed
        blocks = {b.key: b.difference for b in report.blocks}
        assert blocks["W2"] == pytest.approx(1 / 3, rel=1e-6)   # 2g vs g: |g|/(3|g|)
        assert blocks["b1"] == pytest.approx(3 / 5, rel=1e-6)   # 4g vs g: 3|g|/(5|g|)
        assert {c.name[:2] for c in report.worst} <= {"W2", "b1"}
        text = str(report)
        assert "culprits: b1, W2" in text and "worry" in text
    else:
        assert report.culprits == () and report.passed
        assert "passes the course's code (<= 2e-7), above the lecture's 1e-7" in str(report)


def test_the_1d_examples() -> None:
    # J = θx, dθ = x, ε = 1e-7: the course's gradient_check numbers
    for x, expected in ((3, 7.814075313343006e-11), (2, 2.919335883291695e-10)):
        approx = course_loop_gradapprox(lambda t: float(t[0] * x), np.array([4.0]))
        assert relative_difference(x, float(approx[0])) == expected


def test_check_network_names_the_same_culprits_with_a_stable_cost() -> None:
    x, y, p = _course_example()
    Y = y.reshape(1, -1)
    buggy = check_network(p, x, Y, grads=_backward(p, x, y, True))
    assert buggy.culprits == ("b1", "W2")
    assert buggy.difference == pytest.approx(BUGGY, rel=1e-7)
    fixed = check_network(p, x, Y, grads=_backward(p, x, y, False))
    # The course's 1.19e-7 is mostly rounding noise of its cost: −log(1 − a) with a = 0.9989
    # for the third example. From the logits (and without recomputing unchanged layers) the same
    # check scores ~1e-9.
    assert fixed.passed and fixed.difference < 1e-8 and not fixed.kinks
    loop = check_network(p, x, Y, grads=_backward(p, x, y, False), engine="loop")
    assert loop.passed and loop.difference < 1e-8


def test_the_fast_check_flags_the_planted_bugs_and_localizes_them() -> None:
    x, y, p = _course_example()
    Y = y.reshape(1, -1)
    report = check_network_fast(p, x, Y, rng=np.random.default_rng(0),
                                grads=_backward(p, x, y, True))
    assert not report.passed
    assert report.full is not None and report.culprits == ("b1", "W2")
    ok = check_network_fast(p, x, Y, rng=np.random.default_rng(0), grads=_backward(p, x, y, False))
    assert ok.passed and ok.full is None
