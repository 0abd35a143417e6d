"""The verdict of a gradient check: one number, the course's reading of it, and where it goes wrong.

The number (the course's)::

    difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂)        (0 when g = g̃ = 0)

with ``g`` the analytic gradient (backprop) and ``g̃`` the numerical one. The course's reading,
for ``ε = 1e-7``: about ``1e-7`` or less is great; around ``1e-5`` look again; ``1e-3`` or more,
worry — there is very likely a bug. The lecture and the notebook text say "less than ``1e-7``";
the notebook's *code* passes ``difference <= 2e-7`` (its own correct backprop scores
``1.1890913024229996e-07``). refnn reports both: :data:`LECTURE_GREAT` ``= 1e-7`` and the pass mark
:data:`COURSE_CODE_THRESHOLD` ``= 2e-7`` (the default ``threshold``), and :data:`LECTURE_WORRY`
``= 1e-3``.

A :class:`GradCheckReport` adds the same difference per parameter block (``W1``, ``b1``, …), the
``k`` coordinates with the largest ``|g_k − g̃_k|`` (name, analytic, numeric, relative error
``|g_k − g̃_k| / (|g_k| + |g̃_k|)``), the culprit blocks (the fewest blocks without whose errors
the check would pass), and the coordinates whose ``±ε`` evaluations cross a ReLU kink (a hidden
``Z`` entry changes sign): ``J`` has no derivative there, so the verdict leaves them out while
:attr:`GradCheckReport.difference` — the course's number — keeps them.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from refnn import validation
from refnn.gradcheck.precision import refuse_low_precision
from refnn.types import BoolArray, FloatArray, IntArray

LECTURE_GREAT = 1e-7
"""The lecture's "great, the gradient is correct" mark (``difference ≲ 1e-7``)."""

COURSE_CODE_THRESHOLD = 2e-7
"""The notebook code's pass mark (``difference <= 2e-7``); the default ``threshold``."""

LECTURE_WORRY = 1e-3
"""The lecture's "worry, there is probably a bug" mark (``difference ≳ 1e-3``)."""


def _as_vector(func: str, name: str, value: object) -> FloatArray:
    refuse_low_precision(func, name, value)
    if isinstance(value, (numbers.Real, np.generic)) and not isinstance(value, bool):
        value = np.asarray(value, dtype=np.float64)
    if not isinstance(value, np.ndarray):
        raise validation.fail_type(func, name, "a float64 array or a real number", value)
    return validation.float_array(func, name, value, ndim=value.ndim)


def relative_difference(grad: FloatArray | float, gradapprox: FloatArray | float) -> float:
    """``‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂)``, and ``0.0`` when both are zero.

    Computed exactly as the course does (``numpy.linalg.norm`` of the difference, of each), so it
    reproduces the course's numbers bit for bit. Scalars (the 1-D example) and arrays of any
    shape are accepted; the two must have the same number of entries (compared in flat order).

    Args:
        grad: ``g``, the analytic gradient.
        gradapprox: ``g̃``, the numerical one.

    Example:
        >>> f"{relative_difference(3.0, 3.0000000002):.3e}"
        '3.333e-11'
        >>> relative_difference(np.zeros(3), np.zeros(3))
        0.0
    """
    func = "relative_difference"
    g = _as_vector(func, "grad", grad)
    a = _as_vector(func, "gradapprox", gradapprox)
    if g.size != a.size:
        raise validation.fail_value(func, "gradapprox", f"{g.size} entries like grad",
                                    f"{a.size} entries (shape {a.shape})")
    if g.shape != a.shape:
        g, a = g.ravel(), a.ravel()
    with np.errstate(over="ignore", invalid="ignore"):
        numerator = np.linalg.norm(g - a)
        denominator = np.linalg.norm(g) + np.linalg.norm(a)
    if denominator == 0.0:
        return 0.0
    if not (np.isfinite(numerator) and np.isfinite(denominator)):
        # Entries near the float64 maximum overflow the norms; the ratio is scale-free.
        s = max(float(np.max(np.abs(g))), float(np.max(np.abs(a))))
        g, a = g / s, a / s
        numerator = np.linalg.norm(g - a)
        denominator = np.linalg.norm(g) + np.linalg.norm(a)
    return float(numerator / denominator)


