"""The full check of a network's gradients: backprop against numerical derivatives of its cost.

What is checked is :class:`~refnn.gradcheck.objective.NetworkObjective`'s
``J(θ) = mean cross-entropy + λ/(2m) Σ‖W‖²`` — the L2 term included, and with dropout *with the
masks held fixed* (drawn once from ``rng``, or given). ``g`` defaults to
:func:`refnn.network.backward`'s gradients on a forward pass with those masks; pass ``grads`` to
check someone else's.

Three engines compute the same ``g̃`` (to rounding):

* ``"rank1"`` (default) and ``"batched"``: :mod:`refnn.gradcheck.batched` — all perturbations of a
  row of ``W[l]``/``b[l]`` at once, sharing everything below the perturbed layer; ``"rank1"``
  carries the rank-1 change through the upper ReLU layers exactly wherever no unit switches and
  recomputes the rest, ``"batched"`` recomputes the upper layers for every perturbation;
* ``"loop"``: one full :func:`refnn.kernel.forward` per evaluation — the obvious implementation,
  kept as the oracle the others are tested against.

All flag the coordinates whose ``±ε`` evaluations cross a ReLU kink.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from refnn import validation
from refnn.gradcheck.batched import batched_gradapprox
from refnn.gradcheck.differences import Method, check_epsilon, check_method
from refnn.gradcheck.generic_check import check_threshold, check_worst
from refnn.gradcheck.objective import NetworkObjective, check_engine_args
from refnn.gradcheck.precision import refuse_low_precision
from refnn.gradcheck.report import COURSE_CODE_THRESHOLD, GradCheckReport, build_report
from refnn.types import (
    BoolArray,
    FloatArray,
    GradsLike,
    IntArray,
    MaskArray,
    ParamsLike,
    RealArrayLike,
)
from refnn.types import Engine as Engine


def _crossed(obj: NetworkObjective, base_pos: Sequence[BoolArray], Zs: Sequence[FloatArray]
             ) -> bool:
    for l, (pos, Z) in enumerate(zip(base_pos, Zs), start=1):
        changed = (Z > 0) != pos
        D = obj.masks[l - 1]
        if D is not None:
            changed = changed & D
        if np.any(changed):
            return True
    return False


def loop_gradapprox(obj: NetworkObjective, theta: FloatArray, method: Method, epsilon: float
                    ) -> tuple[FloatArray, IntArray]:
    """``g̃`` one coordinate at a time, one full forward pass per evaluation (the oracle).

    Two-sided: ``θ⁺ = θ.copy(); θ⁺[k] += ε`` (likewise ``θ⁻``),
    ``g̃_k = (J(θ⁺) − J(θ⁻)) / 2ε`` with ``J`` through :func:`refnn.kernel.forward`;
    one-sided: ``(J(θ⁺) − J(θ)) / ε``; complex-step: ``Im J(θ + ihe_k) / h``
    (:meth:`NetworkObjective.complex_cost`). Returns ``(g̃, kink indices)``.
    """
    obj, theta, method, epsilon = check_engine_args(  # type: ignore[assignment]
        "loop_gradapprox", obj, theta, method, epsilon)
    n = theta.size
    numeric = np.empty(n)
    kinks = np.zeros(n, dtype=bool)
    J0, Z0 = obj.cost_and_z(theta)
    hidden = len(Z0) - 1
    base_pos = [Z > 0 for Z in Z0[:hidden]]
    for k in range(n):
        if method == "complex-step":
            point = theta.astype(np.complex128)
            point[k] = point[k] + 1j * epsilon
            Jc, kink = obj.complex_cost(point)
            numeric[k] = Jc.imag / epsilon
            kinks[k] = kink
            continue
        plus = theta.copy()
        plus[k] = plus[k] + epsilon
        Jp, Zp = obj.cost_and_z(plus)
        kink = _crossed(obj, base_pos, Zp[:hidden])
        if method == "two-sided":
            minus = theta.copy()
            minus[k] = minus[k] - epsilon
            Jm, Zm = obj.cost_and_z(minus)
            kink = kink or _crossed(obj, base_pos, Zm[:hidden])
            numeric[k] = (Jp - Jm) / (2 * epsilon)
        else:
            numeric[k] = (Jp - J0) / epsilon
        kinks[k] = kink
    return numeric, np.flatnonzero(kinks)


def analytic_vector(func: str, obj: NetworkObjective, theta: FloatArray,
                    grads: GradsLike | None) -> FloatArray:
    """``g`` as a vector: from ``grads`` (``dW1, db1, …``) if given, else from
    :func:`refnn.network.backward` with the objective's masks and ``λ``."""
    if grads is None:
        return obj.analytic_gradient(theta)
    if not isinstance(grads, Mapping):
        raise validation.fail_type(func, "grads", "a dict with keys dW1, db1, ...", grads)
    for key, value in grads.items():
        refuse_low_precision(func, f"grads[{key!r}]", value)
    return obj.layout.grads_to_vector(grads, func)


