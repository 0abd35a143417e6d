"""The fast check: a few random directions instead of every coordinate.

For a unit vector ``u`` (``‖u‖₂ = 1``, uniformly random on the sphere) and step ``ε``, a correct
gradient satisfies::

    ∇J(θ)·u  ≈  (J(θ + εu) − J(θ − εu)) / (2ε)         (error O(ε²) plus rounding)

— two evaluations of ``J`` whatever the number of parameters, instead of ``2n``. refnn compares
``g·(θ⁺ − θ⁻)/(2ε)`` (the step actually taken after rounding ``θ ± εu``) with the difference
quotient; a direction fails when::

    |a − d| > tolerance·(|a| + |d|) + noise,     noise = 64·u·(|J⁺| + |J⁻|) / (2ε)

(``u = 2⁻⁵³``; ``noise`` is an allowance for the rounding error of the two costs). The step is suited
to the scale of ``θ``: ``ε = step·max(1, ‖θ‖₂)`` (default ``step = 1e-7``, the course's ``ε`` for
``‖θ‖ ≤ 1``), so every coordinate moves by a relative ``~step`` whatever ``n`` and ``‖θ‖``.

Why it finds bugs: if the analytic gradient is ``g + e`` (``e`` the bug), the relative error of a
random direction is about ``|e·u| / (2|g·u|)``, a ratio of two centred normals with standard
deviations ``‖e‖/√n`` and ``‖g‖/√n``; for ``e ⊥ g`` it falls below ``tolerance = τ`` with
probability ``P(|e·u| < 2τ|g·u|) ≈ (4/π)·τ·‖g‖/‖e‖``. With ``τ = 1e-5`` and the course's planted
bugs (``‖e‖/‖g‖`` of order ``0.1``–``1``) one direction misses with probability ``< 1e-3`` and
two with ``< 1e-6``.

Measured with fixed seeds on random networks (1–3 hidden layers of 1–19 units, 1–119 examples,
He/Xavier/Glorot weights, biases zero or not, ``λ ∈ {0, 0.1, 1}``, dropout ``keep_prob ∈
{1, 0.8, 0.5}`` with fixed masks; the generator is ``random_case`` in
``tests/gradcheck/test_gradcheck_directional.py``, which re-runs 300 seeds of each claim):

* correct gradients: **0 false alarms in 3000** networks, none inconclusive; the largest error
  was 3.4% of what the test allows (``tolerance·(|a| + |d|) + noise``);
* ``dW2 × 2`` and ``db1 × 4``: **every bug that changes the gradient was flagged** (1000
  networks each; the 4 and 9 that passed had ``dW2 = 0`` or ``db1 = 0`` — e.g. a dead one-unit
  layer — so the "bug" changed nothing).

ReLU kinks make false alarms: if a hidden ``Z`` entry changes sign between ``θ − εu`` and
``θ + εu``, the quotient mixes two linear pieces (single crossings gave relative errors of
``1e-2``–``1e-1`` in experiments). :func:`check_network_fast` sees the ``Z`` values, retries such
a direction with ``ε/10`` (up to 3 times) and otherwise sets it aside (``kink=True``, not counted)
and draws another. Units that sit *exactly* on a kink at ``θ`` (``Z = 0``: typically ``b = 0``
with every unit below off or dropped for that example) are crossed by any move of their bias
whatever ``ε``; once such a kink is met, the directions leave those biases alone (the full check
flags them as kinks too). If no direction is free of kinks (e.g. zero initialization), the check
is inconclusive and, with ``localize``, the full check decides. :func:`directional_check` on an
arbitrary cost cannot see kinks at all.

When a direction fails, the directional check only says *that* the gradient is wrong;
:func:`check_network_fast` then runs the full check (``localize=True``) to say *where*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.gradcheck.batched import batched_gradapprox
from refnn.gradcheck.differences import CostFunction
from refnn.gradcheck.network_check import analytic_vector
from refnn.gradcheck.objective import NetworkObjective, Pass
from refnn.gradcheck.precision import UNIT_ROUNDOFF, float64_array, real_cost_value
from refnn.gradcheck.report import COURSE_CODE_THRESHOLD, GradCheckReport, build_report
from refnn.types import BoolArray, FloatArray, GradsLike, MaskArray, ParamsLike, RealArrayLike

DEFAULT_STEP = 1e-7
"""``ε = step·max(1, ‖θ‖₂)``."""

DEFAULT_TOLERANCE = 1e-5
"""The relative tolerance of one direction."""

NOISE_FACTOR = 64.0
"""``noise = NOISE_FACTOR·u·(|J⁺| + |J⁻|) / (2ε)``."""

KINK_RETRIES = 3


@dataclass(frozen=True, slots=True)
class DirectionResult:
    """One direction of a directional check.

    Attributes:
        analytic: ``a = g·(θ⁺ − θ⁻)/(2ε)`` (``≈ g·u``).
        numeric: ``d = (J(θ⁺) − J(θ⁻)) / (2ε)``.
        rel_error: ``|a − d| / (|a| + |d|)`` (0 when both are 0).
        noise: the rounding allowance (module docstring).
        epsilon: the step used.
        kink: a hidden ``Z`` entry crossed 0 (``None``: not known, arbitrary cost).
        passed: ``|a − d| <= tolerance·(|a| + |d|) + noise``.
    """

    analytic: float
    numeric: float
    rel_error: float
    noise: float
    epsilon: float
    kink: bool | None
    passed: bool


@dataclass(frozen=True, slots=True)
class DirectionalReport:
    """The directions tried and the verdict.

    Attributes:
        directions: every direction evaluated, in order (including those set aside for kinks).
        tolerance: the relative tolerance used.
    """

    directions: tuple[DirectionResult, ...]
    tolerance: float

    @property
    def usable(self) -> tuple[DirectionResult, ...]:
        """The directions that count (no kink crossed)."""
        return tuple(d for d in self.directions if d.kink is not True)

    @property
    def conclusive(self) -> bool:
        """At least one direction counted."""
        return bool(self.usable)

    @property
    def passed(self) -> bool:
        """Conclusive, and every counted direction passed."""
        return self.conclusive and all(d.passed for d in self.usable)

    def __str__(self) -> str:
        verdict = "PASS" if self.passed else ("FAIL" if self.conclusive else "INCONCLUSIVE")
        lines = [f"directional check ({len(self.usable)} direction(s), tolerance "
                 f"{self.tolerance:g}): {verdict}",
                 "    grad.u           (J+ - J-)/2eps    rel. error  epsilon"]
        for d in self.directions:
            note = "  set aside: crosses a ReLU kink" if d.kink else (
                "" if d.passed else "  <-- fails")
            lines.append(f"    {d.analytic:>15.8e}  {d.numeric:>15.8e}  {d.rel_error:.3e}   "
                         f"{d.epsilon:.1e}{note}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class FastCheckReport:
    """:func:`check_network_fast`'s result.

    Attributes:
        directional: the directional check.
        full: the full check run to localize a failure (``None`` when the directional check
            passed, or ``localize=False``).
    """

    directional: DirectionalReport
    full: GradCheckReport | None

    @property
    def passed(self) -> bool:
        """The directional verdict; if it was inconclusive, the full check's."""
        if not self.directional.conclusive and self.full is not None:
            return self.full.passed
        return self.directional.passed

    @property
    def culprits(self) -> tuple[str, ...]:
        """The blocks the full check blames (``()`` if it was not run or passed)."""
        return () if self.full is None else self.full.culprits

    def __str__(self) -> str:
        text = str(self.directional)
        if self.full is not None:
            text += "\nlocalized by the full check:\n" + str(self.full)
        return text


