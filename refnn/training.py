"""Batch gradient descent, prediction and accuracy.

One step of gradient descent with learning rate ``α``::

    W[l] ← W[l] − α dW[l],   b[l] ← b[l] − α db[l]

With L2, ``dW[l] = dW_data[l] + (λ/m) W[l]``, so the same step reads

    W[l] ← (1 − αλ/m) W[l] − α dW_data[l]

— the lecture's "weight decay": every step first shrinks the weights by the factor ``1 − αλ/m``.

:func:`train` checks its arguments once and runs the iterations in
:func:`refnn.fast_training.train_fused` (preallocated buffers, a few fused numpy calls per layer);
``_train_reference`` is the same loop written the obvious way, and the tests hold the two to
``1e-12`` relative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.cost import total_cost
from refnn.fast_training import train_fused
from refnn.init import PRESETS, VarianceScaling, initialize
from refnn.network import backward, check_masks, forward
from refnn.types import FloatArray, Params, TrainResult


def gradient_step(params: Mapping[str, object], grads: Mapping[str, object],
                  learning_rate: float) -> Params:
    """One gradient-descent step ``p ← p − α·dp`` for every ``W[l]`` and ``b[l]``; returns a new dict.

    The caller's arrays are not modified.

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
        >>> g = {"dW1": np.full((1, 2), 2.0), "db1": np.ones((1, 1))}
        >>> gradient_step(p, g, 0.5)["W1"].tolist()
        [[0.0, 0.0]]
    """
    func = "gradient_step"
    P, dims = validation.params(func, params)
    alpha = validation.learning_rate(func, learning_rate)
    if not isinstance(grads, Mapping):
        raise validation.fail_type(func, "grads", "a dict with keys dW1, db1, ...", grads)
    out: Params = {}
    for l in range(1, len(dims)):
        for kind in ("W", "b"):
            key = f"d{kind}{l}"
            if key not in grads:
                raise validation.fail_value(func, "grads", f"a key {key!r}", f"keys {sorted(grads)}")
            p = P[f"{kind}{l}"]
            g = validation.float_array(func, f"grads[{key!r}]", grads[key], ndim=2,
                                       shape=p.shape, shape_text=str(p.shape))
            out[f"{kind}{l}"] = p - alpha * g
    return out


@dataclass(frozen=True, slots=True)
class _TrainArgs:
    """``train``'s arguments after the one round of checks both loops share."""

    X: FloatArray
    Y: FloatArray
    params: Params
    keep_probs: tuple[float, ...]
    lambd: float
    learning_rate: float
    num_iterations: int
    rng: np.random.Generator


def _check_train_args(
    func: str,
    X: object,
    Y: object,
    layer_dims: object,
    rng: object,
    init: object,
    learning_rate: object,
    num_iterations: object,
    lambd: object,
    keep_prob: object,
    params: Mapping[str, object] | None,
) -> _TrainArgs:
    """Check every argument of :func:`train` once; draw the initial weights if ``params`` is None."""
    dims = validation.layer_dims(func, layer_dims)
    if dims[-1] != 1:
        raise validation.fail_value(
            func, "layer_dims", "a list ending in 1 (one sigmoid output for labels Y: (1, m))",
            f"{list(dims)}",
        )
    Xa = validation.float_array(func, "X", X, ndim=2, shape=(dims[0], None), shape_text="(n_x, m)")
    if Xa.shape[1] == 0:
        raise validation.fail_value(func, "X", "at least one example (m >= 1)", f"shape {Xa.shape}")
    y = validation.labels(func, "Y", Y, Xa.shape[1])
    gen = validation.generator(func, rng)
    alpha = validation.learning_rate(func, learning_rate)
    n_iter = validation.non_negative_int(func, "num_iterations", num_iterations)
    lam = validation.lambd(func, lambd)
    kps = validation.keep_probs(func, keep_prob, len(dims) - 1)
    if params is None:
        if not isinstance(init, (str, VarianceScaling)):
            raise validation.fail_type(func, "init", "a preset name or a VarianceScaling", init)
        if isinstance(init, str) and init not in PRESETS:
            raise validation.fail_value(func, "init", f"one of {sorted(PRESETS)}", repr(init))
        P = initialize(dims, init, rng=gen)
    else:
        P, pdims = validation.params(func, params, name="params")
        if pdims != dims:
            raise validation.fail_value(func, "params", f"parameters for layer_dims {list(dims)}",
                                        f"parameters for {list(pdims)}")
    return _TrainArgs(Xa, y, P, kps, lam, alpha, n_iter, gen)


