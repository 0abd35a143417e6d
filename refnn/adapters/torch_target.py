"""The course's function API on PyTorch: a conformance target built from torch's own functions.

Judge it with ``pytest properties --refnn-target=refnn.adapters.torch_target -m "not golden"``; the
findings are in docs/FRAMEWORKS.md and pinned by tests/frameworks/test_frameworks.py.

Written as a PyTorch user would write the course's functions, without correcting torch:

* initializers: ``torch.nn.init.zeros_``, ``normal_(std=10)`` (random ×10),
  ``kaiming_normal_(mode="fan_in", nonlinearity="relu")`` (He) and, for the Regularization
  notebook's initializer — which the lecture calls *Xavier* — ``xavier_normal_``. A ``Linear``
  weight is ``(out_features, in_features)`` = the course's ``(n[l], n[l−1])``, so torch's fan-in
  is the course's ``n[l−1]``: no layout conversion is needed.
* dropout: ``torch.nn.functional.dropout(·, p=1 − keep_prob, training=True)``; ``p`` is the *drop*
  probability. To expose the mask the course's cache stores, torch drops a tensor of ones: its
  output is ``D/(1 − p)`` with torch's own mask and scale, and ``A = relu(Z) · that``.
* backward passes and the analytic side of the gradient checks: autograd
  (``torch.autograd.grad``) of ``binary_cross_entropy_with_logits`` (plus the L2 term), with the
  dropout masks of the cache held fixed; ``compute_cost(a3, Y)`` is ``binary_cross_entropy``.
* vectorizing: ``torch.nn.utils.parameters_to_vector`` / ``vector_to_parameters``.

dtype: every tensor is float64 (torch's default is float32, whose resolution ≈ 1.2e-7 cannot
carry the course's ε = 1e-7 gradient check). Inputs are converted with ``torch.as_tensor``; every
result is returned as a numpy float64 array (or a Python float) in the course's layouts.
Randomness: torch's global generator (``torch.manual_seed``), never numpy's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from refnn.adapters.torch_optim import adam_l2_step, adamw_step, sgd_weight_decay_step
from refnn.adapters.torch_scalar_check import gradient_check
from refnn.conformance.course_functions import OPTIMIZER_STEPS, protocol_names
from refnn.types import FloatArray, Grads, Params

__all__ = [*protocol_names(), *OPTIMIZER_STEPS]

DTYPE = torch.float64
"""float64, chosen by the adapter: torch's default dtype is float32."""

PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
GC_LAYER_DIMS = (4, 5, 3, 1)

Tensor = Any  # torch.Tensor, untyped for mypy (pyproject: follow_imports = "skip" for torch)


def _t(a: Any) -> Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64), dtype=DTYPE)


def _labels(Y: Any) -> Tensor:
    """``Y`` as (1, m): torch's losses refuse the broadcast of a 1-D ``y`` against ``A3: (1, m)``
    that numpy performs (the course calls ``gradient_check_n`` with a 1-D ``y``)."""
    return _t(Y).reshape(1, -1)


def _np(t: Tensor) -> FloatArray:
    return np.array(t.detach().numpy(), dtype=np.float64)


# ---------------------------------------------------------------------------- initialization


def _initialize(layers_dims: Sequence[int], init_weight: Any) -> Params:
    parameters: Params = {}
    for l in range(1, len(layers_dims)):
        W = torch.empty(int(layers_dims[l]), int(layers_dims[l - 1]), dtype=DTYPE)
        init_weight(W)
        b = torch.nn.init.zeros_(torch.empty(int(layers_dims[l]), 1, dtype=DTYPE))
        parameters[f"W{l}"] = _np(W)
        parameters[f"b{l}"] = _np(b)
    return parameters


def initialize_parameters_zeros(layers_dims: Sequence[int]) -> Params:
    """``torch.nn.init.zeros_`` for every ``W[l]`` and ``b[l]``."""
    return _initialize(layers_dims, torch.nn.init.zeros_)


def initialize_parameters_random(layers_dims: Sequence[int]) -> Params:
    """``torch.nn.init.normal_(W, mean=0, std=10)`` — the course's ``randn · 10``."""
    return _initialize(layers_dims, lambda W: torch.nn.init.normal_(W, mean=0.0, std=10.0))


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """``torch.nn.init.kaiming_normal_(W, mode="fan_in", nonlinearity="relu")``: N(0, 2/fan_in),
    fan_in = ``W.size(1)`` = n[l−1] in torch's (out, in) layout."""
    return _initialize(layers_dims, lambda W: torch.nn.init.kaiming_normal_(
        W, mode="fan_in", nonlinearity="relu"))


def initialize_parameters(layer_dims: Sequence[int]) -> Params:
    """The Regularization notebook's initializer, which the lecture calls *Xavier*:
    ``torch.nn.init.xavier_normal_`` — torch's Xavier is Glorot's N(0, 2/(fan_in + fan_out)),
    not the course's N(0, 1/n[l−1]) (docs/FRAMEWORKS.md, INIT-9)."""
    return _initialize(layer_dims, torch.nn.init.xavier_normal_)


