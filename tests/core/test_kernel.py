"""refnn.kernel: the network's arithmetic, checked against derivatives and formulas it does not use.

* ``backward`` equals the complex-step derivative ``Im J(θ + ih e_k)/h`` of ``network_cost`` (exact to
  rounding away from ReLU kinks) and central differences, with L2 and fixed dropout masks;
* the stable cross-entropy equals the textbook formula where that one is accurate, and stays finite
  where ``σ`` saturates;
* the real and complex paths agree on real input; the ``out=`` path equals the plain one bit for bit;
* ``output_cross_entropy`` is the course's ``nansum`` formula, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refnn import kernel
from refnn.types import BoolArray, FloatArray

EPS = float(np.finfo(np.float64).eps)


def _net(dims: list[int], m: int, seed: int, keep_prob: float
         ) -> tuple[list[FloatArray], list[FloatArray], FloatArray, FloatArray, list[BoolArray | None]]:
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
          for l in range(1, len(dims))]
    bs = [rng.standard_normal((dims[l], 1)) * 0.3 for l in range(1, len(dims))]  # off the kinks
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    masks: list[BoolArray | None] = [
        rng.random((dims[l], m)) < keep_prob if keep_prob < 1 else None
        for l in range(1, len(dims) - 1)
    ]
    return Ws, bs, X, Y, masks


def _gradient(Ws: list[FloatArray], bs: list[FloatArray], X: FloatArray, Y: FloatArray,
              masks: list[BoolArray | None], kps: list[float], lambd: float) -> list[FloatArray]:
    fwd = kernel.forward(Ws, bs, X, masks, kps)
    AL = kernel.sigmoid(fwd.ZL)
    out = []
    for g in kernel.backward(Ws, fwd, masks, kps, kernel.output_delta(AL, Y), lambd):
        out += [g.dW, g.db]
    return out


def _complex_step(Ws: list[FloatArray], bs: list[FloatArray], X: FloatArray, Y: FloatArray,
                  masks: list[BoolArray | None], kps: list[float], lambd: float,
                  h: float = 1e-20) -> list[FloatArray]:
    """``Im J(θ + ih e_k) / h`` for every entry, through the kernel's complex path."""
    arrays = [a for pair in zip(Ws, bs) for a in pair]
    out = []
    for idx, arr in enumerate(arrays):
        g = np.empty_like(arr)
        for pos in np.ndindex(arr.shape):
            moved = [a.astype(np.complex128) for a in arrays]
            moved[idx][pos] += 1j * h
            Wc, bc = moved[0::2], moved[1::2]
            fwd = kernel.forward(Wc, bc, X, masks, kps)
            g[pos] = complex(kernel.network_cost(fwd.ZL, Y, Wc, lambd)).imag / h
        out.append(g)
    return out


def _central(Ws: list[FloatArray], bs: list[FloatArray], X: FloatArray, Y: FloatArray,
             masks: list[BoolArray | None], kps: list[float], lambd: float,
             eps: float = 1e-6) -> list[FloatArray]:
    arrays = [a for pair in zip(Ws, bs) for a in pair]
    out = []
    for idx, arr in enumerate(arrays):
        g = np.empty_like(arr)
        for pos in np.ndindex(arr.shape):
            values = []
            for step in (eps, -eps):
                moved = [a.copy() for a in arrays]
                moved[idx][pos] += step
                fwd = kernel.forward(moved[0::2], moved[1::2], X, masks, kps)
                values.append(float(kernel.network_cost(fwd.ZL, Y, moved[0::2], lambd)))
            g[pos] = (values[0] - values[1]) / (2 * eps)
        out.append(g)
    return out


nets = st.tuples(
    st.lists(st.integers(1, 5), min_size=1, max_size=3).map(lambda h: [3, *h, 1]),
    st.integers(1, 6),
    st.integers(0, 2**16),
    st.sampled_from([1.0, 0.8, 0.5]),
    st.sampled_from([0.0, 0.7]),
)


