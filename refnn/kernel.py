"""The network's arithmetic, in one place and unchecked: every other module calls these functions.

``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID`` with inverted dropout, for ``l = 1..L`` and
``A[0] = X: (n_x, m)``::

    Z[l] = W[l] A[l−1] + b[l]                    affine              (n[l], m)
    A[l] = relu(Z[l]) · D[l] / keep_prob[l]      hidden layers       D[l] ∈ {0, 1}, None = no dropout
    A[L] = σ(Z[L]) = 1 / (1 + e^{−Z[L]})         output layer

Costs, with labels ``Y ∈ {0, 1}: (1, m)``::

    ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})       cross-entropy of σ(z) from the logit (stable)
    J_CE    = (1/m) Σ_k ℓ(Z[L]_k, y_k)
    J_L2    = λ/(2m) · Σ_l ‖W[l]‖²_F
    m·∂J_CE/∂Z[L] = A[L] − Y

Backward (the ``1/m`` of ``∂J/∂Z[L] = (A[L] − Y)/m`` is applied on ``dW``/``db``, the course's
placement, so that ``dZ[L] = A[L] − Y`` as its gradient dicts hold)::

    dW[l]   = (1/m) dZ[l] A[l−1]ᵀ + (λ/m) W[l]        db[l] = (1/m) Σ_k dZ[l]_{:, k}
    dA[l−1] = W[l]ᵀ dZ[l] · D[l−1] / keep_prob[l−1]   dZ[l−1] = dA[l−1] · 1{A[l−1] > 0}

Conventions:

* **No checks.** Arguments are trusted; the public functions that call in here
  (:mod:`refnn.network`, :mod:`refnn.cost`, :mod:`refnn.training`, :mod:`refnn.gradcheck`,
  :mod:`refnn.course`) validate once, naming themselves.
* **No floating-point error state** is set here (``np.errstate`` costs microseconds, which the
  fused training loop cannot spend per call); callers that want silence set it once around.
* **``out=``**: the elementwise steps take an optional output buffer. Called without one they
  return new arrays — the readable path; the fused training loop passes preallocated buffers. The
  operations and their order are the same either way, so the two paths agree bit for bit.
* **Real and complex.** The forward pass, :func:`logit_losses`, :func:`network_cost` and the L2 sum
  accept complex arrays (the gradient check's complex step) with formulas analytic in ``Z`` on each
  side of the kink: ``relu(z) = z if Re z > 0 else 0``, ``|z| → z if Re z > 0 else −z``. On real
  input they are exactly the real formulas. The backward pass is real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from refnn.types import BoolArray, FloatArray

S = TypeVar("S", bound=np.inexact[Any])
"""float64 on the readable and fast paths, complex128 for the complex step."""

Mask: TypeAlias = BoolArray | None
"""A dropout mask ``D[l]`` (``True`` = kept), or ``None`` for a layer without dropout."""


# --------------------------------------------------------------------------------- forward steps

def affine(W: NDArray[S], A_prev: NDArray[Any], b: NDArray[S],
           out: NDArray[S] | None = None) -> NDArray[S]:
    """``Z = W A_prev + b``: ``W: (n, n_prev)``, ``A_prev: (n_prev, m)``, ``b: (n, 1)`` → ``(n, m)``."""
    Z: NDArray[S] = np.dot(W, A_prev, out)
    np.add(Z, b, out=Z)
    return Z


def relu(Z: NDArray[S], out: NDArray[S] | None = None) -> NDArray[S]:
    """``max(0, Z)``; for complex ``Z``, ``Z`` where ``Re Z > 0`` and ``0`` elsewhere."""
    if Z.dtype.kind == "c":
        return np.where(Z.real > 0, Z, 0)
    A: NDArray[S] = np.maximum(0, Z, out=out)
    return A


def dropout(A: NDArray[S], D: BoolArray, keep_prob: float,
            out: NDArray[S] | None = None) -> NDArray[S]:
    """Inverted dropout ``A · D / keep_prob`` (multiply first, then divide). Also the backward step
    ``dA · D / keep_prob``."""
    kept: NDArray[S] = np.multiply(A, D, out=out)
    np.divide(kept, keep_prob, out=kept)
    return kept


def sigmoid(Z: NDArray[S], out: NDArray[S] | None = None) -> NDArray[S]:
    """``1 / (1 + e^{−Z})`` in four steps (the course's formula; saturates to exactly 0 or 1).
    ``e^{−Z}`` may overflow to ``inf`` (σ = 0); set ``np.errstate(over="ignore")`` around."""
    s: NDArray[S] = np.negative(Z, out=out)
    np.exp(s, out=s)
    np.add(1, s, out=s)
    np.divide(1, s, out=s)
    return s


def draw_mask(rng: np.random.Generator, keep_prob: float, shape: tuple[int, int],
              out: BoolArray | None = None, draws: FloatArray | None = None) -> BoolArray:
    """``D = U < keep_prob`` with ``U = rng.random(shape)`` (into ``draws``/``out`` if given)."""
    if out is None:
        fresh: BoolArray = rng.random(shape) < keep_prob
        return fresh
    assert draws is not None
    rng.random(out=draws)
    np.less(draws, keep_prob, out=out)
    return out


def draw_masks(rng: np.random.Generator, dims: Sequence[int], m: int,
               keep_probs: Sequence[float]) -> list[Mask]:
    """One mask per hidden layer ``1..L−1``, drawn layer by layer (``None`` where keep_prob = 1)."""
    return [draw_mask(rng, keep_probs[l - 1], (dims[l], m)) if keep_probs[l - 1] < 1.0 else None
            for l in range(1, len(dims) - 1)]


@dataclass(frozen=True, slots=True)
class Pass:
    """One forward pass without the output's sigmoid.

    Attributes:
        Z: ``[Z[1], …, Z[L]]`` (``Z[l]`` at index ``l − 1``).
        A: ``[A[0] = X, A[1], …, A[L−1]]`` (after dropout), index ``l``.
    """

    Z: list[NDArray[Any]]
    A: list[NDArray[Any]]

    @property
    def ZL(self) -> NDArray[Any]:
        """The logits ``Z[L]``."""
        return self.Z[-1]


def forward(Ws: Sequence[NDArray[Any]], bs: Sequence[NDArray[Any]], X: NDArray[Any],
            masks: Sequence[Mask], keep_probs: Sequence[float]) -> Pass:
    """``Z[l]`` and ``A[l]`` for every layer (module docstring); ``σ(Z[L])`` is left to the caller.

    ``masks[l−1]``, ``keep_probs[l−1]`` for the hidden layers ``l = 1..L−1`` (extra entries are
    ignored). Real or complex.
    """
    L = len(Ws)
    Zs: list[NDArray[Any]] = []
    As: list[NDArray[Any]] = [X]
    A = X
    for l in range(1, L + 1):
        Z = affine(Ws[l - 1], A, bs[l - 1])
        Zs.append(Z)
        if l == L:
            break
        A = relu(Z)
        D = masks[l - 1]
        if D is not None:
            A = dropout(A, D, keep_probs[l - 1], out=A)
        As.append(A)
    return Pass(Z=Zs, A=As)


# ------------------------------------------------------------------------------------- the costs

def _analytic_abs(Z: NDArray[S]) -> NDArray[S]:
    if Z.dtype.kind == "c":
        return np.where(Z.real > 0, Z, -Z)
    out: NDArray[S] = np.abs(Z)
    return out


def logit_losses(ZL: NDArray[S], Y: NDArray[Any]) -> NDArray[S]:
    """``ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|})`` elementwise: the cross-entropy of ``σ(z)``
    computed from the logit, never overflowing. Analytic in ``z`` for complex input."""
    losses: NDArray[S] = relu(ZL) - ZL * Y + np.log1p(np.exp(-_analytic_abs(ZL)))
    return losses


def finite_mean(values: FloatArray) -> float:
    """``(1/m) Σ_k v_k``; where the plain sum of finite values overflows, ``s · mean(v / s)`` with
    ``s = max |v|`` (the mean of finite numbers is finite: it lies between their min and max)."""
    with np.errstate(over="ignore"):
        mean = float(np.mean(values))
    if np.isfinite(mean) or not np.isfinite(values).all():
        return mean
    s = float(np.max(np.abs(values)))
    return s * float(np.mean(values / s))


def l2_sum(Ws: Sequence[NDArray[Any]]) -> Any:
    """``Σ_l ‖W[l]‖²_F = Σ_l Σ W[l]²`` (``W·W``, not ``|W|²``: analytic for complex ``W``)."""
    total: Any = 0.0
    for W in Ws:
        total = total + np.add.reduce(np.multiply(W, W), axis=None)
    return total


def l2_cost(Ws: Sequence[NDArray[Any]], lambd: float, m: int) -> Any:
    """``J_L2 = (1/m)·(λ/2)·Σ_l ‖W[l]‖²_F``, computed in that order (the course's)."""
    return (1.0 / m) * (lambd / 2) * l2_sum(Ws)


def network_cost(ZL: NDArray[Any], Y: NDArray[Any], Ws: Sequence[NDArray[Any]],
                 lambd: float) -> Any:
    """``J = mean_k ℓ(Z[L]_k, y_k) + λ/(2m) Σ‖W‖²`` (no L2 term when ``λ = 0``); real or complex.

    What the gradient check differentiates; with the masks of :func:`forward` held fixed,
    :func:`backward` is its exact gradient.
    """
    J: Any = np.mean(logit_losses(ZL, Y))
    if lambd != 0.0:
        J = J + l2_cost(Ws, lambd, ZL.shape[1])
    return J


def output_cross_entropy(AL: FloatArray, Y: FloatArray, out: FloatArray | None = None) -> float:
    """The cross-entropy from the output ``A[L] = σ(Z[L])``: ``−(1/m) Σ_k log t_k``, ``t = |A − (1 − Y)|``.

    With ``Y ∈ {0, 1}`` this is the textbook ``−(1/m) Σ [y log a + (1 − y) log(1 − a)]`` with the
    ``0·log 0`` terms dropped (the course's ``nansum``), term for term the same logs of the same
    numbers: one log per example (``t = a`` where ``y = 1``, ``t = 1 − a`` where ``y = 0``). An output
    saturated at the wrong label gives ``log 0`` and ``inf`` (the course's random×10 run starts
    there); :func:`logit_losses` is the finite alternative. Needs ``np.errstate(divide="ignore")``
    to be silent. ``out``: a ``(1, m)`` scratch buffer.
    """
    t = np.subtract(1.0, Y, out=out)
    np.subtract(AL, t, out=t)
    np.absolute(t, out=t)
    np.log(t, out=t)
    return float(0.0 - (1.0 / AL.shape[1]) * np.add.reduce(t, axis=None))


def output_delta(AL: FloatArray, Y: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``dZ[L] = A[L] − Y = m·∂J_CE/∂Z[L]`` (the ``1/m`` is applied on ``dW``/``db``)."""
    d: FloatArray = np.subtract(AL, Y, out=out)
    return d


# ------------------------------------------------------------------------------------ backward steps

def gradient_sums(dZ: FloatArray, A_prev: FloatArray, dW: FloatArray | None = None,
                  db: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """The sums over examples ``dZ A_prevᵀ: (n, n_prev)`` and ``Σ_k dZ_{:, k}: (n, 1)`` (not yet
    divided by ``m``)."""
    sW: FloatArray = np.dot(dZ, A_prev.T, dW)
    sb: FloatArray = np.add.reduce(dZ, axis=1, keepdims=True, out=db)
    return sW, sb


def mean_over_examples(s: FloatArray, m: int, out: FloatArray | None = None) -> FloatArray:
    """``(1/m)·s``."""
    r: FloatArray = np.multiply(s, 1.0 / m, out=out)
    return r


def add_l2_gradient(dW: FloatArray, W: FloatArray, lambd: float | FloatArray, m: int,
                    out: FloatArray | None = None, work: FloatArray | None = None) -> FloatArray:
    """``dW + (λ·W)/m`` (``λ`` may be an array: per-entry strengths, 0 on the biases of a flat θ)."""
    decay: FloatArray = np.multiply(W, lambd, out=work)
    np.divide(decay, m, out=decay)
    r: FloatArray = np.add(dW, decay, out=out)
    return r


def back_affine(W: FloatArray, dZ: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """``dA_prev = Wᵀ dZ``."""
    dA: FloatArray = np.dot(W.T, dZ, out)
    return dA


def relu_backward(dA: FloatArray, A: FloatArray, out: FloatArray | None = None,
                  positive: BoolArray | None = None) -> FloatArray:
    """``dZ = dA · 1{A > 0}`` (``A`` after dropout: a dropped unit has ``A = 0``)."""
    pos = np.greater(A, 0, out=positive)
    dZ: FloatArray = np.multiply(dA, pos, out=out)
    return dZ


@dataclass(frozen=True, slots=True)
class LayerGrads:
    """The gradients of layer ``l``: ``dZ[l]``, ``dW[l]``, ``db[l]`` and ``dA[l]`` (after dropout's
    mask and scaling; ``None`` for the output layer)."""

    dZ: FloatArray
    dW: FloatArray
    db: FloatArray
    dA: FloatArray | None


def backward(Ws: Sequence[FloatArray], fwd: Pass, masks: Sequence[Mask],
             keep_probs: Sequence[float], dZL: FloatArray, lambd: float) -> list[LayerGrads]:
    """The gradients of ``J_CE + J_L2`` for the pass ``fwd`` (module docstring); ``[layer 1, …, L]``.

    ``dZL = A[L] − Y`` (:func:`output_delta`); ``masks``/``keep_probs`` as given to :func:`forward`.
    """
    L = len(Ws)
    m = dZL.shape[1]
    out: list[LayerGrads] = []
    dZ = dZL
    dA: FloatArray | None = None
    for l in range(L, 0, -1):
        W = Ws[l - 1]
        sW, sb = gradient_sums(dZ, fwd.A[l - 1])
        dW = mean_over_examples(sW, m, out=sW)
        if lambd != 0.0:
            dW = add_l2_gradient(dW, W, lambd, m, out=dW)
        db = mean_over_examples(sb, m, out=sb)
        out.append(LayerGrads(dZ=dZ, dW=dW, db=db, dA=dA))
        if l == 1:
            break
        dA = back_affine(W, dZ)
        D = masks[l - 2]
        if D is not None:
            dA = dropout(dA, D, keep_probs[l - 2], out=dA)
        dZ = relu_backward(dA, fwd.A[l - 1])
    out.reverse()
    return out


def descend(p: FloatArray, g: FloatArray, learning_rate: float, out: FloatArray | None = None,
            work: FloatArray | None = None) -> FloatArray:
    """One gradient-descent step ``p − α·g`` (``α·g`` formed first, into ``work`` if given)."""
    step = np.multiply(g, learning_rate, out=work)
    r: FloatArray = np.subtract(p, step, out=out)
    return r
