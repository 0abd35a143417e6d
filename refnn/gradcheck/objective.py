"""The network's cost as a function of the parameter vector ``θ`` — what a network check differentiates.

For ``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID`` (:mod:`refnn.network`) with labels
``Y: (1, m)``::

    J(θ) = (1/m) Σ_k ℓ(Z[L]_k, y_k) + λ/(2m) Σ_l ‖W[l]‖²_F,
    ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})      (= cross-entropy of σ(z), never overflows)

Dropout: the masks ``D[l]`` are drawn once and *held fixed*, so ``J`` is an ordinary deterministic
function of ``θ`` whose gradient is exactly what :func:`refnn.network.backward` computes from a
cache with those masks. (The course says to switch dropout off while checking; with the masks
fixed the check is valid and checks the dropout code too.)

Every evaluation of ``J`` is :mod:`refnn.kernel`'s: :func:`refnn.kernel.forward` and
:func:`refnn.kernel.network_cost`, on float64 ``θ`` (:meth:`NetworkObjective.cost`,
:meth:`NetworkObjective.forward_pass`, which also returns every ``Z[l]`` for the batched engine
and the directional check) and on complex ``θ`` for the complex step
(:meth:`NetworkObjective.complex_cost`; the kernel's formulas are analytic in ``Z``, with
``relu(z) = z if Re z > 0 else 0``). The analytic gradient is :func:`refnn.kernel.backward` with the
same masks. :meth:`NetworkObjective.build` checks the arguments once, under the public function's
name; nothing after it checks again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from refnn import kernel, network, validation
from refnn.gradcheck.differences import ComplexArray
from refnn.gradcheck.layout import ParamLayout
from refnn.gradcheck.precision import refuse_low_precision
from refnn.types import BoolArray, FloatArray


def example_losses(ZL: FloatArray, y: FloatArray) -> FloatArray:
    """``ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})`` elementwise (:func:`refnn.kernel.logit_losses`)."""
    return kernel.logit_losses(ZL, y)


@dataclass(frozen=True, slots=True)
class Pass:
    """One plain forward pass: ``Z[l]`` for ``l = 1..L`` and ``A[l]`` for ``l = 0..L−1``
    (``Z[0]`` is unused), the per-example losses and ``J``."""

    Z: list[FloatArray]
    A: list[FloatArray]
    losses: FloatArray
    cost: float


@dataclass(frozen=True, eq=False)
class NetworkObjective:
    """``J(θ)`` of a network on fixed data, L2 strength and dropout masks (module docstring).

    Build it with :meth:`build`. All arrays are private copies.

    Attributes:
        layout: where each parameter lives in ``θ``.
        X: ``(n_x, m)``; Y: ``(1, m)``.
        lambd: ``λ``.
        keep_probs: ``keep_prob[l]`` for the hidden layers ``l = 1..L−1``.
        masks: ``D[l]`` for the hidden layers (``None`` where ``keep_prob = 1``).
    """

    layout: ParamLayout
    X: FloatArray = field(repr=False)
    Y: FloatArray = field(repr=False)
    lambd: float
    keep_probs: tuple[float, ...]
    masks: tuple[BoolArray | None, ...] = field(repr=False)

    @classmethod
    def build(
        cls,
        func: str,
        params: Mapping[str, object],
        X: object,
        Y: object,
        *,
        lambd: float = 0.0,
        keep_prob: float | Sequence[float] = 1.0,
        masks: Sequence[object] | None = None,
        rng: np.random.Generator | None = None,
    ) -> tuple[NetworkObjective, FloatArray]:
        """Check the arguments (errors name ``func``) and return the objective and ``θ``.

        With some ``keep_prob < 1`` and no ``masks``, the masks are drawn once from ``rng``
        (``rng.random(Z[l].shape) < keep_prob[l]``, as :func:`refnn.network.forward` draws them).
        """
        for name, value in (("params", params), ("X", X)):
            if isinstance(value, Mapping):
                for key, arr in value.items():
                    refuse_low_precision(func, f"params[{key!r}]", arr)
            else:
                refuse_low_precision(func, name, value)
        P, dims = validation.params(func, params, "params")
        if dims[-1] != 1:
            raise validation.fail_value(func, "params", "a network with one output unit (n[L] = 1)",
                                        f"n[L] = {dims[-1]}")
        Xa = validation.float_array(func, "X", X, ndim=2, shape=(dims[0], None),
                                    shape_text="(n_x, m)")
        m = Xa.shape[1]
        Ya = validation.labels(func, "Y", Y, m)
        lam = validation.lambd(func, lambd)
        kps = validation.keep_probs(func, keep_prob, len(dims) - 1)
        if masks is not None:
            fixed = network.check_masks(func, masks, dims, m, kps)
        elif any(kp < 1.0 for kp in kps):
            gen = validation.generator(
                func, rng, hint="it draws the dropout masks (held fixed) when keep_prob < 1")
            fixed = kernel.draw_masks(gen, dims, m, kps)
        else:
            fixed = [None] * (len(dims) - 2)
        own = tuple(None if D is None else D.copy() for D in fixed)
        layout = ParamLayout.course(dims)
        obj = cls(layout=layout, X=Xa.copy(), Y=Ya.copy(), lambd=lam, keep_probs=kps[:-1],
                  masks=own)
        theta = layout.to_vector(P)
        obj.check_finite_at(func, theta, "params' and 'X")
        return obj, theta

    def check_finite_at(self, func: str, theta: FloatArray, name: str) -> None:
        """Refuse a ``θ`` whose forward pass or cost overflows float64 (no gradient to check)."""
        with np.errstate(over="ignore", invalid="ignore"):
            J, Zs = self.cost_and_z(theta)
        if not (np.isfinite(J) and all(np.isfinite(Z).all() for Z in Zs)):
            raise validation.fail_value(func, name, "values whose forward pass Z[l] and cost J "
                                        "stay finite in float64", "an overflow")

    @property
    def m(self) -> int:
        """The number of examples."""
        return int(self.X.shape[1])

    def network_masks(self) -> list[BoolArray | None]:
        """The masks in the form :func:`refnn.network.forward` takes."""
        return list(self.masks)

    def cost(self, theta: FloatArray) -> float:
        """``J(θ)`` (:func:`refnn.kernel.network_cost`)."""
        value, _ = self.cost_and_z(theta)
        return value

    def cost_and_z(self, theta: FloatArray) -> tuple[float, list[FloatArray]]:
        """``J(θ)`` and ``[Z[1], …, Z[L]]``."""
        Ws, bs = self.layout.weights(theta)
        fwd = kernel.forward(Ws, bs, self.X, self.masks, self.keep_probs)
        return float(kernel.network_cost(fwd.ZL, self.Y, Ws, self.lambd)), fwd.Z

    def analytic_gradient(self, theta: FloatArray) -> FloatArray:
        """``∇J(θ)`` from :func:`refnn.kernel.backward` (with the same masks), as a vector."""
        Ws, bs = self.layout.weights(theta)
        fwd = kernel.forward(Ws, bs, self.X, self.masks, self.keep_probs)
        with np.errstate(over="ignore"):
            AL = kernel.sigmoid(fwd.ZL)
        layers = kernel.backward(Ws, fwd, self.masks, self.keep_probs,
                                 kernel.output_delta(AL, self.Y), self.lambd)
        grads: dict[str, FloatArray] = {}
        for l, g in enumerate(layers, start=1):
            grads[f"dW{l}"], grads[f"db{l}"] = g.dW, g.db
        return self.layout.grads_to_vector(grads)

    def weights(self, theta: FloatArray) -> tuple[list[FloatArray], list[FloatArray]]:
        """``([W1, …, WL], [b1, …, bL])`` (index ``l − 1``) from ``θ``."""
        return self.layout.weights(theta)

    def penalty(self, Ws: Sequence[FloatArray]) -> float:
        """``λ/(2m) Σ‖W[l]‖²`` (:func:`refnn.kernel.l2_cost`; 0 when ``λ = 0``)."""
        if self.lambd == 0.0:
            return 0.0
        return float(kernel.l2_cost(Ws, self.lambd, self.m))

    def forward_pass(self, theta: FloatArray) -> Pass:
        """The plain forward pass at ``θ`` (no argument checks)."""
        Ws, bs = self.weights(theta)
        return self.forward_weights(Ws, bs)

    def forward_weights(self, Ws: Sequence[FloatArray], bs: Sequence[FloatArray]) -> Pass:
        """:meth:`forward_pass` from the weight lists."""
        fwd = kernel.forward(Ws, bs, self.X, self.masks, self.keep_probs)
        losses = kernel.logit_losses(fwd.ZL[0], self.Y[0])
        J = float(np.mean(losses)) + self.penalty(Ws)
        empty: FloatArray = np.empty((0, 0))
        return Pass(Z=[empty, *fwd.Z], A=fwd.A, losses=losses, cost=J)

    def complex_cost(self, theta: ComplexArray) -> tuple[complex, bool]:
        """``J(θ)`` for complex ``θ`` and whether a kink was met (a hidden ``Z`` entry with
        ``Re Z == 0`` and ``Im Z ≠ 0``, where the complex step gives a one-sided derivative)."""
        Ws, bs = self.layout.weights(theta)
        fwd = kernel.forward(Ws, bs, self.X, self.masks, self.keep_probs)
        kink = False
        for Z, D in zip(fwd.Z[:-1], self.masks):
            live = (Z.real == 0) & (Z.imag != 0)
            if D is not None:
                live = live & D
            kink = kink or bool(np.any(live))
        with np.errstate(over="ignore", invalid="ignore"):
            J: Any = kernel.network_cost(fwd.ZL, self.Y, Ws, self.lambd)
        return complex(J), kink


def complex_example_losses(ZL: NDArray[np.complex128], y: FloatArray) -> NDArray[np.complex128]:
    """:func:`example_losses` for complex ``Z`` (the same kernel function, analytic in ``z``)."""
    return kernel.logit_losses(ZL, y)


def check_engine_args(func: str, obj: object, theta: object, method: object, epsilon: object
                      ) -> tuple[NetworkObjective, FloatArray, str, float]:
    """The doors of the two engines (:func:`~refnn.gradcheck.network_check.loop_gradapprox`,
    :func:`~refnn.gradcheck.batched.batched_gradapprox`): a :class:`NetworkObjective`, ``θ`` of its
    layout's size (float64, finite), a known ``method`` and a step ``epsilon > 0``."""
    from refnn.gradcheck.differences import check_method
    from refnn.gradcheck.precision import float64_array

    if not isinstance(obj, NetworkObjective):
        raise validation.fail_type(func, "obj", "a NetworkObjective (NetworkObjective.build)", obj)
    t = float64_array(func, "theta", theta, ndim=1)
    if t.size != obj.layout.size:
        raise validation.fail_value(func, "theta", f"a vector of {obj.layout.size} entries "
                                    "(the objective's layout)", f"{t.size} entries")
    how = check_method(func, method)
    eps = validation.real(func, "epsilon", epsilon, low=0.0, low_open=True, range_text="> 0")
    obj.check_finite_at(func, t, "theta")
    return obj, t, how, eps