@settings(max_examples=30, deadline=None)
@given(net=nets)
def test_backward_equals_the_complex_step_derivative(net: tuple[list[int], int, int, float, float]
                                                     ) -> None:
    dims, m, seed, kp, lambd = net
    Ws, bs, X, Y, masks = _net(dims, m, seed, kp)
    kps = [kp] * (len(dims) - 2)
    analytic = _gradient(Ws, bs, X, Y, masks, kps, lambd)
    numeric = _complex_step(Ws, bs, X, Y, masks, kps, lambd)
    for k, (a, c) in enumerate(zip(analytic, numeric)):
        # complex step has no subtractive cancellation: agreement to a few ulps of the gradient's size
        scale = max(1.0, float(np.max(np.abs(c))))
        np.testing.assert_allclose(a, c, rtol=0, atol=1e-12 * scale, err_msg=f"array {k}")


@settings(max_examples=15, deadline=None)
@given(net=nets)
def test_backward_equals_central_differences(net: tuple[list[int], int, int, float, float]) -> None:
    dims, m, seed, kp, lambd = net
    Ws, bs, X, Y, masks = _net(dims, m, seed, kp)
    kps = [kp] * (len(dims) - 2)
    analytic = _gradient(Ws, bs, X, Y, masks, kps, lambd)
    numeric = _central(Ws, bs, X, Y, masks, kps, lambd)
    for k, (a, c) in enumerate(zip(analytic, numeric)):
        # truncation O(ε²) ~ 1e-12 and rounding ~ eps·J/ε ~ 1e-10: 1e-7 leaves a wide margin
        np.testing.assert_allclose(a, c, rtol=1e-6, atol=1e-7, err_msg=f"array {k}")


