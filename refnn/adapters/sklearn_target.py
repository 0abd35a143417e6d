"""The course's network on scikit-learn's ``MLPClassifier``: a conformance target.

Judge it with ``pytest properties --refnn-target=refnn.adapters.sklearn_target -m "not golden"``;
findings in docs/FRAMEWORKS.md, pinned by tests/frameworks/test_frameworks.py.

``MLPClassifier(hidden_layer_sizes=(n1, n2), activation="relu")`` with a binary target is the
course's ``LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID`` network (its output activation is logistic, its
loss the mean log-loss). The adapter uses the estimator's own machinery, some of it private
(scikit-learn has no public API for one layer's initialization or for one gradient):

* **layout conversion**: ``coefs_[l−1] = W[l]ᵀ`` (``(n_in, n_out)``), ``intercepts_[l−1] =
  b[l].ravel()``, samples in rows (``X.T``); results are converted back.
* initialization: ``MLPClassifier._init_coef`` (what ``fit`` calls), with a fresh
  ``random_state`` per call (0, 1, 2, …) — scikit-learn's Glorot-uniform weights **and biases**.
  It has no zeros or ×10 scheme: ``initialize_parameters_zeros``/``_random`` are not provided.
  Both ``initialize_parameters_he`` and ``initialize_parameters`` are that one initializer (the
  only one a scikit-learn user has).
* gradients: ``MLPClassifier._backprop`` (its internal backpropagation, which recomputes the
  forward pass from ``X`` and the cache's ``W``, ``b``); L2 by ``alpha``. **λ converted**:
  scikit-learn's penalty is ``0.5·alpha·ΣW² / n_samples`` of the batch, so for the course's
  full-batch cost ``alpha = λ``.
* costs: ``sklearn.neural_network._base.binary_log_loss`` (what ``_backprop`` uses), plus the
  penalty as ``_backprop`` computes it.
* updates: ``_stochastic_optimizers.SGDOptimizer(momentum=0, nesterov=False)`` (``momentum=0.9`` is
  scikit-learn's default; plain gradient descent needs 0) and ``AdamOptimizer(epsilon=1e-8)``, fed
  the cross-entropy gradients plus ``_backprop``'s penalty gradient. scikit-learn has no decoupled
  weight decay (``adamw_step`` not provided), no dropout and no gradient-checking tools.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.neural_network._base import binary_log_loss
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer
from sklearn.utils import check_random_state

from refnn.types import FloatArray, Grads, Params

__all__ = [
    "adam_l2_step", "backward_propagation", "backward_propagation_with_regularization",
    "compute_cost", "compute_cost_with_regularization", "compute_loss", "forward_propagation",
    "initialize_parameters", "initialize_parameters_he", "sgd_weight_decay_step",
    "update_parameters",
]

_seeds = itertools.count()


def _layers(parameters: Mapping[str, Any]) -> int:
    return sum(1 for k in parameters if k.startswith("W") and k[1:].isdigit())


def _mlp(parameters: Mapping[str, Any] | None = None, alpha: float = 0.0,
         dims: Sequence[int] | None = None) -> MLPClassifier:
    """An ``MLPClassifier`` holding ``parameters`` (converted to its layout), as ``fit`` leaves it."""
    if parameters is not None:
        L = _layers(parameters)
        dims = [np.shape(parameters["W1"])[1]] + [np.shape(parameters[f"W{l}"])[0]
                                                  for l in range(1, L + 1)]
    assert dims is not None
    clf = MLPClassifier(hidden_layer_sizes=tuple(dims[1:-1]), activation="relu", alpha=alpha)
    clf.n_layers_ = len(dims)
    clf.n_outputs_ = 1
    clf.out_activation_ = "logistic"
    if parameters is not None:
        clf.coefs_ = [np.array(parameters[f"W{l}"], dtype=np.float64).T
                      for l in range(1, len(dims))]
        clf.intercepts_ = [np.array(parameters[f"b{l}"], dtype=np.float64).ravel()
                           for l in range(1, len(dims))]
    return clf


def _to_params(coefs: Sequence[FloatArray], intercepts: Sequence[FloatArray]) -> Params:
    out: Params = {}
    for l, (c, i) in enumerate(zip(coefs, intercepts), start=1):
        out[f"W{l}"] = np.array(c, dtype=np.float64).T
        out[f"b{l}"] = np.array(i, dtype=np.float64).reshape(-1, 1)
    return out


# ---------------------------------------------------------------------------- initialization


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """``MLPClassifier(activation="relu")._init_coef`` per layer: weights and biases
    ``U(−√(6/(fan_in + fan_out)), +√(…))`` (Glorot uniform, factor 6 for ReLU, 2 for logistic)."""
    dims = [int(d) for d in layers_dims]
    clf = _mlp(dims=dims)
    clf._random_state = check_random_state(next(_seeds))
    pairs = [clf._init_coef(dims[l - 1], dims[l], np.float64) for l in range(1, len(dims))]
    return _to_params([c for c, _ in pairs], [i for _, i in pairs])


initialize_parameters = initialize_parameters_he


# ------------------------------------------------------------------------- forward / backward


def _activations(clf: MLPClassifier, X: FloatArray) -> list[FloatArray]:
    acts: list[Any] = [np.array(X, dtype=np.float64).T] + [None] * (clf.n_layers_ - 1)
    return clf._forward_pass(acts)  # type: ignore[no-any-return]


def forward_propagation(X: FloatArray, parameters: Mapping[str, FloatArray]
                        ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """``MLPClassifier._forward_pass``; ``Z[l]`` (which it overwrites in place) recomputed as
    ``A[l−1]·coefs + intercepts``. Returns the course's ``(A3, plain cache)``."""
    clf = _mlp(parameters)
    acts = _activations(clf, X)
    cache: list[FloatArray] = []
    for l in range(1, clf.n_layers_):
        Z = acts[l - 1] @ clf.coefs_[l - 1] + clf.intercepts_[l - 1]
        cache += [Z.T, acts[l].T, np.array(parameters[f"W{l}"], dtype=np.float64),
                  np.array(parameters[f"b{l}"], dtype=np.float64)]
    return acts[-1].T.copy(), tuple(cache)