# ------------------------------------------------------------------------- forward passes


def _weights(cache_or_params: Mapping[str, Any], requires_grad: bool) -> dict[str, Tensor]:
    return {k: _t(cache_or_params[k]).requires_grad_(requires_grad) for k in PARAM_KEYS}


def _forward(X: Tensor, P: Mapping[str, Tensor], masks: Sequence[Tensor] | None = None,
             keep_prob: float = 1.0) -> dict[str, Tensor]:
    """``LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID``; hidden activations multiplied by the given
    ``D[l]/keep_prob`` when ``masks`` is given."""
    out: dict[str, Tensor] = {}
    A = X
    for l in (1, 2, 3):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        out[f"Z{l}"] = Z
        if l == 3:
            A = torch.sigmoid(Z)
        else:
            A = torch.relu(Z)
            out[f"relu{l}"] = A  # the course's dA[l] is the gradient w.r.t. relu(Z[l]), before D[l]
            if masks is not None:
                A = A * masks[l - 1] / keep_prob
        out[f"A{l}"] = A
    return out


def _plain_cache(f: Mapping[str, Tensor], P: Mapping[str, Tensor]) -> tuple[FloatArray, ...]:
    return tuple(_np(t) for l in (1, 2, 3) for t in (f[f"Z{l}"], f[f"A{l}"], P[f"W{l}"], P[f"b{l}"]))


