"""Early stopping: gradient descent that watches the dev cost and keeps the best parameters.

Lecture, "Other Regularization Methods → Early stopping": plot the training error and the dev set
error over the iterations; when the dev error starts to rise while the training error keeps
falling, stop, and keep the network from the point where the dev error was lowest — weights of a
"mid-size ‖W‖" (training from small random weights, ‖W‖ grows with the iterations). It is cheaper
than searching over λ for L2, at the price of coupling "optimize J" with "don't overfit".

Iteration ``i`` means the parameters ``θ_i`` after ``i`` gradient steps (``θ_0`` is the start). For
``i = 0, 1, …`` the dev cost

    J_dev(θ_i) = −(1/m_dev) Σ_k [ y_k log a_k + (1 − y_k) log(1 − a_k) ],   a = A[L](θ_i; X_dev)

(no L2 term, no dropout; computed from the logits, so it is always finite) is compared with the
best so far. ``θ_i`` is an *improvement* when ``J_dev(θ_i) < best − min_delta``. After ``patience``
consecutive non-improvements the next non-improvement stops the run: with ``patience = 0`` training
stops at the first iteration whose dev cost does not fall (the first rise). The result holds
``θ_best``, the parameters of the lowest dev cost seen, and ``best_iteration``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.cost import cross_entropy_from_logits, total_cost
from refnn.init import VarianceScaling, initialize
from refnn.network import backward, forward
from refnn.training import gradient_step
from refnn.types import FloatArray, Params


@dataclass(frozen=True, slots=True)
class EarlyStoppingResult:
    """What :func:`train_with_early_stopping` returns.

    Attributes:
        params: ``θ_best``, the parameters with the lowest dev cost seen.
        best_iteration: ``i`` of ``θ_best`` (the number of gradient steps that produced it).
        best_dev_cost: ``J_dev(θ_best)``.
        stopped_iteration: the last iteration evaluated.
        stopped_early: ``True`` when patience ran out before ``num_iterations``.
        dev_costs: ``J_dev(θ_i)`` for ``i = 0..stopped_iteration``, shape ``(stopped_iteration + 1,)``.
        train_costs: the training cost (cross-entropy plus L2 term) of ``θ_i``, same shape (with
            dropout, measured on the pass that used that iteration's masks).
    """

    params: Params
    best_iteration: int
    best_dev_cost: float
    stopped_iteration: int
    stopped_early: bool
    dev_costs: FloatArray
    train_costs: FloatArray


def dev_cost(params: Mapping[str, object], X_dev: object, Y_dev: object) -> float:
    """``J_dev(θ)``: the mean cross-entropy on the dev set, without L2 term or dropout.

    Computed from the logits ``Z[L]`` (:func:`refnn.cost.cross_entropy_from_logits`), so it is finite
    even where ``σ(Z[L])`` saturates.

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
        >>> round(dev_cost(p, np.ones((2, 3)), np.array([[0, 1, 1]])), 6)  # ln 2
        0.693147
    """
    _, cache = forward(params, X_dev)
    return cross_entropy_from_logits(cache.layers[-1].Z, Y_dev)


def train_with_early_stopping(
    X_train: object,
    Y_train: object,
    X_dev: object,
    Y_dev: object,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    patience: int = 10,
    min_delta: float = 0.0,
    init: str | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: Mapping[str, object] | None = None,
) -> EarlyStoppingResult:
    """Batch gradient descent on the training set that stops when the dev cost stops falling.

    Each iteration ``i``: ``J_dev(θ_i)`` (see the module docstring); stop if this is the
    ``patience + 1``-th consecutive evaluation with ``J_dev(θ_i) ≥ best − min_delta`` or if
    ``i = num_iterations``; otherwise one step of :func:`refnn.training.gradient_step` with the
    gradients of :func:`refnn.network.backward` on the training set (L2 ``λ``, dropout as in
    :func:`refnn.training.train`). Without dropout, ``θ_i`` is exactly the parameters of
    ``refnn.training.train(..., num_iterations=i)`` from the same start.

    Lecture, "Other Regularization Methods → Early stopping": stop training where the dev error
    is lowest, and keep those parameters.

    Args:
        X_train, Y_train: ``(n_x, m)`` and ``(1, m)`` labels in {0, 1}.
        X_dev, Y_dev: ``(n_x, m_dev)`` and ``(1, m_dev)``.
        layer_dims: ``[n_x, n[1], …, n[L]]``.
        rng: initial weights (when ``params`` is None) and dropout masks come from it.
        patience: non-improving evaluations tolerated before stopping (int ``≥ 0``).
        min_delta: an improvement must lower the best dev cost by more than this (``≥ 0``).
        init, learning_rate, num_iterations, lambd, keep_prob, params: as in
            :func:`refnn.training.train`; ``num_iterations`` is the most gradient steps taken.

    Returns:
        An :class:`EarlyStoppingResult` (``θ_best``, its iteration and the two cost curves).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(2, 40)); Y = (X[:1] > 0).astype(float)
        >>> Xd = rng.normal(size=(2, 40)); Yd = (Xd[1:] > 0).astype(float)  # a different rule
        >>> r = train_with_early_stopping(X, Y, Xd, Yd, [2, 3, 1], rng=rng, patience=0,
        ...                               learning_rate=0.5, num_iterations=200)
        >>> r.stopped_early, r.stopped_iteration == r.best_iteration + 1
        (True, True)
        >>> bool(r.best_dev_cost == r.dev_costs.min())
        True
    """
    func = "train_with_early_stopping"
    dims = validation.layer_dims(func, layer_dims)
    Xt = validation.float_array(func, "X_train", X_train, ndim=2, shape=(dims[0], None),
                                shape_text="(n_x, m)")
    yt = validation.labels(func, "Y_train", Y_train, Xt.shape[1])
    Xd = validation.float_array(func, "X_dev", X_dev, ndim=2, shape=(dims[0], None),
                                shape_text="(n_x, m_dev)")
    yd = validation.labels(func, "Y_dev", Y_dev, Xd.shape[1])
    for name, arr in (("X_train", Xt), ("X_dev", Xd)):
        if arr.shape[1] == 0:
            raise validation.fail_value(func, name, "a set of at least 1 example (column)", "0")
    gen = validation.generator(func, rng)
    wait_max = validation.non_negative_int(func, "patience", patience)
    delta = validation.real(func, "min_delta", min_delta, low=0.0, range_text=">= 0")
    alpha = validation.learning_rate(func, learning_rate)
    n_iter = validation.non_negative_int(func, "num_iterations", num_iterations)
    lam = validation.lambd(func, lambd)
    validation.keep_probs(func, keep_prob, len(dims) - 1)
    if params is None:
        P = initialize(dims, init, rng=gen)
    else:
        P, pdims = validation.params(func, params)
        if pdims != dims:
            raise validation.fail_value(func, "params", f"parameters for layer_dims {list(dims)}",
                                        f"parameters for {list(pdims)}")
        P = {k: v.copy() for k, v in P.items()}

    dev_costs: list[float] = []
    train_costs: list[float] = []
    best_params: Params = P
    best_cost = np.inf
    best_i = 0
    wait = 0
    stopped_early = False
    i = 0
    while True:
        J_dev = dev_cost(P, Xd, yd)
        AL, cache = forward(P, Xt, keep_prob=keep_prob, rng=gen)
        dev_costs.append(J_dev)
        train_costs.append(total_cost(AL, yt, P, lam))
        if J_dev < best_cost - delta:
            best_cost, best_params, best_i, wait = J_dev, P, i, 0
        else:
            wait += 1
            if wait > wait_max:
                stopped_early = True
                break
        if i == n_iter:
            break
        P = gradient_step(P, backward(P, cache, yt, lambd=lam), alpha)
        i += 1
    return EarlyStoppingResult(
        params=best_params,
        best_iteration=best_i,
        best_dev_cost=float(best_cost),
        stopped_iteration=i,
        stopped_early=stopped_early,
        dev_costs=np.array(dev_costs),
        train_costs=np.array(train_costs),
    )