def test_a_wrong_gradient_is_caught_by_the_complex_step() -> None:
    # The comparison can fail: doubling the gradient of one layer shows.
    Ws, bs, X, Y, masks = _net([3, 4, 1], 5, 0, 1.0)
    analytic = _gradient(Ws, bs, X, Y, masks, [], 0.0)
    numeric = _complex_step(Ws, bs, X, Y, masks, [], 0.0)
    assert not np.allclose(2 * analytic[2], numeric[2], rtol=0, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(z=st.floats(-30, 30), y=st.sampled_from([0.0, 1.0]))
def test_stable_cross_entropy_equals_the_naive_formula_where_that_is_accurate(z: float, y: float
                                                                             ) -> None:
    Z, Y = np.array([[z]]), np.array([[y]])
    stable = float(kernel.logit_losses(Z, Y)[0, 0])
    a = 1.0 / (1.0 + np.exp(-z))
    with np.errstate(divide="ignore"):
        naive = float(-y * np.log(a) - (1 - y) * np.log(1 - a))
    assert np.isfinite(naive)
    # 1 − σ(z) and σ(z) carry an absolute rounding error ≤ eps, i.e. a relative one ≤ eps·(1 + e^{|z|}),
    # which the log turns into an absolute error of the naive value; the logs add eps·|ℓ|.
    bound = 4 * EPS * (1 + np.exp(abs(z))) + 4 * EPS * abs(stable)
    assert abs(stable - naive) <= bound, (z, y, stable, naive)


@pytest.mark.parametrize("z", [40.0, 800.0, 1e6, -40.0, -800.0, -1e6])
def test_saturated_logits_give_a_finite_cost(z: float) -> None:
    Z = np.array([[z, z]])
    Y = np.array([[0.0, 1.0]])
    losses = kernel.logit_losses(Z, Y)
    assert np.all(np.isfinite(losses))
    wrong = 0 if z > 0 else 1  # the label σ(z) is far from
    assert losses[0, wrong] == pytest.approx(abs(z), rel=1e-15)
    assert 0.0 <= losses[0, 1 - wrong] < 1e-17
    J = kernel.network_cost(Z, Y, [np.ones((1, 1))], 0.5)
    assert np.isfinite(J)
    # while the course's cross-entropy from σ(z) is inf where σ(z) rounds to exactly 1 or 0
    # (z ≥ 37: 1 − e^{−z} rounds to 1; z ≤ −746: e^{−z} overflows)
    with np.errstate(over="ignore", divide="ignore"):
        AL = kernel.sigmoid(Z.copy())
        course = kernel.output_cross_entropy(AL, Y)
    assert course == np.inf if (z >= 37 or z <= -746) else course == pytest.approx(abs(z) / 2)


@settings(max_examples=40, deadline=None)
@given(net=nets)
def test_real_and_complex_paths_agree_on_real_input(net: tuple[list[int], int, int, float, float]
                                                    ) -> None:
    dims, m, seed, kp, lambd = net
    Ws, bs, X, Y, masks = _net(dims, m, seed, kp)
    kps = [kp] * (len(dims) - 2)
    real = kernel.forward(Ws, bs, X, masks, kps)
    Wc = [W.astype(np.complex128) for W in Ws]
    bc = [b.astype(np.complex128) for b in bs]
    cplx = kernel.forward(Wc, bc, X.astype(np.complex128), masks, kps)
    for Zr, Zc in zip(real.Z, cplx.Z):
        assert np.all(Zc.imag == 0)
        np.testing.assert_allclose(Zc.real, Zr, rtol=1e-13, atol=1e-14)
    Jr = float(kernel.network_cost(real.ZL, Y, Ws, lambd))
    Jc = complex(kernel.network_cost(cplx.ZL, Y, Wc, lambd))
    assert Jc.imag == 0.0
    assert Jc.real == pytest.approx(Jr, rel=1e-13)
    # same formula on the same real numbers (complex exp/log1p may differ in the last bit)
    # (and ℓ = max(z, 0) − z·y + … cancels: the error scales with |z|, not with ℓ)
    diff = np.abs(kernel.logit_losses(real.ZL.astype(np.complex128), Y).real
                  - kernel.logit_losses(real.ZL, Y))
    assert np.all(diff <= 8 * EPS * (1 + np.abs(real.ZL))), diff


def test_complex_relu_follows_the_real_part() -> None:
    Z = np.array([[1 + 5j, -1 + 5j, 0 + 5j, 2 - 3j]])
    assert np.array_equal(kernel.relu(Z), np.array([[1 + 5j, 0, 0, 2 - 3j]]))


def test_buffered_steps_equal_the_plain_ones_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    W, A, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 7)), rng.standard_normal((4, 1))
    D = rng.random((4, 7)) < 0.6
    plain = kernel.dropout(kernel.relu(kernel.affine(W, A, b)), D, 0.6)
    buf = np.empty((4, 7))
    kernel.affine(W, A, b, out=buf)
    kernel.relu(buf, out=buf)
    kernel.dropout(buf, D, 0.6, out=buf)
    assert np.array_equal(plain, buf)
    Z = rng.standard_normal((1, 7)) * 5
    s = Z.copy()
    assert np.array_equal(kernel.sigmoid(Z), kernel.sigmoid(s, out=s))
    Y = (rng.random((1, 7)) < 0.5).astype(float)
    AL = kernel.sigmoid(Z)
    assert kernel.output_cross_entropy(AL, Y) == kernel.output_cross_entropy(AL, Y, out=np.empty((1, 7)))


@settings(max_examples=200, deadline=None)
@given(m=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_output_cross_entropy_is_the_courses_nansum_formula_bit_for_bit(m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    A = rng.choice([0.0, 1.0, 0.5, 1e-300, 1 - 1e-16], size=(1, m)) * (rng.random((1, m)) < 0.5) \
        + rng.random((1, m)) * (rng.random((1, m)) < 0.5)
    A = np.clip(A, 0.0, 1.0)
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        course = float(1.0 / m * np.nansum(np.multiply(-np.log(A), Y)
                                          + np.multiply(-np.log(1 - A), 1 - Y)))
        ours = kernel.output_cross_entropy(A, Y)
    assert ours == course or (np.isnan(ours) and np.isnan(course)), (A, Y, ours, course)


def test_l2_sum_is_analytic_for_complex_weights() -> None:
    # d/dW Σ W² = 2W: the complex step of l2_sum recovers it (|W|² would give 0).
    W = np.array([[0.5, -2.0], [3.0, 0.25]])
    h = 1e-20
    for pos in np.ndindex(W.shape):
        Wc = W.astype(np.complex128)
        Wc[pos] += 1j * h
        assert complex(kernel.l2_sum([Wc])).imag / h == pytest.approx(2 * W[pos], rel=1e-15)
    assert kernel.l2_cost([W], 0.7, 4) == (1.0 / 4) * (0.7 / 2) * float(np.sum(W * W))