def _judge(a: float, d: float, j_plus: float, j_minus: float, eps: float, tol: float,
           kink: bool | None) -> DirectionResult:
    den = abs(a) + abs(d)
    rel = 0.0 if den == 0.0 else abs(a - d) / den
    noise = NOISE_FACTOR * UNIT_ROUNDOFF * (abs(j_plus) + abs(j_minus)) / (2 * eps)
    return DirectionResult(analytic=a, numeric=d, rel_error=rel, noise=noise, epsilon=eps,
                           kink=kink, passed=abs(a - d) <= tol * den + noise)


def _unit(rng: np.random.Generator, n: int, frozen: BoolArray | None = None) -> FloatArray:
    u = rng.standard_normal(n)
    if frozen is not None and frozen.any() and not frozen.all():
        u[frozen] = 0.0
    out: FloatArray = u / np.linalg.norm(u)
    return out


def _norm(v: FloatArray) -> float:
    """``‖v‖₂`` without overflow (scaled by ``max |v|`` where the plain sum of squares overflows)."""
    with np.errstate(over="ignore"):
        n = float(np.linalg.norm(v))
    if np.isfinite(n):
        return n
    s = float(np.max(np.abs(v)))
    return s * float(np.linalg.norm(v / s))


def _check_common(func: str, rng: object, n_directions: object, step: object, tolerance: object
                  ) -> tuple[np.random.Generator, int, float, float]:
    gen = validation.generator(func, rng)
    k = validation.positive_int(func, "n_directions", n_directions)
    s = validation.real(func, "step", step, low=0.0, low_open=True, range_text="> 0")
    tol = validation.real(func, "tolerance", tolerance, low=0.0, low_open=True, range_text="> 0")
    return gen, k, s, tol