def check_network(
    params: ParamsLike,
    X: RealArrayLike,
    Y: RealArrayLike,
    *,
    grads: GradsLike | None = None,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    masks: Sequence[MaskArray | None] | None = None,
    rng: np.random.Generator | None = None,
    method: Method = "two-sided",
    epsilon: float | None = None,
    engine: Engine = "rank1",
    threshold: float = COURSE_CODE_THRESHOLD,
    worst: int = 5,
) -> GradCheckReport:
    """Full gradient check of ``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID`` on ``(X, Y)``.

    ``J(θ) = (1/m) Σ_k ℓ(Z[L]_k, y_k) + λ/(2m) Σ_l ‖W[l]‖²_F`` with the dropout masks held fixed;
    ``difference = ‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂)`` with per-block differences, the worst coordinates
    and the kink-crossing coordinates (:class:`~refnn.gradcheck.report.GradCheckReport`).

    Args:
        params: ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …}``, float64, ``n[L] = 1``.
        X: ``(n_x, m)``; Y: ``(1, m)`` in {0, 1}.
        grads: the analytic gradients to check (``dW1, db1, …``); default
            :func:`refnn.network.backward` on the same masks.
        lambd: ``λ ≥ 0``.
        keep_prob: dropout keep probability (scalar or one per hidden layer).
        masks: the fixed dropout masks (one per hidden layer), or ``None`` to draw them once from
            ``rng`` when some ``keep_prob < 1``.
        rng: a :class:`numpy.random.Generator` for the masks.
        method: ``"two-sided"`` (default), ``"one-sided"`` or ``"complex-step"``.
        epsilon: the step (default ``1e-7`` / ``1e-8`` / ``1e-20``).
        engine: ``"rank1"`` (default, fastest), ``"batched"`` or ``"loop"`` (one forward pass per
            evaluation; the oracle).
        threshold: the pass mark (default ``2e-7``, the course's code).
        worst: how many worst coordinates to list.

    Example:
        >>> import numpy as np
        >>> from refnn.init import initialize
        >>> rng = np.random.default_rng(0)
        >>> p = initialize([3, 5, 4, 1], "he", rng=rng)
        >>> X, Y = rng.standard_normal((3, 20)), (rng.random((1, 20)) < 0.5).astype(float)
        >>> report = check_network(p, X, Y, lambd=0.7, keep_prob=0.8, rng=rng)
        >>> report.passed, report.difference_without_kinks < 1e-8
        (True, True)

        Dropout switched off all five units of layer 1 for one example, so ``Z[2] = b[2] = 0``
        exactly there — a ReLU kink — and moving ``b2`` by ``±ε`` crosses it (``b2[2,0]``'s unit
        is dropped there too, so it does not count):

        >>> report.kink_names, f"{report.difference:.0e}"
        (('b2[0,0]', 'b2[1,0]', 'b2[3,0]'), '2e-02')
    """
    func = "check_network"
    m = check_method(func, method)
    eps = check_epsilon(func, m, epsilon)
    thr = check_threshold(func, threshold)
    k = check_worst(func, worst)
    if engine not in ("rank1", "batched", "loop"):
        raise validation.fail_value(func, "engine", "'rank1', 'batched' or 'loop'", repr(engine))
    obj, theta = NetworkObjective.build(func, params, X, Y, lambd=lambd, keep_prob=keep_prob,
                                        masks=masks, rng=rng)
    g = analytic_vector(func, obj, theta, grads)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if engine == "loop":
            numeric, kinks = loop_gradapprox(obj, theta, m, eps)
        else:
            numeric, kinks = batched_gradapprox(obj, theta, m, eps, engine)
    if not np.isfinite(numeric).all():
        raise validation.fail_value(
            func, "params' and 'X", "values whose perturbed costs J(θ ± ε·e_k) stay finite",
            f"{int(numeric.size - np.count_nonzero(np.isfinite(numeric)))} non-finite "
            "numerical derivative(s)", "scale the inputs (e.g. normalize_fit) or choose epsilon")
    layout = obj.layout
    return build_report(g, numeric, names=layout.names,
                        blocks=[(b.key, b.start, b.stop) for b in layout.blocks], method=m,
                        epsilon=eps, threshold=thr, worst=k, kinks=kinks)
