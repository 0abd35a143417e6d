"""refnn.gradcheck's directional check: detection of the planted bugs, no false alarms on correct
ReLU networks (fixed seeds), localization by the full check.

The claims in refnn/gradcheck/directional.py's docstring are measured here: over random networks
(1–3 hidden layers of 1–19 units, 1–119 examples, He/Xavier/Glorot, biases sometimes non-zero,
λ ∈ {0, 0.1, 1}, keep_prob ∈ {1, 0.8, 0.5} with fixed masks) —

* correct gradients: 0 alarms and 0 inconclusive checks (3000 seeds when measured; 300 here);
* ``dW2 × 2`` and ``db1 × 4``: every network on which the bug changes the gradient is flagged
  (the others — ``dW2 = 0`` or ``db1 = 0``, e.g. a dead 1-unit layer — cannot be).
"""

from __future__ import annotations

import numpy as np
import pytest

from refnn import network
from refnn.gradcheck import ParamLayout, check_network_fast, directional_check
from refnn.init import initialize
from refnn.types import FloatArray

Case = dict[str, object]


def random_case(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    L = int(rng.integers(2, 5))
    dims = [int(rng.integers(1, 12))] + [int(rng.integers(1, 20)) for _ in range(L - 1)] + [1]
    m = int(rng.integers(1, 120))
    p = initialize(dims, str(rng.choice(["he", "xavier", "glorot"])), rng=rng)
    if rng.random() < 0.5:
        p = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in p.items()}
    X = rng.standard_normal((dims[0], m)) * float(rng.choice([0.1, 1.0, 3.0]))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    kp = float(rng.choice([1.0, 1.0, 0.8, 0.5]))
    masks = [rng.random((dims[l], m)) < kp for l in range(1, L)] if kp < 1 else None
    return {"params": p, "X": X, "Y": Y, "lambd": float(rng.choice([0.0, 0.0, 0.1, 1.0])),
            "keep_prob": kp, "masks": masks}


def gradients(case: Case) -> dict[str, FloatArray]:
    _, cache = network.forward(case["params"], case["X"], keep_prob=case["keep_prob"],  # type: ignore[arg-type]
                               masks=case["masks"])  # type: ignore[arg-type]
    return network.backward(case["params"], cache, case["Y"], lambd=case["lambd"])  # type: ignore[arg-type]


SEEDS = range(300)


def test_no_false_alarms_on_correct_relu_networks() -> None:
    alarms, inconclusive = [], 0
    for seed in SEEDS:
        report = check_network_fast(rng=np.random.default_rng(10_000 + seed), localize=False,
                                    **random_case(seed))  # type: ignore[arg-type]
        inconclusive += not report.directional.conclusive
        if not report.passed:
            alarms.append(seed)
    assert alarms == [] and inconclusive == 0


@pytest.mark.parametrize(("key", "factor"), [("dW2", 2.0), ("db1", 4.0)], ids=["dW2x2", "db1x4"])
def test_the_planted_bugs_are_always_flagged(key: str, factor: float) -> None:
    missed, flagged = [], 0
    for seed in SEEDS:
        case = random_case(seed)
        grads = gradients(case)
        if key not in grads:
            continue
        true = ParamLayout.from_params(case["params"]).grads_to_vector(grads)  # type: ignore[arg-type]
        grads[key] = grads[key] * factor
        if not np.any(grads[key]):  # the bug does not change this gradient: nothing to find
            continue
        report = check_network_fast(rng=np.random.default_rng(20_000 + seed), grads=grads,
                                    localize=False, **case)  # type: ignore[arg-type]
        assert true.size
        if report.passed:
            missed.append(seed)
        else:
            flagged += 1
    assert missed == [] and flagged > 200


def test_a_failure_is_localized_by_the_full_check() -> None:
    case = random_case(5)
    case["params"] = initialize([6, 9, 7, 1], "he", rng=np.random.default_rng(0))
    case["X"] = np.random.default_rng(1).standard_normal((6, 40))
    case["Y"] = (np.random.default_rng(2).random((1, 40)) < 0.5).astype(float)
    case["masks"], case["keep_prob"] = None, 1.0
    grads = gradients(case)
    grads["dW2"] = grads["dW2"] * 2
    report = check_network_fast(rng=np.random.default_rng(0), grads=grads, **case)  # type: ignore[arg-type]
    assert not report.passed and report.full is not None
    assert report.culprits == ("W2",)
    assert "localized by the full check" in str(report) and "<-- fails" in str(report)
    quiet = check_network_fast(rng=np.random.default_rng(0), grads=grads, localize=False, **case)  # type: ignore[arg-type]
    assert not quiet.passed and quiet.full is None and quiet.culprits == ()


def test_zero_initialization_is_inconclusive_and_falls_back_to_the_full_check() -> None:
    p = initialize([3, 4, 2, 1], "zeros", rng=np.random.default_rng(0))
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((3, 10)), (rng.random((1, 10)) < 0.5).astype(float)
    report = check_network_fast(p, X, Y, rng=np.random.default_rng(2))
    assert not report.directional.conclusive
    assert all(d.kink for d in report.directional.directions)
    assert report.full is not None and report.passed == report.full.passed
    assert "INCONCLUSIVE" in str(report)


def test_the_step_follows_the_scale_of_theta() -> None:
    case = random_case(3)
    small = check_network_fast(rng=np.random.default_rng(0), **case)  # type: ignore[arg-type]
    big = {**case, "params": {k: 100.0 * v for k, v in case["params"].items()}}  # type: ignore[attr-defined]
    large = check_network_fast(rng=np.random.default_rng(0), **big)  # type: ignore[arg-type]
    theta_norm = np.linalg.norm(ParamLayout.from_params(big["params"]).to_vector(big["params"]))  # type: ignore[arg-type]
    assert large.directional.directions[0].epsilon == pytest.approx(1e-7 * theta_norm)
    assert small.passed and large.passed


def test_directional_check_of_any_cost() -> None:
    A = np.random.default_rng(0).standard_normal((50, 50))
    H = A @ A.T

    def J(t: FloatArray) -> float:
        return float(0.5 * t @ H @ t + np.sum(np.cos(t)))

    theta = np.random.default_rng(1).standard_normal(50)
    g = H @ theta - np.sin(theta)
    before = theta.copy()
    ok = directional_check(J, theta, g, rng=np.random.default_rng(2), n_directions=3)
    assert ok.passed and len(ok.directions) == 3 and all(d.kink is None for d in ok.directions)
    assert np.array_equal(theta, before)
    bad = g.copy()
    bad[7] *= 1.01  # a 1% error in one of 50 coordinates
    assert not directional_check(J, theta, bad, rng=np.random.default_rng(2)).passed


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"rng": None}, TypeError, "argument 'rng'"),
        ({"n_directions": 0}, ValueError, "argument 'n_directions'"),
        ({"step": 0.0}, ValueError, "argument 'step'"),
        ({"tolerance": -1e-5}, ValueError, "argument 'tolerance'"),
        ({"localize": 1}, TypeError, "argument 'localize'"),
    ],
    ids=["no-rng", "no-directions", "zero-step", "negative-tolerance", "localize-not-bool"],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], error: type[Exception],
                                   words: str) -> None:
    case = random_case(0)
    args = {"rng": np.random.default_rng(0), **case, **kwargs}
    with pytest.raises(error) as info:
        check_network_fast(**args)  # type: ignore[arg-type]
    assert words in str(info.value) and "check_network_fast" in str(info.value)
