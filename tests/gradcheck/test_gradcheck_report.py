"""refnn.gradcheck.report: the relative difference, the course's reading, culprits and worst coordinates."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from refnn.gradcheck import (
    COURSE_CODE_THRESHOLD,
    LECTURE_GREAT,
    LECTURE_WORRY,
    ParamLayout,
    check_gradient,
    reading,
    relative_difference,
)
from refnn.gradcheck.report import GradCheckReport, build_report

vectors = hnp.arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e3, 1e3))


@settings(max_examples=100, deadline=None)
@given(g=vectors, data=st.data())
def test_relative_difference_is_the_courses_formula_bit_for_bit(g: np.ndarray,
                                                                data: st.DataObject) -> None:
    a = data.draw(hnp.arrays(np.float64, g.shape, elements=st.floats(-1e3, 1e3)))
    num = np.linalg.norm(g.reshape(-1, 1) - a.reshape(-1, 1))
    den = np.linalg.norm(g.reshape(-1, 1)) + np.linalg.norm(a.reshape(-1, 1))
    expected = 0.0 if den == 0 else float(num / den)
    assert relative_difference(g.reshape(-1, 1), a.reshape(-1, 1)) == expected
    assert relative_difference(g, a) == expected
    # ≤ 1 by the triangle inequality; the three rounded norms can exceed it by a few ulps
    assert 0.0 <= expected <= 1.0 + 4 * np.finfo(np.float64).eps


def test_relative_difference_special_cases() -> None:
    assert relative_difference(np.zeros(4), np.zeros(4)) == 0.0
    assert relative_difference(np.zeros(4), np.ones(4)) == 1.0
    assert relative_difference(np.ones(3), -np.ones(3)) == 1.0
    assert relative_difference(3, 3.0) == 0.0
    assert relative_difference(np.ones((3, 1)), np.ones(3)) == 0.0  # flat order
    with pytest.raises(ValueError, match="argument 'gradapprox' must be 3 entries like grad"):
        relative_difference(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="argument 'grad' must be finite"):
        relative_difference(np.array([np.nan]), np.ones(1))
    with pytest.raises(TypeError, match="argument 'grad'"):
        relative_difference("1", np.ones(1))  # type: ignore[arg-type]


def test_the_courses_reading_and_both_thresholds() -> None:
    assert (LECTURE_GREAT, COURSE_CODE_THRESHOLD, LECTURE_WORRY) == (1e-7, 2e-7, 1e-3)
    assert reading(1e-7).startswith("great")
    assert reading(1.19e-7).startswith("passes the course's code")
    assert reading(1e-5).startswith("suspicious")
    assert reading(1e-3).startswith("worry")


def _report(analytic: np.ndarray, numeric: np.ndarray, kinks: list[int] | None = None,
            threshold: float = COURSE_CODE_THRESHOLD) -> GradCheckReport:
    lay = ParamLayout.course([2, 2, 1])
    return build_report(analytic, numeric, names=lay.names,
                        blocks=[(b.key, b.start, b.stop) for b in lay.blocks], method="two-sided",
                        epsilon=1e-7, threshold=threshold, worst=3,
                        kinks=None if kinks is None else np.array(kinks, dtype=np.int64))


def test_culprits_are_the_blocks_without_whose_errors_the_check_passes() -> None:
    g = np.linspace(1.0, 2.0, 9)
    noisy = g * (1 + 3e-7 * np.array([1, -1, 1, -1, 1, -1, 1, -1, 1]))  # every block a bit noisy
    assert _report(g, noisy).passed and _report(g, noisy).culprits == ()
    bad = noisy.copy()
    bad[4:6] *= 2  # b1 (4:6) doubled
    report = _report(g, bad)
    assert not report.passed and report.culprits == ("b1",)
    assert [c.name for c in report.worst[:2]] == ["b1[1,0]", "b1[0,0]"]
    worse = bad.copy()
    worse[6] *= 1.5  # and W2[0,0]
    assert _report(g, worse).culprits == ("b1", "W2")


def test_kink_coordinates_are_reported_but_left_out_of_the_verdict() -> None:
    g = np.linspace(1.0, 2.0, 9)
    numeric = g.copy()
    numeric[2] = 0.5 * g[2]  # a kink: a mix of two one-sided slopes
    report = _report(g, numeric, kinks=[2])
    assert report.difference > 1e-2 and report.difference_without_kinks == 0.0
    assert report.passed and report.culprits == ()
    assert report.kink_names == ("W1[1,0]",) and report.worst[0].kink
    assert "crosses a ReLU kink" in str(report) and "the verdict is on this one" in str(report)
    # without kink information the same numbers fail
    assert not _report(g, numeric).passed


def test_report_arrays_are_private_copies() -> None:
    g, n = np.ones(9), np.ones(9)
    report = _report(g, n)
    g[0] = 5.0
    assert report.analytic[0] == 1.0


def test_check_gradient_threshold_and_worst_arguments() -> None:
    J = lambda t: float(np.sum(t ** 2))  # noqa: E731
    theta = np.arange(5.0)
    report = check_gradient(J, theta, 2 * theta + 1e-6, threshold=1e-3, worst=0)
    assert report.passed and report.worst == ()
    with pytest.raises(ValueError, match="argument 'worst'"):
        check_gradient(J, theta, 2 * theta, worst=-1)
    with pytest.raises(ValueError, match="argument 'layout' must be a layout of 5 parameters"):
        check_gradient(J, theta, 2 * theta, layout=ParamLayout.course([2, 1]))


def test_culprits_stop_exactly_when_the_rest_would_pass() -> None:
    g = np.ones(9)
    numeric = g.copy()
    numeric[4:6] = 2.0  # b1: a gross error
    denominator = np.linalg.norm(g) + np.linalg.norm(numeric)
    numeric[6] += 5 * COURSE_CODE_THRESHOLD * denominator  # W2[0,0]: alone, 5× the pass mark
    assert _report(g, numeric).culprits == ("b1", "W2")
    numeric[6] = 1.0 + 0.5 * COURSE_CODE_THRESHOLD * denominator  # alone, half the pass mark
    assert _report(g, numeric).culprits == ("b1",)