def forward_propagation(X: FloatArray, parameters: Mapping[str, FloatArray]
                        ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """``(A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3))``."""
    P = _weights(parameters, False)
    f = _forward(_t(X), P)
    return _np(f["A3"]), _plain_cache(f, P)


def forward_propagation_with_dropout(X: FloatArray, parameters: Mapping[str, FloatArray],
                                     keep_prob: float = 0.5
                                     ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """Inverted dropout by ``F.dropout(p=1 − keep_prob)`` on both hidden layers; the cache is
    ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``."""
    P = _weights(parameters, False)
    p = 1.0 - keep_prob
    A: Tensor = _t(X)
    cache: list[FloatArray] = []
    for l in (1, 2, 3):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        if l == 3:
            A = torch.sigmoid(Z)
            cache += [_np(Z), _np(A), _np(P["W3"]), _np(P["b3"])]
        else:
            scaled_mask = F.dropout(torch.ones_like(Z), p=p, training=True)  # D / (1 − p)
            A = torch.relu(Z) * scaled_mask
            cache += [_np(Z), _np(scaled_mask != 0), _np(A), _np(P[f"W{l}"]), _np(P[f"b{l}"])]
    return _np(A), tuple(cache)


# ----------------------------------------------------------------------------- costs


def compute_cost(a3: FloatArray, Y: FloatArray) -> float:
    """``F.binary_cross_entropy(a3, Y)`` (reduction ``"mean"``)."""
    return float(F.binary_cross_entropy(_t(a3), _labels(Y)))


compute_loss = compute_cost


def _l2(P: Mapping[str, Tensor], lambd: float, m: int) -> Tensor:
    return lambd / (2 * m) * sum(torch.sum(P[f"W{l}"] ** 2) for l in (1, 2, 3))


def compute_cost_with_regularization(A3: FloatArray, Y: FloatArray,
                                     parameters: Mapping[str, FloatArray], lambd: float) -> float:
    """``F.binary_cross_entropy(A3, Y) + λ/(2m) Σ_l ‖W[l]‖²``."""
    m = int(_labels(Y).shape[1])
    return float(F.binary_cross_entropy(_t(A3), _labels(Y)) + _l2(_weights(parameters, False), lambd, m))


# ------------------------------------------------------------------------- backward passes


def _autograd(X: FloatArray, Y: FloatArray, cache: Sequence[Any], lambd: float = 0.0,
              masks: Sequence[Tensor] | None = None, keep_prob: float = 1.0) -> Grads:
    """The gradient of the cost by ``torch.autograd.grad``, recomputing the forward pass from the
    cache's ``W``, ``b`` (and its masks held fixed)."""
    if masks is None:
        W = dict(zip(PARAM_KEYS, (cache[2], cache[3], cache[6], cache[7], cache[10], cache[11])))
    else:
        W = dict(zip(PARAM_KEYS, (cache[3], cache[4], cache[8], cache[9], cache[12], cache[13])))
    P = _weights(W, True)
    Yt = _labels(Y)
    m = int(Yt.shape[1])
    f = _forward(_t(X), P, masks, keep_prob)
    for t in f.values():
        t.retain_grad()
    cost = F.binary_cross_entropy_with_logits(f["Z3"], Yt)
    if lambd:
        cost = cost + _l2(P, lambd, m)
    cost.backward()
    grads: Grads = {}
    for l in (3, 2, 1):
        grads[f"dZ{l}"] = _np(f[f"Z{l}"].grad)
        grads[f"dW{l}"] = _np(P[f"W{l}"].grad)
        grads[f"db{l}"] = _np(P[f"b{l}"].grad)
        if l < 3:
            grads[f"dA{l}"] = _np(f[f"relu{l}"].grad)
    return grads


def backward_propagation(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """Autograd of the mean cross-entropy."""
    return _autograd(X, Y, cache)


def backward_propagation_with_regularization(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                             lambd: float) -> Grads:
    """Autograd of the cross-entropy plus ``λ/(2m) Σ‖W‖²``."""
    return _autograd(X, Y, cache, lambd=lambd)


def backward_propagation_with_dropout(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                      keep_prob: float) -> Grads:
    """Autograd with the cache's masks ``D1``, ``D2`` held fixed."""
    masks = [_t(np.asarray(cache[1], dtype=np.float64)), _t(np.asarray(cache[6], dtype=np.float64))]
    return _autograd(X, Y, cache, masks=masks, keep_prob=keep_prob)


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """One ``torch.optim.SGD`` step on copies of the parameters (the caller's arrays untouched)."""
    keys = [k for k in parameters if k[0] in "Wb"]
    P = [torch.nn.Parameter(_t(parameters[k]).clone()) for k in keys]
    for p, k in zip(P, keys):
        p.grad = _t(grads["d" + k]).clone()
    torch.optim.SGD(P, lr=learning_rate).step()
    return {k: _np(p) for k, p in zip(keys, P)}


def predict(X: FloatArray, y: FloatArray, parameters: Mapping[str, FloatArray]) -> FloatArray:
    """``(A3 > 0.5)`` as a (1, m) 0/1 array; prints the accuracy as the course does."""
    A3, _ = forward_propagation(X, parameters)
    p = (torch.as_tensor(A3) > 0.5).to(DTYPE)
    print("Accuracy: " + str(float(torch.mean((p == _labels(y)).to(DTYPE)))))
    return _np(p)


# ---------------------------------------------------------------------- gradient checking


def dictionary_to_vector(parameters: Mapping[str, FloatArray]) -> tuple[FloatArray, list[str]]:
    """``torch.nn.utils.parameters_to_vector`` of ``W1, b1, …, b3`` (each row-major), as (n, 1)."""
    tensors = [_t(parameters[k]) for k in PARAM_KEYS]
    theta = torch.nn.utils.parameters_to_vector(tensors).reshape(-1, 1)
    keys = [k for k, t in zip(PARAM_KEYS, tensors) for _ in range(t.numel())]
    return _np(theta), keys


def vector_to_dictionary(theta: FloatArray) -> Params:
    """``torch.nn.utils.vector_to_parameters`` into the ``[4, 5, 3, 1]`` network's shapes."""
    d = GC_LAYER_DIMS
    shapes = [(d[l], d[l - 1]) if k == "W" else (d[l], 1) for l in (1, 2, 3) for k in "Wb"]
    tensors = [torch.empty(s, dtype=DTYPE) for s in shapes]
    torch.nn.utils.vector_to_parameters(_t(theta).reshape(-1), tensors)
    return {k: _np(t) for k, t in zip(PARAM_KEYS, tensors)}


def gradients_to_vector(gradients: Mapping[str, FloatArray]) -> FloatArray:
    """``parameters_to_vector`` of ``dW1, db1, …, db3``, as (n, 1)."""
    tensors = [_t(gradients["d" + k]) for k in PARAM_KEYS]
    return _np(torch.nn.utils.parameters_to_vector(tensors).reshape(-1, 1))


def forward_propagation_n(X: FloatArray, Y: FloatArray, parameters: Mapping[str, FloatArray]
                          ) -> tuple[float, tuple[FloatArray, ...]]:
    """``(F.binary_cross_entropy_with_logits(Z3, Y), plain cache)``."""
    P = _weights(parameters, False)
    f = _forward(_t(X), P)
    cost = F.binary_cross_entropy_with_logits(f["Z3"], _labels(Y))
    return float(cost), _plain_cache(f, P)


def backward_propagation_n(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """Autograd of the cost of :func:`forward_propagation_n`."""
    return _autograd(X, Y, cache)


def gradient_check_n(parameters: Mapping[str, FloatArray], gradients: Mapping[str, FloatArray],
                     X: FloatArray, Y: FloatArray, epsilon: float = 1e-7,
                     print_msg: bool = False) -> float:
    """Two-sided differences of the module's ``forward_propagation_n`` against ``gradients``
    (which the user gets from autograd, :func:`backward_propagation_n`)."""
    theta, _ = dictionary_to_vector(parameters)
    grad = torch.as_tensor(gradients_to_vector(gradients))
    approx = torch.zeros_like(grad)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i, 0] += epsilon
        minus[i, 0] -= epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(plus))
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(minus))
        approx[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    difference = float(torch.linalg.vector_norm(grad - approx)
                       / (torch.linalg.vector_norm(grad) + torch.linalg.vector_norm(approx)))
    if print_msg:
        print("Your backward propagation works perfectly fine!" if difference <= 2e-7
              else "There is a mistake in the backward propagation!")
    return difference