def reading(difference: float) -> str:
    """The course's reading of a difference (see the module docstring).

    A difference is a number in ``[0, 1]``; ``nan`` (a gradient holding ``nan``, or ``0/0``) has
    no reading and raises :class:`ValueError` rather than being read as "worry".
    """
    if isinstance(difference, bool) or not isinstance(difference, numbers.Real):
        raise validation.fail_type("reading", "difference", "a relative difference (a float in "
                                   "[0, 1])", difference)
    if not 0.0 <= float(difference) <= 1.0:
        raise validation.fail_value(
            "reading", "difference", "a relative difference in [0, 1]", repr(difference),
            "nan means the gradient or its approximation holds nan: there is nothing to read"
            if np.isnan(difference) else None)
    if difference <= LECTURE_GREAT:
        return "great (<= 1e-7, the lecture's mark)"
    if difference <= COURSE_CODE_THRESHOLD:
        return "passes the course's code (<= 2e-7), above the lecture's 1e-7"
    if difference < LECTURE_WORRY:
        return "suspicious (between 2e-7 and 1e-3): look again"
    return "worry (>= 1e-3): the gradient is very likely wrong"


def elementwise_relative_error(analytic: FloatArray, numeric: FloatArray) -> FloatArray:
    """``|g_k − g̃_k| / (|g_k| + |g̃_k|)`` per coordinate (``0`` where both are 0)."""
    num = np.abs(analytic - numeric)
    den = np.abs(analytic) + np.abs(numeric)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


@dataclass(frozen=True, slots=True)
class CoordinateDifference:
    """One coordinate of a check.

    Attributes:
        index: ``k`` in ``θ``.
        name: e.g. ``"W2[1,3]"``.
        analytic: ``g_k``; numeric: ``g̃_k``.
        abs_error: ``|g_k − g̃_k|``; rel_error: ``|g_k − g̃_k| / (|g_k| + |g̃_k|)``.
        kink: its ``±ε`` evaluations cross a ReLU kink (``g̃_k`` unreliable).
    """

    index: int
    name: str
    analytic: float
    numeric: float
    abs_error: float
    rel_error: float
    kink: bool


@dataclass(frozen=True, slots=True)
class BlockDifference:
    """The difference restricted to one parameter block.

    Attributes:
        key: ``"W2"`` (or ``"theta"`` when no layout was given).
        start, stop: the block is ``θ[start:stop]``.
        difference: ``‖g_B − g̃_B‖ / (‖g_B‖ + ‖g̃_B‖)`` over the block.
        max_abs_error: ``max_k |g_k − g̃_k|`` over the block.
        kinks: how many of its coordinates cross a kink.
    """

    key: str
    start: int
    stop: int
    difference: float
    max_abs_error: float
    kinks: int


