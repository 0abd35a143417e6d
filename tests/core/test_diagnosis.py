"""refnn.diagnosis: bias/variance and the basic recipe (lecture: "Bias and Variance",
"Basic Recipe for Machine Learning")."""

from __future__ import annotations

import pytest

import refnn.diagnosis
from refnn.diagnosis import Diagnosis, Remedy, basic_recipe, diagnose_bias_variance


@pytest.mark.parametrize(
    ("train", "dev", "bayes", "want"),
    [
        (0.01, 0.11, 0.0, Diagnosis.HIGH_VARIANCE),
        (0.15, 0.16, 0.0, Diagnosis.HIGH_BIAS),
        (0.15, 0.30, 0.0, Diagnosis.BOTH),
        (0.005, 0.01, 0.0, Diagnosis.NEITHER),
        (0.15, 0.16, 0.15, Diagnosis.NEITHER),
        (0.15, 0.30, 0.15, Diagnosis.HIGH_VARIANCE),
    ],
    ids=["1%/11%", "15%/16%", "15%/30%", "0.5%/1%", "15%/16% Bayes 15%", "15%/30% Bayes 15%"],
)
def test_golden_table_of_the_notes(train: float, dev: float, bayes: float, want: Diagnosis) -> None:
    r = diagnose_bias_variance(train, dev, bayes_error=bayes)
    assert r.diagnosis is want
    assert (r.high_bias, r.high_variance) == (want.high_bias, want.high_variance)
    assert r.avoidable_bias == pytest.approx(train - bayes)
    assert r.variance == pytest.approx(dev - train)


def test_thresholds_are_parameters_with_strict_comparison() -> None:
    assert diagnose_bias_variance(0.03, 0.05).diagnosis is Diagnosis.HIGH_BIAS  # gap 0.02: not >
    assert diagnose_bias_variance(0.01, 0.11, variance_threshold=0.2).diagnosis is Diagnosis.NEITHER
    assert diagnose_bias_variance(0.005, 0.01, bias_threshold=0.0,
                                  variance_threshold=0.0).diagnosis is Diagnosis.BOTH


def test_recipe_order() -> None:
    both = basic_recipe(Diagnosis.BOTH)
    assert both == (Remedy.BIGGER_NETWORK, Remedy.TRAIN_LONGER, Remedy.ARCHITECTURE_SEARCH,
                    Remedy.MORE_DATA, Remedy.REGULARIZATION)
    assert basic_recipe(Diagnosis.HIGH_BIAS) == both[:3]
    assert basic_recipe(Diagnosis.NEITHER) == ()
    assert diagnose_bias_variance(0.01, 0.11).recipe == basic_recipe(Diagnosis.HIGH_VARIANCE)


@pytest.mark.parametrize(("hb", "hv"), [(False, False), (True, False), (False, True), (True, True)])
def test_diagnosis_of_flags(hb: bool, hv: bool) -> None:
    d = Diagnosis.of(hb, hv)
    assert (d.high_bias, d.high_variance) == (hb, hv)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((11, 0.2), {}, ValueError, ["'train_error'", "11% is 0.11", "11"]),
        ((0.1, -0.01), {}, ValueError, ["'dev_error'", "in [0, 1]"]),
        ((0.1, 0.2), {"bayes_error": 1.5}, ValueError, ["'bayes_error'"]),
        (("1%", 0.2), {}, TypeError, ["'train_error'", "real number"]),
        ((True, 0.2), {}, TypeError, ["'train_error'"]),
        ((0.1, float("nan")), {}, ValueError, ["'dev_error'"]),
        ((0.1, 0.2), {"bias_threshold": -0.1}, ValueError, ["'bias_threshold'", "in [0, 1]"]),
        ((0.1, 0.2), {"variance_threshold": 2.0}, ValueError, ["'variance_threshold'"]),
    ],
    ids=["train=11 (percent)", "dev=-0.01", "bayes=1.5", "train='1%'", "train=True", "dev=nan",
         "bias_threshold=-0.1", "variance_threshold=2"],
)
def test_bad_input(args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception],
                   words: list[str]) -> None:
    with pytest.raises(error) as info:
        diagnose_bias_variance(*args, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("diagnose_bias_variance: argument ")
    for w in words:
        assert w in message, (w, message)


def test_recipe_refuses_non_diagnosis() -> None:
    with pytest.raises(TypeError, match="basic_recipe: argument 'diagnosis' must be a Diagnosis"):
        basic_recipe("HIGH_BIAS")  # type: ignore[arg-type]
