"""The fast loop behind :func:`refnn.training.train`: the same arithmetic, fewer numpy calls.

:func:`refnn.training._train_reference` is the oracle: every iteration calls
:func:`~refnn.network.forward`, :func:`~refnn.cost.total_cost`, :func:`~refnn.network.backward` and
:func:`~refnn.training.gradient_step`, each of which validates its arguments and builds new arrays
and dicts. :func:`train_fused` runs on arguments that ``train`` has validated once, and

* keeps every ``W[l]``, ``b[l]`` as a view into one flat vector ``θ`` and every ``dW[l]``, ``db[l]``
  as a view into one flat vector ``g``, so the ``1/m`` scaling, the L2 term and the update
  ``θ ← θ − α g`` are one or two numpy calls for the whole network instead of two per array;
* preallocates the ``(n[l], m)`` buffers once and writes into them with ``np.dot(..., out)`` and
  ufuncs with ``out`` (``Z[l]`` becomes ``A[l]`` in place: the backward pass needs only ``A[l]``);
* computes the cross-entropy with one log per example (see :func:`train_fused`).

Each elementwise operation is the one the obvious path performs, in the same order (``(1/m)·x``,
then ``+ (λ W)/m``, then ``θ − α·g``; ``A·D`` then ``/ keep_prob``; ``1 / (1 + e^{−Z})``), so the
two paths agree to rounding — in practice bit for bit; the tests hold them to ``1e-12`` relative.
Dropout masks come from the generator as in :func:`refnn.network.forward`,
``rng.random((n[l], m)) < keep_prob[l]``, layer by layer, so both paths consume the same draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from refnn.types import BoolArray, FloatArray, Params, TrainResult


def _diverged(i: int, what: str) -> ValueError:
    return ValueError(
        f"train: gradient descent diverged at iteration {i}: {what}; "
        "try a smaller 'learning_rate' (the obvious path stops here too, on its argument checks)"
    )


def train_fused(
    X: FloatArray,
    Y: FloatArray,
    params: Params,
    *,
    keep_probs: tuple[float, ...],
    lambd: float,
    learning_rate: float,
    num_iterations: int,
    rng: np.random.Generator,
    fixed_masks: Sequence[BoolArray | None] | None = None,
) -> TrainResult:
    """Batch gradient descent on already validated arguments (see :func:`refnn.training.train`).

    Args:
        X: ``(n_x, m)`` float64; Y: ``(1, m)`` float64 labels in {0, 1}.
        params: ``W1, b1, …, WL, bL`` with chaining shapes and ``n[L] = 1``; not modified.
        keep_probs: one keep probability per layer ``1..L`` (the last is 1.0).
        lambd: ``λ ≥ 0``. learning_rate: ``α > 0``. num_iterations: ``≥ 0``.
        rng: the generator the dropout masks are drawn from.
        fixed_masks: if given, one mask per hidden layer (``None`` where ``keep_prob = 1``) used
            in every iteration instead of fresh draws (already validated).

    The cost of iteration ``i`` is recorded before its update. With ``Y ∈ {0, 1}`` the course's
    ``(1/m)·nansum(−Y log A − (1 − Y) log(1 − A))`` has, per example, exactly one term that is
    not ``0·(…)``, so it equals ``−(1/m)·Σ log t`` with ``t = |A − (1 − Y)|`` (``t = A`` where
    ``y = 1``, ``t = 1 − A`` where ``y = 0``): the same logs of the same numbers, summed in the same
    order. The ``nan`` terms ``nansum`` drops are ``0·log 0``, whose ``t`` is 1 here (log 0 ⇒ 0);
    an output saturated at the wrong label still gives ``log 0`` and a cost of ``inf``.

    Raises:
        ValueError: when a parameter becomes non-finite or ``A[L]`` becomes ``nan`` (divergence).
    """
    L = len(params) // 2
    dims = (X.shape[0],) + tuple(params[f"W{l}"].shape[0] for l in range(1, L + 1))
    m = X.shape[1]
    inv_m = 1.0 / m

    # θ = [W1, b1, W2, b2, …] flat; W[l], b[l] are views into it, dW[l], db[l] views into g.
    total = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, L + 1))
    theta = np.empty(total)
    grad = np.empty(total)
    decay = np.zeros(total)  # λ on the entries of every W[l], 0 on every b[l]
    W: list[FloatArray] = []
    b: list[FloatArray] = []
    dW: list[FloatArray] = []
    db: list[FloatArray] = []
    off = 0
    for l in range(1, L + 1):
        n_out, n_in = dims[l], dims[l - 1]
        for shape, dest, dgrad, key in (((n_out, n_in), W, dW, f"W{l}"), ((n_out, 1), b, db, f"b{l}")):
            size = shape[0] * shape[1]
            view = theta[off:off + size].reshape(shape)
            view[...] = params[key]
            dest.append(view)
            dgrad.append(grad[off:off + size].reshape(shape))
            if key[0] == "W":
                decay[off:off + size] = lambd
            off += size
    decay_tmp = np.empty(total)

    # Per-layer buffers: H[l] holds Z[l] and then A[l] (in place); dZ[l]; dropout R[l] (uniform
    # draws) and D[l]; pos[l] = 1{A[l] > 0} for the ReLU backward.
    H = [np.empty((dims[l], m)) for l in range(1, L + 1)]
    dZ = [np.empty((dims[l], m)) for l in range(1, L + 1)]
    pos = [np.empty((dims[l], m), dtype=np.bool_) for l in range(1, L + 1)]
    drop: list[tuple[FloatArray, BoolArray] | None] = [
        (np.empty((dims[l], m)), np.empty((dims[l], m), dtype=np.bool_))
        if keep_probs[l - 1] < 1.0 else None
        for l in range(1, L + 1)
    ]
    if fixed_masks is not None:
        for k, D in enumerate(fixed_masks):
            slot = drop[k]
            if slot is not None and D is not None:
                slot[1][...] = D
    redraw = fixed_masks is None
    A_in: list[FloatArray] = [X] + H[:-1]  # A[l-1] for l = 1..L
    AL, dZL = H[-1], dZ[-1]
    not_y = 1.0 - Y
    t = np.empty_like(AL)

    # 0-based layer index k = l - 1 below.
    hidden = [(W[k], b[k], H[k], A_in[k], keep_probs[k], drop[k]) for k in range(L - 1)]
    WL, bL, A_L1 = W[-1], b[-1], A_in[-1]
    back_hidden = [  # layers L..2: their own grads, then dZ of the layer below
        (dZ[k], A_in[k].T, dW[k], db[k], W[k].T, dZ[k - 1], H[k - 1], pos[k - 1], drop[k - 1],
         keep_probs[k - 1])
        for k in range(L - 1, 0, -1)
    ]
    dZ1, X_T, dW1, db1 = dZ[0], X.T, dW[0], db[0]
    l2_scale = inv_m * (lambd / 2)

    dot, add, subtract, multiply, divide = np.dot, np.add, np.subtract, np.multiply, np.divide
    maximum, negative, exp, log, absolute, less, greater = (
        np.maximum, np.negative, np.exp, np.log, np.absolute, np.less, np.greater
    )
    reduce_sum = np.add.reduce
    costs = np.empty(num_iterations)
    # e^{−Z} may overflow (σ = 0) and log 0 = −inf: the course's semantics, silently. A nan or inf
    # that would poison the run is not warned about but raised, as ValueError, below.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for i in range(num_iterations):
            # forward
            for Wl, bl, Hl, A_prev, kp, dl in hidden:
                dot(Wl, A_prev, Hl)
                add(Hl, bl, Hl)
                maximum(0, Hl, out=Hl)
                if dl is not None:
                    Rl, Dl = dl
                    if redraw:
                        rng.random(out=Rl)
                        less(Rl, kp, Dl)
                    multiply(Hl, Dl, Hl)
                    divide(Hl, kp, Hl)
            dot(WL, A_L1, AL)
            add(AL, bL, AL)
            negative(AL, AL)
            exp(AL, AL)
            add(1, AL, AL)
            divide(1, AL, AL)
            # cost, before the update
            subtract(AL, not_y, t)
            absolute(t, t)
            log(t, t)
            cost = 0.0 - inv_m * reduce_sum(t, axis=None)  # = (1/m)·Σ −log t, bit for bit
            if cost != cost:
                raise _diverged(i, "the output A[L] became nan")
            if lambd != 0.0:
                sq = 0.0
                for Wl in W:
                    sq = sq + reduce_sum(multiply(Wl, Wl), axis=None)
                cost = cost + l2_scale * sq
            costs[i] = cost
            # backward: g holds Σ-terms first, then (1/m)·g (+ (λ W)/m), then α·g
            subtract(AL, Y, dZL)
            for dZl, A_prev_T, dWl, dbl, Wl_T, dA_prev, H_prev, pos_prev, d_prev, kp in back_hidden:
                dot(dZl, A_prev_T, dWl)
                reduce_sum(dZl, axis=1, keepdims=True, out=dbl)
                dot(Wl_T, dZl, dA_prev)
                if d_prev is not None:
                    multiply(dA_prev, d_prev[1], dA_prev)
                    divide(dA_prev, kp, dA_prev)
                greater(H_prev, 0, pos_prev)
                multiply(dA_prev, pos_prev, dA_prev)
            dot(dZ1, X_T, dW1)
            reduce_sum(dZ1, axis=1, keepdims=True, out=db1)
            multiply(grad, inv_m, grad)
            if lambd != 0.0:
                multiply(theta, decay, decay_tmp)
                divide(decay_tmp, m, decay_tmp)
                add(grad, decay_tmp, grad)
            multiply(grad, learning_rate, grad)
            subtract(theta, grad, theta)
            s = float(reduce_sum(theta))
            if s - s != 0.0 and not np.all(np.isfinite(theta)):  # inf - inf, nan - nan: nan
                raise _diverged(i, "a parameter became inf or nan")
    out: Params = {}
    for l in range(L):
        out[f"W{l + 1}"] = W[l].copy()
        out[f"b{l + 1}"] = b[l].copy()
    return TrainResult(params=out, costs=costs)