@dataclass(frozen=True, eq=False)
class GradCheckReport:
    """What a full gradient check found. ``str(report)`` is a readable summary.

    Attributes:
        difference: the overall relative difference (module docstring).
        method, epsilon: how ``g̃`` was computed.
        threshold: the pass mark (default :data:`COURSE_CODE_THRESHOLD`).
        analytic, numeric: ``g`` and ``g̃``, ``(n,)``.
        names: the coordinates' names.
        blocks: per-block differences, in vector order.
        worst: the coordinates with the largest ``|g_k − g̃_k|``, largest first.
        kinks: indices of the coordinates whose ``±ε`` evaluations cross a ReLU kink
            (empty when kinks cannot be seen, i.e. for an arbitrary cost function). At a kink
            ``J`` has no derivative and ``g̃_k`` is a mix of two one-sided slopes, so the verdict
            (:attr:`passed`, :attr:`culprits`) leaves them out; :attr:`difference` keeps them
            (it is the course's number).
        kinks_known: whether kinks were looked for at all.
    """

    difference: float
    method: str
    epsilon: float
    threshold: float
    analytic: FloatArray = field(repr=False)
    numeric: FloatArray = field(repr=False)
    names: tuple[str, ...] = field(repr=False)
    blocks: tuple[BlockDifference, ...]
    worst: tuple[CoordinateDifference, ...]
    kinks: tuple[int, ...]
    kinks_known: bool

    @property
    def judged(self) -> BoolArray:
        """The coordinates the verdict is on: all, less the kink-crossing ones (unless all cross)."""
        keep = np.ones(self.analytic.size, dtype=bool)
        keep[list(self.kinks)] = False
        return keep if keep.any() else np.ones(self.analytic.size, dtype=bool)

    @property
    def verdict_difference(self) -> float:
        """The difference the verdict is on: :attr:`difference_without_kinks` when kinks were
        found (their numerical derivatives are not derivatives), else :attr:`difference`."""
        return self.difference_without_kinks if self.kinks else self.difference

    @property
    def passed(self) -> bool:
        """``verdict_difference <= threshold``."""
        return self.verdict_difference <= self.threshold

    @property
    def reading(self) -> str:
        """The course's reading of :attr:`difference`."""
        return reading(self.difference)

    @property
    def culprits(self) -> tuple[str, ...]:
        """The blocks to blame for a failed check, worst first (``()`` when it passed).

        The smallest set of blocks, taken in decreasing order of their share of
        ``‖g − g̃‖²``, without whose errors the difference would pass:
        ``sqrt(Σ_{B not blamed} ‖g_B − g̃_B‖²) / (‖g‖ + ‖g̃‖) <= threshold``. (A block's own
        difference is a poor test: a small block with small gradients is noisier than the whole —
        in the course's correct example ``b1`` alone scores 3.3e-7.)
        """
        keep = self.judged
        return _blame(np.where(keep, self.analytic, 0.0), np.where(keep, self.numeric, 0.0),
                      self.blocks, self.threshold)

    @property
    def difference_without_kinks(self) -> float:
        """The difference over the coordinates that do not cross a kink."""
        keep = self.judged
        return relative_difference(self.analytic[keep], self.numeric[keep])

    @property
    def kink_names(self) -> tuple[str, ...]:
        """The names of the kink-crossing coordinates."""
        return tuple(self.names[k] for k in self.kinks)

    def __str__(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        lines = [
            f"gradient check ({self.method}, epsilon = {self.epsilon:g}, {len(self.names)} "
            f"parameters): {verdict}",
            f"  difference = {self.difference:.6e}  -> {self.reading}",
        ]
        if self.kinks:
            lines.append(
                f"  without the {len(self.kinks)} kink-crossing coordinate(s): "
                f"{self.difference_without_kinks:.6e}  -> {reading(self.difference_without_kinks)}"
                f" (the verdict is on this one)"
            )
        lines += [
            f"  (lecture: <= 1e-7 great, >= 1e-3 worry; the course's code passes <= 2e-7; "
            f"threshold here {self.threshold:g})",
        ]
        if self.culprits:
            lines.append(f"  culprits: {', '.join(self.culprits)}")
        if len(self.blocks) > 1:
            lines.append("  per block:       size   difference   max |g - g~|  kinks")
            for b in self.blocks:
                flag = "  <-- culprit" if b.key in self.culprits else ""
                lines.append(f"    {b.key:<12} {b.stop - b.start:>6}   {b.difference:.3e}    "
                             f"{b.max_abs_error:.3e}   {b.kinks:>5}{flag}")
        if self.worst:
            width = max(12, *(len(c.name) for c in self.worst))
            lines.append(f"  worst {len(self.worst)} coordinate(s), by |analytic - numeric|:")
            lines.append(f"    {'name':<{width}}  {'analytic':>15}  {'numeric':>15}  "
                         f"{'rel. error':>10}")
            for c in self.worst:
                mark = "  (crosses a ReLU kink)" if c.kink else ""
                lines.append(f"    {c.name:<{width}}  {c.analytic:>15.8e}  {c.numeric:>15.8e}  "
                             f"{c.rel_error:>10.3e}{mark}")
        if not self.kinks_known:
            lines.append("  kinks: not looked for (an arbitrary cost function)")
        elif self.kinks:
            shown = ", ".join(self.kink_names[:8]) + (" ..." if len(self.kinks) > 8 else "")
            lines.append(
                f"  kinks: {len(self.kinks)} coordinate(s) cross a ReLU kink at +-epsilon (a hidden "
                f"Z entry changes sign), their numerical value is unreliable: {shown}"
            )
        else:
            lines.append("  kinks: none crossed")
        return "\n".join(lines)


def _blame(analytic: FloatArray, numeric: FloatArray, blocks: Sequence[BlockDifference],
           threshold: float) -> tuple[str, ...]:
    denominator = float(np.linalg.norm(analytic) + np.linalg.norm(numeric))
    if denominator == 0.0:
        return ()
    shares = [(float(np.sum(np.square(analytic[b.start:b.stop] - numeric[b.start:b.stop]))), b.key)
              for b in blocks]
    remaining = sum(share for share, _ in shares)
    blamed: list[str] = []
    for share, key in sorted(shares, key=lambda item: -item[0]):
        if np.sqrt(max(remaining, 0.0)) / denominator <= threshold:
            break
        blamed.append(key)
        remaining -= share
    return tuple(blamed)


def build_report(
    analytic: FloatArray,
    numeric: FloatArray,
    *,
    names: Sequence[str],
    blocks: Sequence[tuple[str, int, int]],
    method: str,
    epsilon: float,
    threshold: float,
    worst: int,
    kinks: IntArray | None,
) -> GradCheckReport:
    """Assemble a :class:`GradCheckReport` from ``g``, ``g̃`` (both ``(n,)``) and the layout.

    ``blocks`` are ``(key, start, stop)`` triples; ``kinks`` the indices of kink-crossing
    coordinates, or ``None`` when kinks were not looked for.
    """
    abs_err = np.abs(analytic - numeric)
    rel_err = elementwise_relative_error(analytic, numeric)
    kink_set = np.zeros(analytic.size, dtype=bool)
    if kinks is not None:
        kink_set[kinks] = True
    block_diffs = tuple(
        BlockDifference(
            key=key, start=start, stop=stop,
            difference=relative_difference(analytic[start:stop], numeric[start:stop]),
            max_abs_error=float(abs_err[start:stop].max()),
            kinks=int(kink_set[start:stop].sum()),
        )
        for key, start, stop in blocks
    )
    k = min(worst, analytic.size)
    order = np.argsort(-abs_err, kind="stable")[:k]
    worst_coords = tuple(
        CoordinateDifference(
            index=int(i), name=names[int(i)], analytic=float(analytic[i]),
            numeric=float(numeric[i]), abs_error=float(abs_err[i]), rel_error=float(rel_err[i]),
            kink=bool(kink_set[i]),
        )
        for i in order
    )
    return GradCheckReport(
        difference=relative_difference(analytic, numeric),
        method=method,
        epsilon=epsilon,
        threshold=threshold,
        analytic=analytic.copy(),
        numeric=numeric.copy(),
        names=tuple(names),
        blocks=block_diffs,
        worst=worst_coords,
        kinks=tuple(int(i) for i in np.flatnonzero(kink_set)),
        kinks_known=kinks is not None,
    )