def _backprop(clf: MLPClassifier, X: FloatArray, Y: FloatArray
              ) -> tuple[float, list[FloatArray], list[FloatArray]]:
    Xs = np.array(X, dtype=np.float64).T
    y = np.array(Y, dtype=np.float64).reshape(-1, 1)
    n = clf.n_layers_
    acts: list[Any] = [Xs] + [None] * (n - 1)
    deltas: list[Any] = [None] * (n - 1)
    cg = [np.empty_like(c) for c in clf.coefs_]
    ig = [np.empty_like(i) for i in clf.intercepts_]
    loss, cg, ig = clf._backprop(Xs, y, None, acts, deltas, cg, ig)
    return float(loss), cg, ig


def _grads_from_cache(X: FloatArray, Y: FloatArray, cache: Sequence[Any], alpha: float) -> Grads:
    L = len(cache) // 4
    params = {}
    for l in range(1, L + 1):
        params[f"W{l}"], params[f"b{l}"] = cache[4 * l - 2], cache[4 * l - 1]
    _, cg, ig = _backprop(_mlp(params, alpha), X, Y)
    return {("d" + k): v for k, v in _to_params(cg, ig).items()}


def backward_propagation(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """``MLPClassifier._backprop`` with ``alpha = 0`` (recomputes the forward pass from X, W, b)."""
    return _grads_from_cache(X, Y, cache, 0.0)


def backward_propagation_with_regularization(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                             lambd: float) -> Grads:
    """``MLPClassifier._backprop`` with ``alpha = λ``: ``(dW_CE·m + alpha·W)/m``."""
    return _grads_from_cache(X, Y, cache, lambd)


# ----------------------------------------------------------------------------- costs


def compute_cost(a3: FloatArray, Y: FloatArray) -> float:
    """``binary_log_loss(y, a3)`` (scikit-learn's MLP loss; it clips ``a3`` to its dtype's eps)."""
    return float(binary_log_loss(np.array(Y, dtype=np.float64).reshape(-1, 1),
                                 np.array(a3, dtype=np.float64).reshape(-1, 1)))


compute_loss = compute_cost


def _penalty(parameters: Mapping[str, FloatArray], alpha: float, m: int
             ) -> tuple[float, list[FloatArray]]:
    """scikit-learn's L2 penalty and its gradient for a batch of ``m``: ``_backprop``'s loss and
    coefficient gradients with ``alpha`` minus those with 0, on ``m`` zero inputs."""
    X0 = np.zeros((np.shape(parameters["W1"])[1], m))
    Y0 = np.zeros((1, m))
    loss_a, cg_a, _ = _backprop(_mlp(parameters, alpha), X0, Y0)
    loss_0, cg_0, _ = _backprop(_mlp(parameters, 0.0), X0, Y0)
    return loss_a - loss_0, [a - b for a, b in zip(cg_a, cg_0)]


def compute_cost_with_regularization(A3: FloatArray, Y: FloatArray,
                                     parameters: Mapping[str, FloatArray], lambd: float) -> float:
    """``binary_log_loss`` plus scikit-learn's ``0.5·alpha·ΣW²/m`` with ``alpha = λ``."""
    m = int(np.asarray(Y).size)
    return compute_cost(A3, Y) + _penalty(parameters, lambd, m)[0]


# ------------------------------------------------------------------------------- optimizers


def _step(optimizer: Any, parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
          penalty: Sequence[FloatArray] | None = None) -> Params:
    clf = _mlp(parameters)
    L = clf.n_layers_ - 1
    params = clf.coefs_ + clf.intercepts_
    cg = [np.array(grads[f"dW{l}"], dtype=np.float64).T for l in range(1, L + 1)]
    if penalty is not None:
        cg = [g + p for g, p in zip(cg, penalty)]
    ig = [np.array(grads[f"db{l}"], dtype=np.float64).ravel() for l in range(1, L + 1)]
    opt = optimizer(params)
    opt.update_params(params, cg + ig)
    return _to_params(params[:L], params[L:])


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """``SGDOptimizer(learning_rate_init=α, momentum=0, nesterov=False).update_params``."""
    return _step(lambda p: SGDOptimizer(p, learning_rate_init=learning_rate, momentum=0.0,
                                        nesterov=False), parameters, grads)


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """Plain ``SGDOptimizer`` fed ``dW`` plus scikit-learn's penalty gradient (``alpha = λ``,
    batch of ``m``)."""
    return _step(lambda p: SGDOptimizer(p, learning_rate_init=learning_rate, momentum=0.0,
                                        nesterov=False), parameters, grads,
                 _penalty(parameters, lambd, m)[1])


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """``AdamOptimizer(epsilon=1e-8)`` fed ``dW`` plus scikit-learn's penalty gradient."""
    return _step(lambda p: AdamOptimizer(p, learning_rate_init=learning_rate, epsilon=1e-8),
                 parameters, grads, _penalty(parameters, lambd, m)[1])
