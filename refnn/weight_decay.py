"""L2 regularization vs weight decay, one optimizer step (docs/SPEC.md, WD-1 … WD-5).

The lecture's identity — under gradient descent the L2 term *is* weight decay::

    W ← W − α(dW + (λ/m)·W) = (1 − αλ/m)·W − α·dW,      b ← b − α·db

holds for gradient descent only. Under Adam the two ways of adding λ differ:

* ``decay="l2"`` (coupled): the L2 gradient ``(λ/m)·W`` is added to ``dW`` *before* the optimizer,
  so Adam's moments see it and rescale it per coordinate;
* ``decay="decoupled"`` (AdamW, Loshchilov & Hutter): the optimizer steps on ``dW`` alone and the
  weights are shrunk by ``α(λ/m)·W`` beside it.

The biases are never penalized nor decayed. :func:`optimizer_step` is the one mechanism; the
three protocol functions (docs/TARGET.md) are its presets. Each takes the *cross-entropy*
gradients ``grads`` (``dW[l]``, ``db[l]`` of the unregularized cost, shapes of ``W[l]: (n[l],
n[l−1])``, ``b[l]: (n[l], 1)``) and returns new arrays (the caller's are untouched). Adam is one
step from a fresh state (``t = 1``, zero moments), β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with the bias
corrections of Kingma & Ba, Algorithm 1: ``W ← W − α·m̂/(√v̂ + ε)``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from refnn.types import Decay as Decay
from refnn.types import FloatArray, Params
from refnn.types import Optimizer as Optimizer

__all__ = ["adam_l2_step", "adamw_step", "optimizer_step", "sgd_weight_decay_step"]


ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-8


def _check(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
           learning_rate: float, lambd: float, m: int) -> list[str]:
    if not isinstance(parameters, Mapping):
        raise TypeError(f"parameters must be a dict of arrays W1, b1, …, got "
                        f"{type(parameters).__name__}")
    if not isinstance(grads, Mapping):
        raise TypeError(f"grads must be a dict of arrays dW1, db1, …, got {type(grads).__name__}")
    keys = [k for k in parameters if k[:1] in ("W", "b") and k[1:].isdigit()]
    if not keys:
        raise ValueError(f"parameters must hold W1, b1, …, got keys {sorted(parameters)}")
    for k in keys:
        if "d" + k not in grads:
            raise ValueError(f"grads must be a dict with a key d{k} (parameters has {k}), got "
                             f"keys {sorted(grads)}")
        p, g = np.shape(parameters[k]), np.shape(grads["d" + k])
        if p != g:
            raise ValueError(f"grads['d{k}'] must have the shape of parameters['{k}'] {p}, got {g}")
    if not np.isfinite(learning_rate) or learning_rate < 0:
        raise ValueError(f"learning_rate must be a finite number ≥ 0, got {learning_rate!r}")
    if not np.isfinite(lambd) or lambd < 0:
        raise ValueError(f"lambd must be a finite number ≥ 0, got {lambd!r}")
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m must be a positive integer (the number of examples), got {m!r}")
    return keys


def optimizer_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                   learning_rate: float, lambd: float, m: int, *, optimizer: Optimizer = "sgd",
                   decay: Decay = "l2") -> Params:
    """One step of ``optimizer`` with L2 strength ``λ`` added as ``decay``.

    With ``c = λ/m`` and ``u(g)`` the optimizer's update direction (``g`` for ``"sgd"``,
    ``m̂/(√v̂ + ε)`` at ``t = 1`` for ``"adam"``, i.e. ``g/(|g| + ε)``):

    * ``decay="l2"``: ``W ← W − α·u(dW + c·W)``;
    * ``decay="decoupled"``: ``W ← W − α·c·W − α·u(dW)``;
    * both: ``b ← b − α·u(db)``.

    For ``"sgd"`` the two are the same step, ``(1 − αc)·W − α·dW`` (WD-1).

    Raises:
        ValueError: a gradient is missing or misshapen, or α, λ, m out of range.
    """
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    if decay not in ("l2", "decoupled"):
        raise ValueError(f"decay must be 'l2' or 'decoupled', got {decay!r}")
    keys = _check(parameters, grads, learning_rate, lambd, m)
    c = lambd / m

    def direction(g: FloatArray) -> FloatArray:
        if optimizer == "sgd":
            return g
        m_hat = (1 - ADAM_BETA1) * g / (1 - ADAM_BETA1)
        v_hat = (1 - ADAM_BETA2) * g * g / (1 - ADAM_BETA2)
        out: FloatArray = m_hat / (np.sqrt(v_hat) + ADAM_EPSILON)
        return out

    new: Params = {}
    for k in keys:
        p = np.asarray(parameters[k], dtype=np.float64)
        g = np.asarray(grads["d" + k], dtype=np.float64)
        if k.startswith("b"):
            new[k] = p - learning_rate * direction(g)
        elif decay == "l2":
            new[k] = p - learning_rate * direction(g + c * p)
        else:
            new[k] = p - learning_rate * c * p - learning_rate * direction(g)
    return new


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """Gradient descent with L2 / weight decay: ``W ← (1 − αλ/m)·W − α·dW``, ``b ← b − α·db``."""
    return optimizer_step(parameters, grads, learning_rate, lambd, m, optimizer="sgd")


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """Adam's first step on the L2-regularized cost: ``W ← W − α·u(dW + (λ/m)·W)``."""
    return optimizer_step(parameters, grads, learning_rate, lambd, m, optimizer="adam",
                          decay="l2")


def adamw_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
               learning_rate: float, lambd: float, m: int) -> Params:
    """AdamW's first step, decay rate λ/m: ``W ← W − α(λ/m)·W − α·u(dW)``."""
    return optimizer_step(parameters, grads, learning_rate, lambd, m, optimizer="adam",
                          decay="decoupled")
