"""Inverted dropout (docs/SPEC.md § Dropout): DROP-1 … DROP-7.

The forward pass draws its masks itself (the course's reseeds with ``np.random.seed(1)`` inside),
so the exact properties read the masks back from the returned cache; the statistical ones take all
their draws from one call per keep_prob on wide layers. The backward pass is given caches built by
the suite, with masks the suite chooses.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from refnn.conformance import oracle, rounding
from refnn.conformance import significance as sig
from refnn.conformance.judge import check, check_close, check_statistic
from refnn.conformance.plugin import Subject
from refnn.conformance.protocol import DROPOUT_CACHE, forward_spec, grads_spec

from .strategies import Net, keep_probs, masks_for, nets

FORWARD = "forward_propagation_with_dropout"
BACKWARD = "backward_propagation_with_dropout"


def _field(cache: tuple[np.ndarray, ...], name: str) -> np.ndarray:
    return cache[DROPOUT_CACHE.index(name)]


def dropout_forward(target: Subject, net: Net, keep_prob: float
                    ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    fn = target.require(FORWARD)
    return fn.call(net.X, net.params, keep_prob,  # type: ignore[no-any-return]
                   expect=forward_spec(net.dims, net.m, dropout=True))


@pytest.mark.rule("DROP-6")
@given(net=nets())
def test_forward_with_keep_prob_1_is_the_plain_forward(target: Subject, net: Net) -> None:
    """DROP-6: with keep_prob = 1 nothing is dropped or scaled: the forward pass with dropout is the
    plain forward pass."""
    A3, cache = dropout_forward(target, net, 1.0)
    want_A3, _, plain = oracle.forward(net.params, net.X)
    # tolerance: the rounding of two correct forward passes, entrywise (rounding.forward_tolerance)
    tol = rounding.forward_tolerance(net.params, net.X)
    check_close(A3, want_A3, f"{FORWARD}(keep_prob=1) A3 vs the plain forward pass", rtol=0,
                atol=tol["A3"])
    for l in (1, 2):
        check_close(_field(cache, f"D{l}"), np.ones_like(plain.layers[l - 1].Z),
                    f"{FORWARD}(keep_prob=1) mask D{l}: every unit kept", rtol=0, atol=0)
        check_close(_field(cache, f"A{l}"), plain.layers[l - 1].A,
                    f"{FORWARD}(keep_prob=1) A{l} vs relu(Z{l})", rtol=0, atol=tol[f"A{l}"])


@pytest.mark.rule("DROP-1")
@given(net=nets(), keep_prob=keep_probs())
def test_stored_activations_are_relu_times_mask_over_keep_prob(target: Subject, net: Net,
                                                               keep_prob: float) -> None:
    """DROP-1: masks are 0/1 and the cache stores A[l] = relu(Z[l]) · D[l] / keep_prob, with
    Z[l] = W[l] A[l−1] + b[l] computed from the dropped-out A[l−1] (inverted dropout)."""
    A3, cache = dropout_forward(target, net, keep_prob)
    masks = [_field(cache, "D1") != 0, _field(cache, "D2") != 0]
    want_A3, want_cache, _ = oracle.forward(net.params, net.X, keep_prob=keep_prob, masks=masks)
    # tolerance: the rounding of two correct forward passes with these masks, entrywise
    tol = rounding.forward_tolerance(net.params, net.X, keep_prob=keep_prob, masks=masks)
    for name in ("Z1", "A1", "Z2", "A2", "Z3", "A3"):
        what = (f"{FORWARD}(keep_prob={keep_prob}) cache entry {name}, given the cache's own masks "
                f"D1 = {masks[0].astype(int).tolist()}, D2 = {masks[1].astype(int).tolist()}")
        check_close(_field(cache, name), _field(want_cache, name), what, rtol=0, atol=tol[name])
    check_close(A3, want_A3, f"{FORWARD}(keep_prob={keep_prob}) A3", rtol=0, atol=tol["A3"])


@pytest.mark.rule("DROP-3")
@given(net=nets(m=(2, 6)), keep_prob=keep_probs(0.05, 0.9))
def test_output_layer_is_never_dropped(target: Subject, net: Net, keep_prob: float) -> None:
    """DROP-3: the output layer is never dropped: A3 = σ(W3 A2 + b3) with the cache's A2, unmasked
    and unscaled."""
    A3, cache = dropout_forward(target, net, keep_prob)
    A2 = _field(cache, "A2")
    Z3 = net.params["W3"] @ A2 + net.params["b3"]
    want = 1 / (1 + np.exp(-Z3))
    # tolerance: rounding of σ(W3·A2 + b3) from the same A2 (exact input), twice
    tol = rounding.forward_tolerance({"W1": net.params["W3"], "b1": net.params["b3"]}, A2)["A1"]
    check_close(A3, want, f"{FORWARD}(keep_prob={keep_prob}) A3 vs σ(W3·A2 + b3) from the cache's "
                "A2 (no mask, no 1/keep_prob on the output layer)", rtol=0, atol=tol)
    check_close(_field(cache, "A3"), A3, f"{FORWARD}: the cache's A3 vs the returned A3",
                rtol=0, atol=0)


# ------------------------------------------------------------------------------- statistics


def wide_net() -> Net:
    """W1 = 0, b1 = 1, W2 = 0, b2 = 1: every relu(Z[l]) is exactly 1, so A[l] = D[l] / keep_prob."""
    n, m = sig.DROPOUT_UNITS, sig.DROPOUT_EXAMPLES
    params = {
        "W1": np.zeros((n, 3)), "b1": np.ones((n, 1)),
        "W2": np.zeros((n, n)), "b2": np.ones((n, 1)),
        "W3": np.full((1, n), 0.01), "b3": np.zeros((1, 1)),
    }
    return Net(params, np.ones((3, m)), np.zeros((1, m)))


def wide_draw(target: Subject, keep_prob: float) -> tuple[np.ndarray, ...]:
    """``(D1, A1, D2, A2)`` from one forward call on :func:`wide_net`."""
    _, cache = dropout_forward(target, wide_net(), keep_prob)
    return tuple(_field(cache, k) for k in ("D1", "A1", "D2", "A2"))


@pytest.mark.rule("DROP-2")
def test_each_unit_is_kept_with_probability_keep_prob(target: Subject) -> None:
    """DROP-2: D[l] = (U < keep_prob) keeps each unit with probability keep_prob — for several
    keep_prob values, since at 0.5 an inverted comparison keeps the right fraction too."""
    tests = 2 * len(sig.KEEP_PROBS)
    alpha = sig.ALPHA / tests
    for kp in sig.KEEP_PROBS:
        D1, _, D2, _ = wide_draw(target, kp)
        for l, D in ((1, D1), (2, D2)):
            power = min(sig.binomial_power(D.size, kp, kp + d, alpha)
                        for d in (-sig.KEEP_RATE_DELTA, sig.KEEP_RATE_DELTA))
            check_statistic(sig.binomial_test(
                int(np.count_nonzero(D)), D.size, kp, alpha,
                f"{FORWARD}(keep_prob={kp}): the fraction of units kept in D{l} {D.shape}",
                f"a keep rate off by {sig.KEEP_RATE_DELTA} (power {power:.6f})"))


@pytest.mark.rule("DROP-4")
def test_inverted_dropout_preserves_the_expected_activation(target: Subject) -> None:
    """DROP-4: dividing by keep_prob keeps the expectation: E[A[l]] = relu(Z[l]) (checked where
    relu(Z[l]) = 1 everywhere, for several keep_prob values)."""
    tests = 2 * len(sig.KEEP_PROBS)
    alpha = sig.ALPHA / tests
    for kp in sig.KEEP_PROBS:
        _, A1, _, A2 = wide_draw(target, kp)
        for l, A in ((1, A1), (2, A2)):
            power = min(sig.binomial_power(A.size, kp, kp + d, alpha)
                        for d in (-sig.KEEP_RATE_DELTA, sig.KEEP_RATE_DELTA))
            check_statistic(sig.mean_activation_test(
                A, kp, alpha,
                f"{FORWARD}(keep_prob={kp}): the mean of the stored A{l} {A.shape} where every "
                f"relu(Z{l}) = 1",
                f"a mean off by {sig.KEEP_RATE_DELTA}/keep_prob (power {power:.6f}); a missing "
                "or doubled 1/keep_prob is further off"))


@pytest.mark.rule("DROP-5")
def test_masks_are_drawn_independently_per_example_unit_and_layer(target: Subject) -> None:
    """DROP-5: every unit of every example of every layer gets its own draw: no mask is shared by
    the examples (columns), by the units (rows), or by the two hidden layers.

    Judged at the *observed* keep rates (Fisher's exact test on the 2×2 table of paired entries),
    so a mask with a wrong keep rate (e.g. drawn with randn) breaks DROP-2 only, not this rule."""
    alpha = sig.ALPHA / (3 * len(sig.KEEP_PROBS))
    for kp in sig.KEEP_PROBS:
        D1, _, D2, _ = wide_draw(target, kp)
        pairs = [
            ("examples 2j and 2j+1 (columns) of D1", D1[:, 0::2], D1[:, 1::2]),
            ("units 2i and 2i+1 (rows) of D1", D1[0::2, :], D1[1::2, :]),
            ("D1 and D2, entry by entry", D1, D2),
        ]
        for what, a, b in pairs:
            power = sig.independence_power(a.size, int(np.count_nonzero(a)), alpha)
            check_statistic(sig.independence_test(
                a, b, alpha, f"{FORWARD}(keep_prob={kp}): agreement of the masks of {what}",
                f"one mask shared by all of them (power {power:.6f})"))


# --------------------------------------------------------------------------------- backward


def dropout_cache(net: Net, masks: list[np.ndarray], keep_prob: float
                  ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    A3, cache, _ = oracle.forward(net.params, net.X, keep_prob=keep_prob,
                                  masks=[m != 0 for m in masks])
    return A3, cache


@st.composite
def dropout_cases(draw: st.DrawFn) -> tuple[Net, list[np.ndarray], float]:
    net = draw(nets())
    masks = draw(masks_for(net))
    kp = draw(keep_probs(0.2, 0.95))
    return net, masks, kp


@pytest.mark.rule("DROP-6")
@given(net=nets())
def test_backward_with_keep_prob_1_is_the_plain_backward(target: Subject, net: Net) -> None:
    """DROP-6: with keep_prob = 1 (every mask all ones) the backward pass with dropout is the plain
    backward pass."""
    fn = target.require(BACKWARD)
    assume(oracle.kink_margin(net.params, net.X) > 1e-9)  # relu'(0) is a convention
    masks = [np.ones((net.dims[1], net.m)), np.ones((net.dims[2], net.m))]
    _, cache = dropout_cache(net, masks, 1.0)
    g = fn.call(net.X, net.Y, cache, 1.0, expect=grads_spec(net.dims))
    want = oracle.gradients(net.params, net.X, net.Y)
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y)  # two correct backward passes
    for key, value in want.items():
        check_close(g[key], value, f"{BACKWARD}(keep_prob=1) {key} vs the plain backward pass",
                    rtol=0, atol=tol[key])


@pytest.mark.rule("DROP-7")
@given(case=dropout_cases())
def test_dropout_backward_is_the_gradient_with_the_masks_held_fixed(
    target: Subject, case: tuple[Net, list[np.ndarray], float]
) -> None:
    """DROP-7: backward_propagation_with_dropout is the gradient of the cost of the dropped-out
    network with its masks held fixed (dA[l] gets the same D[l] and 1/keep_prob): it equals refnn's
    analytic gradient (refnn.network.backward) with the same masks.

    Tolerance: the rounding of two correct backward passes with these masks, entrywise, from the
    running error bound of rounding.gradient_tolerance (≈ 1e-15 … 1e-13 here). No finite
    difference: its ~1e-6 truncation/cancellation error would need a loose rtol (and the old
    log(1 − σ(z)) cost lost 1e-11 at a saturated output, a false alarm in 1 run of 3).
    """
    net, masks, kp = case
    fn = target.require(BACKWARD)
    bools = [m != 0 for m in masks]
    assume(oracle.kink_margin(net.params, net.X, keep_prob=kp, masks=bools) > 1e-9)
    _, cache = dropout_cache(net, masks, kp)
    g = fn.call(net.X, net.Y, cache, kp, expect=grads_spec(net.dims))
    want = oracle.gradients(net.params, net.X, net.Y, keep_prob=kp, masks=bools)
    tol = rounding.gradient_tolerance(net.params, net.X, net.Y, keep_prob=kp, masks=bools)
    for key, value in want.items():
        check_close(g[key], value, f"{BACKWARD}(keep_prob={kp}) {key} vs the gradient with the "
                    f"masks D1 = {masks[0].astype(int).tolist()}, "
                    f"D2 = {masks[1].astype(int).tolist()} held fixed", rtol=0, atol=tol[key])


def _returned_dA(grads: dict[str, object], l: int) -> np.ndarray | None:
    for key in (f"dA{l}", f"da{l}"):
        value = grads.get(key)
        if isinstance(value, np.ndarray):
            return value
    return None


@pytest.mark.rule("DROP-7")
@given(case=dropout_cases(), data=st.data())
def test_dropout_backward_routes_no_gradient_through_dropped_units(
    target: Subject, case: tuple[Net, list[np.ndarray], float], data: st.DataObject
) -> None:
    """DROP-7: no gradient flows through a dropped unit: dA[l] (where the target returns it, as the
    course does) is 0 wherever D[l] = 0, and a unit dropped for every example gets zero gradient on
    its incoming weights, its bias and its outgoing weights."""
    net, masks, kp = case
    fn = target.require(BACKWARD)
    layer = data.draw(st.sampled_from([1, 2]), label="dropped layer")
    unit = data.draw(st.integers(0, net.dims[layer] - 1), label="dropped unit")
    masks = [m.copy() for m in masks]
    masks[layer - 1][unit, :] = 0
    _, cache = dropout_cache(net, masks, kp)
    g = fn.call(net.X, net.Y, cache, kp, expect=grads_spec(net.dims, net.m))
    for key, part in ((f"dW{layer}", g[f"dW{layer}"][unit, :]), (f"db{layer}", g[f"db{layer}"][unit]),
                      (f"dW{layer + 1}", g[f"dW{layer + 1}"][:, unit])):
        check(bool(np.all(part == 0)),
              lambda: f"{BACKWARD}(keep_prob={kp}): unit {unit} of layer {layer} is dropped for every "
                      f"example (D{layer}[{unit}, :] = 0), yet {key} routes gradient through it: "
                      f"{part.tolist()} (expected zeros)")
    for l in (1, 2):
        dA = _returned_dA(g, l)
        if dA is None:
            continue
        leak = dA[masks[l - 1] == 0]
        check(bool(np.all(leak == 0)),
              lambda: f"{BACKWARD}(keep_prob={kp}) returned dA{l} = {np.round(dA, 6).tolist()}, "
                      f"non-zero where D{l} = {masks[l - 1].astype(int).tolist()} is 0: gradient "
                      "flows into dropped units (dA[l] must be multiplied by D[l])")
