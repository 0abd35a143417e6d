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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from refnn import kernel, network, validation
from refnn.init import VarianceScaling
from refnn.training import check_train_args, run_train
from refnn.types import FloatArray, InitScheme, Params, ParamsLike, RealArrayLike


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


def dev_cost(params: ParamsLike, X_dev: RealArrayLike, Y_dev: RealArrayLike) -> float:
    """``J_dev(θ)``: the mean cross-entropy on the dev set, without L2 term or dropout.

    Computed from the logits ``Z[L]`` (:func:`refnn.cost.cross_entropy_from_logits`), so it is finite
    even where ``σ(Z[L])`` saturates.

    Example:
        >>> import numpy as np
        >>> p = {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
        >>> round(dev_cost(p, np.ones((2, 3)), np.array([[0, 1, 1]])), 6)  # ln 2
        0.693147
    """
    func = "dev_cost"
    P, dims = validation.params(func, params, "params")
    network.check_single_output(func, dims)
    Xd = validation.float_array(func, "X_dev", X_dev, ndim=2, shape=(dims[0], None),
                                shape_text="(n_x, m_dev)")
    yd = validation.labels(func, "Y_dev", Y_dev, Xd.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):
        cost = run_dev_cost(P, Xd, yd)
    if not np.isfinite(cost):
        Ws, bs = network.weights(P)
        with np.errstate(over="ignore", invalid="ignore"):
            fwd = kernel.forward(Ws, bs, Xd, [None] * (len(Ws) - 1), ())
        network.check_finite_pass(func, fwd.Z, X_name="X_dev")
    return cost


def run_dev_cost(P: Params, X_dev: FloatArray, Y_dev: FloatArray) -> float:
    """:func:`dev_cost` on checked arguments: the mean of :func:`refnn.kernel.logit_losses`."""
    Ws, bs = network.weights(P)
    ZL = kernel.forward(Ws, bs, X_dev, [None] * (len(Ws) - 1), ()).ZL
    return kernel.finite_mean(kernel.logit_losses(ZL, Y_dev))


def train_with_early_stopping(
    X_train: RealArrayLike,
    Y_train: RealArrayLike,
    X_dev: RealArrayLike,
    Y_dev: RealArrayLike,
    layer_dims: Sequence[int],
    *,
    rng: np.random.Generator,
    patience: int = 10,
    min_delta: float = 0.0,
    init: InitScheme | VarianceScaling = "he",
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    lambd: float = 0.0,
    keep_prob: float | Sequence[float] = 1.0,
    params: ParamsLike | None = None,
) -> EarlyStoppingResult:
    """Batch gradient descent on the training set that stops when the dev cost stops falling.

    Each iteration ``i``: ``J_dev(θ_i)`` (see the module docstring); stop if this is the
    ``patience + 1``-th consecutive evaluation with ``J_dev(θ_i) ≥ best − min_delta`` or if
    ``i = num_iterations``; otherwise one step of :func:`refnn.training.gradient_step` with the
    gradients of :func:`refnn.network.backward` on the training set (L2 ``λ``, dropout as in
    :func:`refnn.training.train`). It is ``train``'s own loop (:func:`refnn.fast_training.run`)
    with a monitor that evaluates ``J_dev`` and stops it, so ``θ_i`` is exactly the parameters of
    ``refnn.training.train(..., num_iterations=i)`` from the same start and generator.

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
    a = check_train_args(func, X_train, Y_train, layer_dims, rng, init, learning_rate,
                         num_iterations, lambd, keep_prob, params, X_name="X_train",
                         Y_name="Y_train")
    Xd = validation.float_array(func, "X_dev", X_dev, ndim=2, shape=(a.X.shape[0], None),
                                shape_text="(n_x, m_dev)")
    if Xd.shape[1] == 0:
        raise validation.fail_value(func, "X_dev", "a set of at least 1 example (column)", "0")
    yd = validation.labels(func, "Y_dev", Y_dev, Xd.shape[1])
    wait_max = validation.non_negative_int(func, "patience", patience)
    delta = validation.real(func, "min_delta", min_delta, low=0.0, range_text=">= 0")
    last = a.num_iterations
    a = replace(a, num_iterations=last + 1)  # θ_0 … θ_n are evaluated: n + 1 passes, n steps

    watch = _Watch(X_dev=Xd, Y_dev=yd, patience=wait_max, min_delta=delta, last=last,
                   best_params=a.params)
    result = run_train(a, monitor=watch, func=func)
    return EarlyStoppingResult(
        params={k: v.copy() for k, v in watch.best_params.items()},
        best_iteration=watch.best_iteration,
        best_dev_cost=watch.best_cost,
        stopped_iteration=len(watch.dev_costs) - 1,
        stopped_early=watch.stopped_early,
        dev_costs=np.array(watch.dev_costs),
        train_costs=result.costs,
    )


@dataclass(slots=True, eq=False)
class _Watch:
    """The training loop's monitor (:data:`refnn.fast_training.Monitor`): the dev cost of every
    ``θ_i``, the best one so far, and when to stop."""

    X_dev: FloatArray
    Y_dev: FloatArray
    patience: int
    min_delta: float
    last: int
    best_params: Params
    best_cost: float = np.inf
    best_iteration: int = 0
    wait: int = 0
    stopped_early: bool = False
    dev_costs: list[float] = field(default_factory=list)

    def __call__(self, i: int, train_cost: float, P: Params) -> bool:
        J_dev = run_dev_cost(P, self.X_dev, self.Y_dev)
        self.dev_costs.append(J_dev)
        if J_dev < self.best_cost - self.min_delta:
            self.best_params = {k: v.copy() for k, v in P.items()}
            self.best_cost, self.best_iteration, self.wait = J_dev, i, 0
        else:
            self.wait += 1
            if self.wait > self.patience:
                self.stopped_early = True
                return True
        return i == self.last
