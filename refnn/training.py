"""Batch gradient descent, prediction and accuracy.

One step of gradient descent with learning rate ``α``::

    W[l] ← W[l] − α dW[l],   b[l] ← b[l] − α db[l]

With L2, ``dW[l] = dW_data[l] + (λ/m) W[l]``, so the same step reads

    W[l] ← (1 − αλ/m) W[l] − α dW_data[l]

— the lecture's "weight decay": every step first shrinks the weights by the factor ``1 − αλ/m``.

:func:`train` checks its arguments once and runs the iterations in
:func:`refnn.fast_training.run` (preallocated buffers, :mod:`refnn.kernel` with ``out=``);
:func:`train_reference` is the same loop written the obvious way, on the same kernel functions,
and the tests hold the two to be equal bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from refnn import fast_training, kernel, network, validation
from refnn.cost import run_total_cost
from refnn.fast_training import Monitor
from refnn.init import PRESETS, VarianceScaling, initialize
from refnn.types import (
    BoolArray,
    FloatArray,
    GradsLike,
    InitScheme,
    MaskArray,
    Params,
    ParamsLike,
    RealArrayLike,
    TrainResult,
)


def gradient_step(params: ParamsLike, grads: GradsLike, learning_rate: float) -> Params:
    """One gradient-descent step ``p ← p − α·dp`` for every ``W[l]`` and ``b[l]``; returns a new dict.

    The caller's arrays are not modified.

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.ones((1, 2)), "b1": np.zeros((1, 1))}
        >>> g = {"dW1": np.full((1, 2), 2.0), "db1": np.ones((1, 1))}
        >>> gradient_step(p, g, 0.5)["W1"].tolist()
        [[0.0, 0.0]]
    """
    return run_gradient_step(*check_gradient_step_args("gradient_step", params, grads,
                                                        learning_rate))


def check_gradient_step_args(func: str, params: object, grads: object, learning_rate: object, *,
                             params_name: str = "params"
                             ) -> tuple[Params, dict[str, FloatArray], float]:
    """:func:`gradient_step`'s checks under the name ``func``: ``(P, {"dW1", "db1", …}, α)``."""
    P, dims = validation.params(func, params, params_name)
    alpha = validation.learning_rate(func, learning_rate)
    if not isinstance(grads, Mapping):
        raise validation.fail_type(func, "grads", "a dict with keys dW1, db1, ...", grads)
    validation.no_extra_layers(func, "grads", grads, len(dims) - 1)
    G: dict[str, FloatArray] = {}
    for l in range(1, len(dims)):
        for kind in ("W", "b"):
            key = f"d{kind}{l}"
            if key not in grads:
                raise validation.fail_value(func, "grads", f"a dict with a key {key!r}",
                                            f"keys {sorted(grads)}")
            p = P[f"{kind}{l}"]
            G[key] = validation.float_array(func, f"grads[{key!r}]", grads[key], ndim=2,
                                            shape=p.shape, shape_text=str(p.shape))
    return P, G, alpha


