"""The network's cost as a function of the parameter vector ``θ`` — what a network check differentiates.

For ``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID`` (:mod:`refnn.network`) with labels
``Y: (1, m)``::

    J(θ) = (1/m) Σ_k ℓ(Z[L]_k, y_k) + λ/(2m) Σ_l ‖W[l]‖²_F,
    ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})      (= cross-entropy of σ(z), never overflows)

Dropout: the masks ``D[l]`` are drawn once and *held fixed*, so ``J`` is an ordinary deterministic
function of ``θ`` whose gradient is exactly what :func:`refnn.network.backward` computes from a
cache with those masks. (The course says to switch dropout off while checking; with the masks
fixed the check is valid and checks the dropout code too.)

Three evaluations of the same ``J``:

* :meth:`NetworkObjective.cost` — through :func:`refnn.network.forward` and
  :func:`refnn.cost.cross_entropy_from_logits` (the simple reference, used by the per-coordinate
  loop);
* :func:`forward_pass` — a plain float64 forward without argument checks, returning every ``Z[l]``
  (for the batched engine and the directional check);
* :meth:`NetworkObjective.complex_cost` — the same arithmetic on complex ``θ`` for complex-step,
  with ``relu(z) = z if Re z > 0 else 0``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from refnn import cost as refnn_cost
from refnn import network, validation
from refnn.gradcheck.differences import ComplexArray
from refnn.gradcheck.layout import ParamLayout
from refnn.gradcheck.precision import refuse_low_precision
from refnn.types import BoolArray, FloatArray


def example_losses(ZL: FloatArray, y: FloatArray) -> FloatArray:
    """``ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})`` elementwise (as :mod:`refnn.cost`)."""
    out: FloatArray = np.maximum(ZL, 0.0) - ZL * y + np.log1p(np.exp(-np.abs(ZL)))
    return out


def complex_example_losses(ZL: ComplexArray, y: FloatArray) -> ComplexArray:
    """The analytic continuation of :func:`example_losses`, branch chosen by ``Re z``."""
    pos = ZL.real > 0
    with np.errstate(over="ignore", invalid="ignore"):
        up = ZL + np.log1p(np.exp(-ZL))
        down = np.log1p(np.exp(ZL))
    out: ComplexArray = np.where(pos, up, down) - ZL * y
    return out


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
        L = len(dims) - 1
        kps = validation.keep_probs(func, keep_prob, L)[:-1]
        dropping = any(kp < 1.0 for kp in kps)
        if masks is not None:
            try:
                _, cache = network.forward(P, Xa, keep_prob=list(kps) if kps else 1.0,
                                           masks=masks)
            except (TypeError, ValueError) as err:
                raise type(err)(f"{func}: {err}") from err
            fixed = cache.masks[:-1]
        elif dropping:
            gen = validation.generator(
                func, rng, "rng (needed to draw the dropout masks, held fixed, when keep_prob < 1)"
            )
            _, cache = network.forward(P, Xa, keep_prob=list(kps), rng=gen)
            fixed = cache.masks[:-1]
        else:
            fixed = tuple(None for _ in kps)
        own = tuple(None if D is None else D.copy() for D in fixed)
        layout = ParamLayout.course(dims)
        obj = cls(layout=layout, X=Xa.copy(), Y=Ya.copy(), lambd=lam, keep_probs=kps, masks=own)
        return obj, layout.to_vector(P)

    @property
    def m(self) -> int:
        """The number of examples."""
        return int(self.X.shape[1])

    def network_masks(self) -> list[BoolArray | None]:
        """The masks in the form :func:`refnn.network.forward` takes."""
        return list(self.masks)

    def _keep_prob_arg(self) -> float | list[float]:
        return list(self.keep_probs) if self.keep_probs else 1.0

    def cost(self, theta: FloatArray) -> float:
        """``J(θ)`` through :func:`refnn.network.forward` (the reference evaluation)."""
        value, _ = self.cost_and_z(theta)
        return value

    def cost_and_z(self, theta: FloatArray) -> tuple[float, list[FloatArray]]:
        """``J(θ)`` and ``[Z[1], …, Z[L]]`` through :func:`refnn.network.forward`."""
        P = self.layout.to_params(theta)
        _, cache = network.forward(P, self.X, keep_prob=self._keep_prob_arg(),
                                   masks=self.network_masks())
        ZL = cache.layers[-1].Z
        J = refnn_cost.cross_entropy_from_logits(ZL, self.Y)
        if self.lambd != 0.0:
            J = J + refnn_cost.l2_penalty(P, self.lambd, self.m)
        return J, [layer.Z for layer in cache.layers]

    def analytic_gradient(self, theta: FloatArray) -> FloatArray:
        """``∇J(θ)`` from :func:`refnn.network.backward` (with the same masks), as a vector."""
        P = self.layout.to_params(theta)
        _, cache = network.forward(P, self.X, keep_prob=self._keep_prob_arg(),
                                   masks=self.network_masks())
        return self.layout.grads_to_vector(network.backward(P, cache, self.Y, lambd=self.lambd))

    def weights(self, theta: FloatArray) -> tuple[list[FloatArray], list[FloatArray]]:
        """``([W1, …, WL], [b1, …, bL])`` (index ``l − 1``) from ``θ``."""
        P = self.layout.to_params(theta)
        L = self.layout.n_layers
        return [P[f"W{l}"] for l in range(1, L + 1)], [P[f"b{l}"] for l in range(1, L + 1)]

    def penalty(self, Ws: Sequence[FloatArray]) -> float:
        """``λ/(2m) Σ‖W[l]‖²`` computed as :func:`refnn.cost.l2_penalty` does."""
        if self.lambd == 0.0:
            return 0.0
        total = 0.0
        for W in Ws:
            total = total + np.sum(np.square(W))
        return float((1.0 / self.m) * (self.lambd / 2) * total)

    def forward_pass(self, theta: FloatArray) -> Pass:
        """The plain forward pass at ``θ`` (no argument checks; same arithmetic as refnn.network)."""
        Ws, bs = self.weights(theta)
        return self.forward_weights(Ws, bs)

    def forward_weights(self, Ws: Sequence[FloatArray], bs: Sequence[FloatArray]) -> Pass:
        """:meth:`forward_pass` from the weight lists."""
        L = len(Ws)
        Zs: list[FloatArray] = [np.empty((0, 0))]
        As: list[FloatArray] = [self.X]
        A = self.X
        for l in range(1, L + 1):
            Z = np.dot(Ws[l - 1], A) + bs[l - 1]
            Zs.append(Z)
            if l == L:
                break
            A = np.maximum(0, Z)
            D = self.masks[l - 1]
            if D is not None:
                A = A * D
                A = A / self.keep_probs[l - 1]
            As.append(A)
        losses = example_losses(Zs[L][0], self.Y[0])
        J = float(np.mean(losses)) + self.penalty(Ws)
        return Pass(Z=Zs, A=As, losses=losses, cost=J)

    def complex_cost(self, theta: ComplexArray) -> tuple[complex, bool]:
        """``J(θ)`` for complex ``θ`` and whether a kink was met (a hidden ``Z`` entry with
        ``Re Z == 0`` and ``Im Z ≠ 0``, where the complex step gives a one-sided derivative)."""
        L = self.layout.n_layers
        A: NDArray[np.complex128] = self.X.astype(np.complex128)
        sq = 0j
        kink = False
        for blk in self.layout.blocks:
            if blk.is_weight:
                W = np.reshape(theta[blk.start:blk.stop], blk.shape, order=self.layout.order)
                sq = sq + np.sum(W * W)
        for l in range(1, L + 1):
            bw = self.layout.block(f"W{l}")
            bb = self.layout.block(f"b{l}")
            W = np.reshape(theta[bw.start:bw.stop], bw.shape, order=self.layout.order)
            b = np.reshape(theta[bb.start:bb.stop], bb.shape, order=self.layout.order)
            Z = np.dot(W, A) + b
            if l == L:
                losses = complex_example_losses(Z[0], self.Y[0])
                J = complex(np.mean(losses))
                if self.lambd != 0.0:
                    J = J + complex((1.0 / self.m) * (self.lambd / 2) * sq)
                return J, kink
            D = self.masks[l - 1]
            live = (Z.real == 0) & (Z.imag != 0)
            if D is not None:
                live = live & D
            kink = kink or bool(np.any(live))
            A = np.where(Z.real > 0, Z, 0)
            if D is not None:
                A = A * D
                A = A / self.keep_probs[l - 1]
        raise AssertionError("unreachable")  # pragma: no cover