def directional_check(
    cost: CostFunction,
    theta: RealArrayLike | float,
    grad: RealArrayLike | float,
    *,
    rng: np.random.Generator,
    n_directions: int = 2,
    step: float = DEFAULT_STEP,
    tolerance: float = DEFAULT_TOLERANCE,
) -> DirectionalReport:
    """Check ``g = ∇J(θ)`` along ``n_directions`` random unit directions (2 evaluations each).

    Symbols ↔ arguments: ``J`` = ``cost``, ``θ`` = ``theta``, ``g`` = ``grad``; ``u`` drawn from
    ``rng`` (``standard_normal`` normalized); ``ε = step·max(1, ‖θ‖₂)``. See the module docstring
    for the test and its statistics. Kinks inside ``cost`` cannot be seen here.

    Example:
        >>> import numpy as np
        >>> J = lambda t: float(np.sum(np.sin(t)))
        >>> theta = np.linspace(0, 1, 1000)
        >>> directional_check(J, theta, np.cos(theta), rng=np.random.default_rng(0)).passed
        True
        >>> bad = np.cos(theta); bad[:10] *= 2
        >>> directional_check(J, theta, bad, rng=np.random.default_rng(0)).passed
        False
    """
    func = "directional_check"
    gen, k, s, tol = _check_common(func, rng, n_directions, step, tolerance)
    if not callable(cost):
        raise validation.fail_type(func, "cost", "a function J(theta) -> float", cost)
    t = float64_array(func, "theta", theta)
    if t.size == 0:
        raise validation.fail_value(func, "theta", "a non-empty array (a check of no coordinates "
                                    "proves nothing)", "an empty array")
    g = float64_array(func, "grad", grad).ravel()
    if g.size != t.size:
        raise validation.fail_value(func, "grad", f"{t.size} entries like theta",
                                    f"{g.size} entries")
    validation.entry_budget(func, "n_directions", k * t.size, " (one unit vector per direction)")
    flat = t.ravel()
    eps = s * max(1.0, _norm(flat))
    results = []
    for _ in range(k):
        u = _unit(gen, flat.size)
        plus = flat + eps * u
        minus = flat - eps * u
        j_plus = real_cost_value(func, cost(plus.reshape(t.shape)), "theta + epsilon*u")
        j_minus = real_cost_value(func, cost(minus.reshape(t.shape)), "theta - epsilon*u")
        a = float(np.dot(g, plus - minus)) / (2 * eps)
        d = (j_plus - j_minus) / (2 * eps)
        results.append(_judge(a, d, j_plus, j_minus, eps, tol, None))
    return DirectionalReport(directions=tuple(results), tolerance=tol)


def _biases_on_kinks(obj: NetworkObjective, base: Pass) -> BoolArray:
    """The coordinates ``b[l][r]`` of hidden units that sit exactly on the kink (``Z[l][r, k] = 0``,
    kept) for some example — typically ``b = 0`` and ``A[l−1][:, k] = 0`` (all units below off or
    dropped). Any move of such a bias crosses the kink at ``θ`` itself, whatever ``ε``; the
    directions leave these coordinates alone (the full check flags them as kinks)."""
    frozen = np.zeros(obj.layout.size, dtype=bool)
    for l in range(1, obj.layout.n_layers):
        on = base.Z[l] == 0
        D = obj.masks[l - 1]
        if D is not None:
            on = on & D
        rows = np.flatnonzero(np.any(on, axis=1))
        if rows.size:
            frozen[obj.layout.block(f"b{l}").start + rows] = True
    return frozen


def _crosses(obj: NetworkObjective, plus: Pass, minus: Pass) -> bool:
    """Does a kept hidden unit change side between ``θ − εu`` and ``θ + εu``?

    Enough to see every kink on the segment: layer by layer, as long as no unit below switches,
    ``Z[l]`` is affine along the segment, so a unit whose sign pattern is the same at both ends is
    on the same side (or touches 0 at an end) all the way, its ReLU linear on the segment.
    """
    for l in range(1, obj.layout.n_layers):
        changed = (plus.Z[l] > 0) != (minus.Z[l] > 0)
        D = obj.masks[l - 1]
        if D is not None:
            changed = changed & D
        if np.any(changed):
            return True
    return False