def run_gradient_step(P: Mapping[str, FloatArray], G: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """:func:`gradient_step` on checked arguments (:func:`refnn.kernel.descend` per array)."""
    return {key: kernel.descend(p, G[f"d{key}"], learning_rate) for key, p in P.items()}


@dataclass(frozen=True, slots=True)
class TrainArgs:
    """:func:`train`'s arguments after the one round of checks (what both loops run on)."""

    X: FloatArray
    Y: FloatArray
    params: Params
    keep_probs: tuple[float, ...]
    lambd: float
    learning_rate: float
    num_iterations: int
    rng: np.random.Generator
    masks: list[BoolArray | None] | None


def check_train_args(
    func: str,
    X: object,
    Y: object,
    layer_dims: object,
    rng: object,
    init: InitScheme | VarianceScaling,
    learning_rate: object,
    num_iterations: object,
    lambd: object,
    keep_prob: object,
    params: Mapping[str, object] | None,
    masks: object = None,
    *,
    X_name: str = "X",
    Y_name: str = "Y",
) -> TrainArgs:
    """Check every argument of :func:`train` once, under the name ``func`` (and the caller's names
    for ``X`` and ``Y``); draw the initial weights if ``params`` is None."""
    dims = validation.layer_dims(func, layer_dims)
    if dims[-1] != 1:
        raise validation.fail_value(
            func, "layer_dims", "a list ending in 1 (one sigmoid output for labels Y: (1, m))",
            f"{list(dims)}",
        )
    Xa = validation.float_array(func, X_name, X, ndim=2, shape=(dims[0], None),
                                shape_text="(n_x, m)")
    if Xa.shape[1] == 0:
        raise validation.fail_value(func, X_name, "at least one example (m >= 1)",
                                    f"shape {Xa.shape}")
    y = validation.labels(func, Y_name, Y, Xa.shape[1])
    gen = validation.generator(func, rng)
    alpha = validation.learning_rate(func, learning_rate)
    n_iter = validation.non_negative_int(func, "num_iterations", num_iterations)
    validation.entry_budget(func, "num_iterations", n_iter, " (one recorded cost each)")
    lam = validation.lambd(func, lambd)
    kps = validation.keep_probs(func, keep_prob, len(dims) - 1)
    if not isinstance(init, (str, VarianceScaling)):
        raise validation.fail_type(func, "init", "a preset name or a VarianceScaling", init)
    if isinstance(init, str) and init not in PRESETS:
        raise validation.fail_value(func, "init", f"one of {sorted(PRESETS)}", repr(init))
    if params is None:
        P = initialize(dims, init, rng=gen)
    else:
        P, pdims = validation.params(func, params, name="params")
        if pdims != dims:
            raise validation.fail_value(func, "params", f"parameters for layer_dims {list(dims)}",
                                        f"parameters for {list(pdims)}")
    fixed = None if masks is None else network.check_masks(func, masks, dims, Xa.shape[1], kps)
    return TrainArgs(Xa, y, P, kps, lam, alpha, n_iter, gen, fixed)


def train(
    X: RealArrayLike,
    Y: RealArrayLike,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    init: InitScheme | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: ParamsLike | None = None,
    masks: Sequence[MaskArray | None] | None = None,
) -> TrainResult:
    """Batch gradient descent on ``J = J_CE + λ/(2m) Σ‖W[l]‖²_F`` with optional inverted dropout.

    Each iteration: forward (fresh dropout masks ``rng.random((n[l], m)) < keep_prob[l]`` when
    ``keep_prob < 1``), cost, backward, :func:`gradient_step`. The cost is recorded *before* the
    update, as in the course, with the course's cross-entropy (``nansum``; ``inf`` when an output
    saturates at the wrong label).

    The arguments are checked once; the iterations then run in :func:`refnn.fast_training.run`
    (preallocated buffers). :func:`train_reference` is the same loop written the obvious way;
    the tests hold the two to be equal bit for bit.

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
    a = check_train_args("train", X, Y, layer_dims, rng, init, learning_rate, num_iterations,
                         lambd, keep_prob, params, masks)
    return run_train(a, func="train")


def run_train(a: TrainArgs, *, monitor: Monitor | None = None, func: str = "train"
              ) -> TrainResult:
    """The fast loop (:func:`refnn.fast_training.run`) on checked arguments."""
    return fast_training.run(a.X, a.Y, a.params, keep_probs=a.keep_probs, lambd=a.lambd,
                             learning_rate=a.learning_rate, num_iterations=a.num_iterations,
                             rng=a.rng, fixed_masks=a.masks, monitor=monitor, func=func)


def train_reference(
    X: RealArrayLike,
    Y: RealArrayLike,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    init: InitScheme | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: ParamsLike | None = None,
    masks: Sequence[MaskArray | None] | None = None,
) -> TrainResult:
    """:func:`train` written the obvious way: its specification, and the oracle for its fast loop.

    Same arguments, same result (bit for bit; the tests hold it). Every iteration: masks
    (:func:`refnn.kernel.draw_masks`, or the fixed ones), :func:`refnn.network.run_forward`,
    :func:`refnn.cost.run_total_cost`, :func:`refnn.network.run_backward`,
    :func:`run_gradient_step` — new arrays and dicts each time.
    """
    a = check_train_args("train_reference", X, Y, layer_dims, rng, init, learning_rate,
                         num_iterations, lambd, keep_prob, params, masks)
    return run_train_reference(a, func="train_reference")


def run_train_reference(a: TrainArgs, *, monitor: Monitor | None = None,
                        func: str = "train_reference") -> TrainResult:
    """The readable loop on checked arguments (``monitor`` as in :func:`refnn.fast_training.run`)."""
    P = a.params
    dims = (a.X.shape[0],) + tuple(P[f"W{l}"].shape[0] for l in range(1, len(P) // 2 + 1))
    m = a.X.shape[1]
    costs = np.empty(a.num_iterations)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # as the fast loop
        for i in range(a.num_iterations):
            if a.masks is not None:
                masks = a.masks
            else:
                masks = kernel.draw_masks(a.rng, dims, m, a.keep_probs)
            AL, cache = network.run_forward(P, a.X, masks, a.keep_probs)
            if np.isnan(AL).any():
                raise fast_training.diverged(func, i, "the output A[L] became nan")
            costs[i] = run_total_cost(AL, a.Y, P, a.lambd)
            if monitor is not None and monitor(i, float(costs[i]), P):
                return TrainResult(params={k: v.copy() for k, v in P.items()}, costs=costs[:i + 1])
            grads = network.run_backward(P, cache, a.Y, a.lambd)
            P = run_gradient_step(P, grads, a.learning_rate)
            if not all(np.isfinite(p).all() for p in P.values()):
                raise fast_training.diverged(func, i, "a parameter became inf or nan")
    return TrainResult(params={k: v.copy() for k, v in P.items()}, costs=costs)


def predict(params: ParamsLike, X: RealArrayLike) -> FloatArray:
    """Predicted labels ``1{A[L] > 0.5}`` (no dropout at test time), shape ``(1, m)``, as float 0/1."""
    P, Xa, masks, kps = network.check_forward_args("predict", params, X, 1.0, None, None)
    return _checked_predict("predict", P, Xa)


def _checked_predict(func: str, P: Params, X: FloatArray) -> FloatArray:
    """:func:`run_predict`, refusing a pass whose ``Z[l]`` overflowed (names ``func``)."""
    L = len(P) // 2
    with np.errstate(over="ignore", invalid="ignore"):
        AL, cache = network.run_forward(P, X, [None] * (L - 1), (1.0,) * L)
    network.check_finite_pass(func, [layer.Z for layer in cache.layers])
    return (AL > 0.5).astype(np.float64)


def run_predict(P: Params, X: FloatArray) -> FloatArray:
    """:func:`predict` on checked arguments."""
    L = len(P) // 2
    AL, _ = network.run_forward(P, X, [None] * (L - 1), (1.0,) * L)
    return (AL > 0.5).astype(np.float64)


def accuracy(params: ParamsLike, X: RealArrayLike, Y: RealArrayLike) -> float:
    """The fraction of examples whose prediction equals the label."""
    P, Xa, _, _ = network.check_forward_args("accuracy", params, X, 1.0, None, None)
    network.check_single_output("accuracy", tuple([Xa.shape[0]] + [P[f"b{l}"].shape[0]
                                                                   for l in range(1, len(P) // 2 + 1)]))
    y = validation.labels("accuracy", "Y", Y, Xa.shape[1])
    return float(np.mean(_checked_predict("accuracy", P, Xa) == y))
