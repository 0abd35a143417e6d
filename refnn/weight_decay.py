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

from refnn import validation
from refnn.types import Decay as Decay
from refnn.types import FloatArray, Params
from refnn.types import Optimizer as Optimizer

__all__ = ["adam_l2_step", "adamw_step", "optimizer_step", "sgd_weight_decay_step"]


ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-8


def _check(func: str, parameters: object, grads: object, learning_rate: object, lambd: object,
           m: object) -> tuple[Params, dict[str, FloatArray], float, float, int]:
    """The doors' checks, under the name ``func``: ``(P, {"dW1", …}, α, λ, m)``."""
    P, dims = validation.params(func, parameters, "parameters")
    if not isinstance(grads, Mapping):
        raise validation.fail_type(func, "grads", "a dict with keys dW1, db1, ...", grads)
    validation.no_extra_layers(func, "grads", grads, len(dims) - 1)
    G: dict[str, FloatArray] = {}
    for k, p in P.items():
        if "d" + k not in grads:
            raise validation.fail_value(func, "grads", f"a dict with a key 'd{k}' (parameters "
                                        f"has {k})", f"keys {sorted(map(str, grads))}")
        G["d" + k] = validation.float_array(func, f"grads['d{k}']", grads["d" + k], ndim=2,
                                            shape=p.shape, shape_text=f"{p.shape} like {k}")
    alpha = validation.real(func, "learning_rate", learning_rate, low=0.0, range_text=">= 0")
    lam = validation.lambd(func, lambd)
    n = validation.positive_int(func, "m", m)
    return P, G, alpha, lam, n


def _step(func: str, parameters: object, grads: object, learning_rate: object, lambd: object,
          m: object, optimizer: object, decay: object) -> Params:
    if optimizer not in ("sgd", "adam"):
        raise validation.fail_value(func, "optimizer", "'sgd' or 'adam'", repr(optimizer))
    if decay not in ("l2", "decoupled"):
        raise validation.fail_value(func, "decay", "'l2' or 'decoupled'", repr(decay))
    P, G, alpha, lam, n = _check(func, parameters, grads, learning_rate, lambd, m)
    c = lam / n

    def direction(g: FloatArray) -> FloatArray:
        if optimizer == "sgd":
            return g
        with np.errstate(over="ignore", under="ignore"):
            m_hat = (1 - ADAM_BETA1) * g / (1 - ADAM_BETA1)
            v_hat = (1 - ADAM_BETA2) * g * g / (1 - ADAM_BETA2)
        root = np.sqrt(v_hat)
        # √v̂ = |g| at t = 1; where g² over/underflows, use |g| itself (the same number).
        root = np.where(np.isfinite(v_hat) & ((v_hat > 0) | (g == 0)), root, np.abs(g))
        out: FloatArray = m_hat / (root + ADAM_EPSILON)
        return out

    new: Params = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for k, p in P.items():
            g = G["d" + k]
            if k.startswith("b"):
                new[k] = p - alpha * direction(g)
            elif decay == "l2":
                new[k] = p - alpha * direction(g + c * p)
            else:
                new[k] = p - alpha * c * p - alpha * direction(g)
    for k, v in new.items():
        if not np.isfinite(v).all():
            raise validation.fail_value(func, "parameters' and 'grads", f"values whose step "
                                        f"leaves {k} representable in float64", "an overflow")
    return new


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
    return _step("optimizer_step", parameters, grads, learning_rate, lambd, m, optimizer, decay)


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """Gradient descent with L2 / weight decay: ``W ← (1 − αλ/m)·W − α·dW``, ``b ← b − α·db``."""
    return _step("sgd_weight_decay_step", parameters, grads, learning_rate, lambd, m, "sgd", "l2")


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """Adam's first step on the L2-regularized cost: ``W ← W − α·u(dW + (λ/m)·W)``."""
    return _step("adam_l2_step", parameters, grads, learning_rate, lambd, m, "adam", "l2")


def adamw_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
               learning_rate: float, lambd: float, m: int) -> Params:
    """AdamW's first step, decay rate λ/m: ``W ← W − α(λ/m)·W − α·u(dW)``."""
    return _step("adamw_step", parameters, grads, learning_rate, lambd, m, "adam", "decoupled")