def check_network_fast(
    params: ParamsLike,
    X: RealArrayLike,
    Y: RealArrayLike,
    *,
    rng: np.random.Generator,
    grads: GradsLike | None = None,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    masks: Sequence[MaskArray | None] | None = None,
    n_directions: int = 2,
    step: float = DEFAULT_STEP,
    tolerance: float = DEFAULT_TOLERANCE,
    localize: bool = True,
    threshold: float = COURSE_CODE_THRESHOLD,
    worst: int = 5,
) -> FastCheckReport:
    """The directional check of a network's gradients, kink-aware, localized by the full check on failure.

    The cost is :func:`~refnn.gradcheck.network_check.check_network`'s (cross-entropy + L2, dropout
    masks held fixed — drawn from ``rng`` first if needed; the directions come from ``rng`` next).
    ``2·n_directions`` forward passes (plus retries at kinks) whatever the number of
    parameters. If the verdict is a failure (or no direction was free of kinks) and ``localize``
    is true, the full batched check runs and its report (culprit blocks, worst coordinates) is
    attached as ``.full``.

    Args:
        params, X, Y, grads, lambd, keep_prob, masks: as for
            :func:`~refnn.gradcheck.network_check.check_network`.
        rng: a :class:`numpy.random.Generator` (masks, then directions).
        n_directions: how many directions must pass (default 2).
        step: ``ε = step·max(1, ‖θ‖₂)``.
        tolerance: the relative tolerance per direction (default ``1e-5``).
        localize: run the full check when the fast one fails.
        threshold, worst: passed to the full check.

    Example:
        >>> import numpy as np
        >>> from refnn import network
        >>> from refnn.init import initialize
        >>> rng = np.random.default_rng(0)
        >>> p = initialize([4, 8, 6, 1], "he", rng=rng)
        >>> X, Y = rng.standard_normal((4, 50)), (rng.random((1, 50)) < 0.5).astype(float)
        >>> check_network_fast(p, X, Y, rng=rng).passed
        True
        >>> g = network.backward(p, network.forward(p, X)[1], Y)
        >>> g["dW2"] = 2 * g["dW2"]
        >>> report = check_network_fast(p, X, Y, rng=rng, grads=g)
        >>> report.passed, report.culprits
        (False, ('W2',))
    """
    func = "check_network_fast"
    gen, k, s, tol = _check_common(func, rng, n_directions, step, tolerance)
    if not isinstance(localize, bool):
        raise validation.fail_type(func, "localize", "a bool", localize)
    thr = validation.real(func, "threshold", threshold, low=0.0, low_open=True, range_text="> 0")
    n_worst = validation.non_negative_int(func, "worst", worst)
    obj, theta = NetworkObjective.build(func, params, X, Y, lambd=lambd, keep_prob=keep_prob,
                                        masks=masks, rng=gen)
    validation.entry_budget(func, "n_directions", k * theta.size,
                            " (one unit vector per direction)")
    g = analytic_vector(func, obj, theta, grads)
    eps0 = s * max(1.0, _norm(theta))
    frozen: BoolArray | None = None  # found (with a pass at θ) only once a kink is met
    results: list[DirectionResult] = []
    counted = 0
    draws = 0
    while counted < k and draws < 2 * k:
        draws += 1
        u = _unit(gen, theta.size, frozen)
        eps = eps0
        attempt = 0
        while True:
            plus = theta + eps * u
            minus = theta - eps * u
            p_plus = obj.forward_pass(plus)
            p_minus = obj.forward_pass(minus)
            kink = _crosses(obj, p_plus, p_minus)
            if kink and frozen is None:
                frozen = _biases_on_kinks(obj, obj.forward_pass(theta))
                if frozen.any():
                    u = _unit(gen, theta.size, frozen)
                    continue
            if not kink or attempt == KINK_RETRIES:
                break
            attempt += 1
            eps = eps / 10
        a = float(np.dot(g, plus - minus)) / (2 * eps)
        d = (p_plus.cost - p_minus.cost) / (2 * eps)
        results.append(_judge(a, d, p_plus.cost, p_minus.cost, eps, tol, kink))
        counted += 0 if kink else 1
    directional = DirectionalReport(directions=tuple(results), tolerance=tol)
    full = None
    if localize and not directional.passed:
        numeric, kinks = batched_gradapprox(obj, theta, "two-sided", 1e-7)
        layout = obj.layout
        full = build_report(g, numeric, names=layout.names,
                            blocks=[(b.key, b.start, b.stop) for b in layout.blocks],
                            method="two-sided", epsilon=1e-7, threshold=thr, worst=n_worst,
                            kinks=kinks)
    return FastCheckReport(directional=directional, full=full)
