"""refnn.gradcheck.differences and .precision: numerical derivatives, their error orders, float64 only."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import refnn.gradcheck
from refnn.gradcheck import (
    check_gradient,
    check_network,
    complex_step_gradient,
    course_loop_gradapprox,
    numerical_gradient,
    relative_difference,
)
from refnn.gradcheck.differences import DifferenceMethod
from refnn.types import FloatArray


class SmoothCost:
    """``J(θ) = Σ_k c_k exp(a_k θ_k) + (1/m) Σ_i softplus(x_i·θ) − y_i x_i·θ``: smooth, with a
    third derivative that does not vanish (the exponential part), and its exact gradient."""

    def __init__(self, a: FloatArray, c: FloatArray, X: FloatArray, y: FloatArray) -> None:
        self.a, self.c, self.X, self.y = a, c, X, y

    def __call__(self, theta: FloatArray) -> float:
        z = self.X.T @ theta
        return float(np.sum(self.c * np.exp(self.a * theta))
                     + np.mean(np.logaddexp(0.0, z) - self.y * z))

    def complex(self, theta: NDArray[np.complex128]) -> complex:
        z = self.X.T @ theta
        return complex(np.sum(self.c * np.exp(self.a * theta))
                       + np.mean(np.log1p(np.exp(z)) - self.y * z))

    def gradient(self, theta: FloatArray) -> FloatArray:
        z = self.X.T @ theta
        sig = 1.0 / (1.0 + np.exp(-z))
        out: FloatArray = self.c * self.a * np.exp(self.a * theta) + self.X @ (sig - self.y) / len(z)
        return out


@st.composite
def smooth_costs(draw: st.DrawFn) -> tuple[SmoothCost, FloatArray]:
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 2.0, n) * rng.choice([-1.0, 1.0], n)
    c = rng.uniform(0.5, 2.0, n)
    X = rng.uniform(-2.0, 2.0, (n, m))
    y = (rng.random(m) < 0.5).astype(np.float64)
    theta = np.array(draw(st.lists(st.floats(-1.5, 1.5), min_size=n, max_size=n)))
    return SmoothCost(a, c, X, y), theta


def _slope(method: DifferenceMethod, cost: SmoothCost, theta: FloatArray, epsilons: FloatArray
           ) -> float:
    g = cost.gradient(theta)
    errors = [np.linalg.norm(numerical_gradient(cost, theta, method=method, epsilon=float(e)) - g)
              for e in epsilons]
    return float(np.polyfit(np.log(epsilons), np.log(errors), 1)[0])


@settings(max_examples=60, deadline=None)
@given(case=smooth_costs())
def test_two_sided_error_shrinks_as_eps_squared_and_one_sided_as_eps(
        case: tuple[SmoothCost, FloatArray]) -> None:
    cost, theta = case
    two = _slope("two-sided", cost, theta, np.geomspace(1e-1, 1e-3, 5))
    one = _slope("one-sided", cost, theta, np.geomspace(1e-2, 1e-4, 5))
    assert 1.8 <= two <= 2.2, f"log-log slope of the two-sided error {two:.3f}, should be 2"
    assert 0.85 <= one <= 1.15, f"log-log slope of the one-sided error {one:.3f}, should be 1"


def test_the_module_docstring_states_the_orders_the_right_way_round() -> None:
    doc = refnn.gradcheck.__doc__ or ""
    assert "J'(θ) + ε²/6·J'''(θ)" in doc and "the error is **O(ε²)**" in doc
    assert "J'(θ) + ε/2·J''(θ)" in doc and "the error is **O(ε)**" in doc
    assert "lecture notes have it backwards" in doc


def test_complex_step_is_exact_to_rounding_for_any_tiny_step() -> None:
    rng = np.random.default_rng(3)
    cost = SmoothCost(rng.uniform(0.5, 2, 4), rng.uniform(0.5, 2, 4), rng.standard_normal((4, 7)),
                      (rng.random(7) < 0.5).astype(float))
    theta = rng.uniform(-1, 1, 4)
    g = cost.gradient(theta)
    for h in (1e-8, 1e-20, 1e-100):
        approx = numerical_gradient(cost.complex, theta, method="complex-step", epsilon=h)
        assert relative_difference(g, approx) < 1e-15
    # ... while the two-sided difference is limited by rounding and truncation
    assert relative_difference(g, numerical_gradient(cost, theta)) > 1e-12


def test_complex_step_refuses_a_cost_that_drops_the_imaginary_part() -> None:
    with pytest.raises(ValueError, match="accepts complex input"):
        complex_step_gradient(lambda t: float(np.sum(t.real ** 2)), np.ones(2))
    with pytest.raises(ValueError, match="accepts complex input"):
        complex_step_gradient(lambda t: complex(np.sum(np.floor(t))), np.ones(2))  # floor: real only


def test_complex_step_through_a_relu_kink_is_one_sided() -> None:
    # relu via numpy.maximum orders complex numbers by their real part first: away from the kink
    # the imaginary part goes through, at the kink (Re z = 0) it picks one side silently.
    w = np.array([2.0, 3.0])

    def J(t: NDArray[np.complex128]) -> complex:
        return complex(np.sum(w * np.maximum(t, 0)))

    g = complex_step_gradient(J, np.array([0.5, 0.0]))
    assert g.tolist() == [2.0, 3.0]  # right derivative at the kink; the two-sided gives 1.5
    two = numerical_gradient(lambda t: float(np.sum(w * np.maximum(t, 0))), np.array([0.5, 0.0]))
    assert np.allclose(two, [2.0, 1.5])


def test_course_loop_is_the_courses_arithmetic_bit_for_bit() -> None:
    rng = np.random.default_rng(0)
    A = rng.standard_normal((5, 5))
    shapes_seen: list[tuple[int, ...]] = []

    def J(t: FloatArray) -> float:
        shapes_seen.append(t.shape)
        v = t.reshape(-1)
        return float(v @ A @ v + np.sum(np.sin(v)))

    for theta in (rng.standard_normal((5, 1)), rng.standard_normal(5)):
        eps = 1e-7
        expected = np.zeros(theta.shape)
        for i in range(theta.shape[0]):
            plus = np.copy(theta)
            plus[i] = plus[i] + eps
            minus = np.copy(theta)
            minus[i] = minus[i] - eps
            expected[i] = (J(plus) - J(minus)) / (2 * eps)
        shapes_seen.clear()
        before = theta.copy()
        got = course_loop_gradapprox(J, theta, eps)
        assert got.shape == theta.shape and np.array_equal(got, expected)
        assert set(shapes_seen) == {theta.shape}
        assert np.array_equal(theta, before), "theta was modified"
        assert np.array_equal(numerical_gradient(J, theta), expected)


def test_one_sided_uses_one_evaluation_per_coordinate_plus_one() -> None:
    calls = []

    def J(t: FloatArray) -> float:
        calls.append(1)
        return float(np.sum(t ** 2))

    numerical_gradient(J, np.ones(4), method="one-sided")
    assert len(calls) == 5
    calls.clear()
    numerical_gradient(J, np.ones(4))
    assert len(calls) == 8


def test_check_gradient_names_the_worst_coordinates() -> None:
    J = SmoothCost(np.ones(3), np.ones(3), np.zeros((3, 1)), np.zeros(1))
    theta = np.array([0.1, 0.2, 0.3])
    g = J.gradient(theta)
    report = check_gradient(J, theta, g, names=["x", "y", "z"])
    assert report.passed and report.difference < 1e-8
    bad = g.copy()
    bad[1] += 1e-3
    report = check_gradient(J, theta, bad, names=["x", "y", "z"], worst=2)
    assert not report.passed and report.worst[0].name == "y"
    assert report.worst[0].analytic == bad[1] and len(report.worst) == 2
    assert report.culprits == ("theta",) and not report.kinks_known


# --- the precision policy -------------------------------------------------------------------------


def test_float32_theta_is_refused_with_the_reason() -> None:
    with pytest.raises(TypeError, match=r"argument 'theta' must be float64 \(gradient checks are "
                                        r"meaningless in lower precision"):
        numerical_gradient(lambda t: float(np.sum(t)), np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="'grad' must be float64"):
        check_gradient(lambda t: float(np.sum(t)), np.ones(3), np.ones(3, dtype=np.float32))
    with pytest.raises(TypeError, match="'gradapprox' must be float64"):
        relative_difference(np.ones(3), np.ones(3, dtype=np.float16))


def test_a_float32_cost_is_refused() -> None:
    with pytest.raises(TypeError, match="cost"):
        numerical_gradient(lambda t: np.float32(np.sum(t)), np.ones(3))  # type: ignore[arg-type,return-value]


def test_float32_network_parameters_are_refused() -> None:
    p = {"W1": np.ones((1, 2), dtype=np.float32), "b1": np.zeros((1, 1))}
    with pytest.raises(TypeError, match=r"check_network: argument 'params\['W1'\]' must be float64"):
        check_network(p, np.ones((2, 3)), np.array([[1.0, 0.0, 1.0]]))


def test_a_float32_check_of_a_correct_gradient_would_be_meaningless() -> None:
    # Why float32 is refused: the course's check, done in float32 at ε = 1e-7, on a correct
    # gradient. (Written out by hand here, since refnn will not run it.)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 30)).astype(np.float32)
    y = (rng.random(30) < 0.5).astype(np.float32)
    theta = (0.1 * rng.standard_normal(4)).astype(np.float32)
    eps = np.float32(1e-7)

    def J(t: NDArray[np.float32]) -> np.float32:
        z = t @ X
        return np.float32(np.mean(np.logaddexp(np.float32(0), z) - y * z))

    sig = 1 / (1 + np.exp(-(theta @ X)))
    grad = (X @ (sig - y) / 30).astype(np.float32)
    approx = np.zeros(4, dtype=np.float32)
    for i in range(4):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps
        minus[i] -= eps
        approx[i] = (J(plus) - J(minus)) / (2 * eps)
    g64, a64 = grad.astype(np.float64), approx.astype(np.float64)
    difference = np.linalg.norm(g64 - a64) / (np.linalg.norm(g64) + np.linalg.norm(a64))
    # 0.44 here (and 1.0 for |θ| >= 1, where θ ± 1e-7 rounds back to θ): far past "worry" (1e-3)
    assert difference > 0.1, difference