def train(
    X: object,
    Y: object,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    init: str | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: Mapping[str, object] | None = None,
    masks: Sequence[object] | None = None,
) -> TrainResult:
    """Batch gradient descent on ``J = J_CE + λ/(2m) Σ‖W[l]‖²_F`` with optional inverted dropout.

    Each iteration: forward (fresh dropout masks ``rng.random((n[l], m)) < keep_prob[l]`` when
    ``keep_prob < 1``), cost, backward, :func:`gradient_step`. The cost is recorded *before* the
    update, as in the course, with the course's cross-entropy (``nansum``; ``inf`` when an output
    saturates at the wrong label).

    The arguments are checked once; the iterations then run in
    :func:`refnn.fast_training.train_fused` (preallocated buffers, fused numpy calls). The obvious
    loop over :func:`~refnn.network.forward`, :func:`~refnn.cost.total_cost`,
    :func:`~refnn.network.backward` and :func:`gradient_step` is kept as ``_train_reference``, the
    oracle the tests hold the fast loop to (``1e-12`` relative).

    Args:
        X: ``(n_x, m)``; Y: ``(1, m)`` labels in {0, 1}. Neither is modified.
        layer_dims: ``[n_x, n[1], …, n[L]]`` with ``n_x`` matching ``X`` and ``n[L] = 1``.
        rng: the generator for the initial weights and the dropout masks (numpy's global random
            state is neither used nor changed).
        init: the initialization preset (see :mod:`refnn.init`); ignored when ``params`` is given.
        learning_rate: ``α > 0``. num_iterations: ``≥ 0``.
        lambd: L2 strength ``λ ≥ 0``. keep_prob: dropout keep probability in ``(0, 1]`` (scalar or
            one per hidden layer).
        params: start from these parameters instead of initializing (not modified).
        masks: hold these dropout masks (one per hidden layer, ``None`` where ``keep_prob = 1``)
            fixed in every iteration instead of drawing fresh ones. This is *not* dropout as the
            lecture teaches it; it exists to re-create the course's dropout model, which reseeds
            its mask stream at every call and so reuses one set of masks for all iterations.

    Returns:
        :class:`~refnn.types.TrainResult` with the final parameters (new arrays) and the cost of
        every iteration.

    Raises:
        TypeError, ValueError: bad arguments (see :mod:`refnn.validation`).
        ValueError: gradient descent diverged (a parameter became inf/nan, or ``A[L]`` nan).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.standard_normal((2, 40)); Y = (X[0:1] > 0).astype(float)
        >>> r = train(X, Y, [2, 5, 1], rng=rng, learning_rate=0.5, num_iterations=200)
        >>> bool(r.costs[-1] < r.costs[0]), accuracy(r.params, X, Y) > 0.9
        (True, True)
    """
    a = _check_train_args("train", X, Y, layer_dims, rng, init, learning_rate, num_iterations,
                          lambd, keep_prob, params)
    fixed = None
    if masks is not None:
        dims = (a.X.shape[0],) + tuple(a.params[f"W{l}"].shape[0]
                                      for l in range(1, len(a.params) // 2 + 1))
        fixed = check_masks("train", masks, dims, a.X.shape[1], a.keep_probs)
    return train_fused(a.X, a.Y, a.params, keep_probs=a.keep_probs, lambd=a.lambd,
                       learning_rate=a.learning_rate, num_iterations=a.num_iterations, rng=a.rng,
                       fixed_masks=fixed)


def _train_reference(
    X: object,
    Y: object,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    init: str | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: Mapping[str, object] | None = None,
    masks: Sequence[object] | None = None,
) -> TrainResult:
    """The obvious loop: :func:`train`'s specification, and the oracle for its fast loop."""
    a = _check_train_args("train", X, Y, layer_dims, rng, init, learning_rate, num_iterations,
                          lambd, keep_prob, params)
    P = a.params
    costs = np.empty(a.num_iterations)
    for i in range(a.num_iterations):
        if masks is not None:
            AL, cache = forward(P, a.X, keep_prob=keep_prob, masks=masks)
        else:
            AL, cache = forward(P, a.X, keep_prob=keep_prob, rng=a.rng)
        costs[i] = total_cost(AL, a.Y, P, a.lambd)
        grads = backward(P, cache, a.Y, lambd=a.lambd)
        P = gradient_step(P, grads, a.learning_rate)
    return TrainResult(params=P, costs=costs)


def predict(params: Mapping[str, object], X: object) -> FloatArray:
    """Predicted labels ``1{A[L] > 0.5}`` (no dropout at test time), shape ``(1, m)``, as float 0/1."""
    AL, _ = forward(params, X)
    return (AL > 0.5).astype(np.float64)


def accuracy(params: Mapping[str, object], X: object, Y: object) -> float:
    """The fraction of examples whose prediction equals the label."""
    p = predict(params, X)
    y = validation.labels("accuracy", "Y", Y, p.shape[1])
    return float(np.mean(p == y))
