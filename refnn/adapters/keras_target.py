"""The course's function API on Keras 3 (JAX backend): a conformance target from Keras's own parts.

Judge it with ``pytest properties --refnn-target=refnn.adapters.keras_target -m "not golden"``;
findings in docs/FRAMEWORKS.md, pinned by tests/frameworks/test_frameworks.py. Importing it sets
``KERAS_BACKEND=jax`` (unless a backend is already chosen), enables ``jax_enable_x64`` and
``keras.config.set_floatx("float64")`` — process-wide settings, chosen by the adapter because
float32 cannot carry the course's ε = 1e-7 gradient check — and
``keras.config.set_dtype_policy("float64")``: with ``floatx`` alone, ``keras.losses`` still
compute in float32 (``BinaryCrossentropy`` returned ln 2 as 0.6931471824645996). No TensorFlow is
needed.

Written as a Keras user would write the course's functions, without correcting Keras:

* initializers: ``keras.initializers.Zeros``, ``RandomNormal(stddev=10)``, ``HeNormal`` and, for
  the Regularization notebook's initializer — which the lecture calls *Xavier* —
  ``GlorotNormal`` (Keras documents it as "also called Xavier normal"). **Layout conversion**: a
  Keras ``Dense`` kernel is ``(fan_in, fan_out)`` (``x @ W``); the adapter draws ``(n[l−1], n[l])``
  and transposes into the course's ``W[l]: (n[l], n[l−1])``. Seeds: one module-level
  ``keras.random.SeedGenerator(0)``.
* dropout: ``keras.layers.Dropout(rate=1 − keep_prob, seed=k)(ones, training=True)``, a new layer
  per call with seeds k = 0, 1, 2, … (a layer built with a fixed seed repeats its mask) — Keras's own mask and
  1/(1 − rate) scale, made visible for the cache — times ``relu(Z)``.
* costs: ``keras.losses.BinaryCrossentropy()`` on ``(m, 1)`` batches (**layout**: Keras is batch
  first, the course's ``A3``, ``Y`` are ``(1, m)``); L2 by ``keras.regularizers.L2(l2)`` on every
  kernel, **λ converted**: ``L2(l2)`` adds ``l2·ΣW²`` (no ½, no 1/m), so ``l2 = λ/(2m)``.
* backward passes: the backend's gradient (``jax.grad``) of
  ``keras.ops.binary_crossentropy(from_logits=True)`` (+ the L2 regularizers), with the dropout
  masks of the cache held fixed.
* updates: ``keras.optimizers.SGD`` on ``keras.Variable`` s; weight decay by ``SGD(weight_decay=λ/m)``,
  L2 under Adam by the ``L2`` regularizer's gradient added to ``dW`` before
  ``keras.optimizers.Adam``, decoupled decay by ``keras.optimizers.AdamW(weight_decay=λ/m)``
  (``epsilon=1e-8`` set to the protocol's; Keras's default is 1e-7). The optimizers are given every
  variable, biases included, as ``model.trainable_variables`` would.
* vectors: ``keras.ops.concatenate`` of the reshaped tensors, in the list order W1, b1, …, b3.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import itertools  # noqa: E402
from collections.abc import Mapping, Sequence  # noqa: E402
from typing import Any  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

from refnn.adapters import jax_target as _jx  # noqa: E402  (enables jax_enable_x64)
from refnn.adapters.jax_scalar_check import gradient_check  # noqa: E402
from refnn.conformance.course_functions import OPTIMIZER_STEPS, protocol_names  # noqa: E402
from refnn.types import FloatArray, Grads, Params  # noqa: E402

if keras.backend.backend() != "jax":  # pragma: no cover - another backend chosen before import
    raise ImportError(f"refnn.adapters.keras_target needs KERAS_BACKEND=jax, not "
                      f"{keras.backend.backend()!r}")
keras.config.set_floatx("float64")
keras.config.set_dtype_policy("float64")  # floatx alone leaves the losses computing in float32
ops = keras.ops

__all__ = [*protocol_names(), *OPTIMIZER_STEPS]

PARAM_KEYS = _jx.PARAM_KEYS
_seeds = keras.random.SeedGenerator(0)
_dropout_seeds = itertools.count()  # a Dropout layer per call, each with its own seed


def _np(a: Any) -> FloatArray:
    return np.array(a, dtype=np.float64)


# ---------------------------------------------------------------------------- initialization


def _initialize(layers_dims: Sequence[int], init: Any) -> Params:
    parameters: Params = {}
    for l in range(1, len(layers_dims)):
        n_prev, n = int(layers_dims[l - 1]), int(layers_dims[l])
        kernel = init((n_prev, n), dtype="float64")  # Keras's (fan_in, fan_out)
        parameters[f"W{l}"] = _np(kernel).T
        parameters[f"b{l}"] = _np(keras.initializers.Zeros()((n, 1), dtype="float64"))
    return parameters


def initialize_parameters_zeros(layers_dims: Sequence[int]) -> Params:
    """``keras.initializers.Zeros()``."""
    return _initialize(layers_dims, keras.initializers.Zeros())


def initialize_parameters_random(layers_dims: Sequence[int]) -> Params:
    """``keras.initializers.RandomNormal(stddev=10)``."""
    return _initialize(layers_dims, keras.initializers.RandomNormal(stddev=10.0, seed=_seeds))


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """``keras.initializers.HeNormal()``: variance 2/fan_in, drawn from a truncated normal."""
    return _initialize(layers_dims, keras.initializers.HeNormal(seed=_seeds))


def initialize_parameters(layer_dims: Sequence[int]) -> Params:
    """``keras.initializers.GlorotNormal()`` ("Xavier normal"): variance 2/(fan_in + fan_out),
    truncated — not the course's N(0, 1/n[l−1]) (that is ``LecunNormal``)."""
    return _initialize(layer_dims, keras.initializers.GlorotNormal(seed=_seeds))


# ------------------------------------------------------------------------- forward passes


forward_propagation = _jx.forward_propagation  # the same arithmetic on the JAX backend (jnp ≡ keras.ops there)


def forward_propagation_with_dropout(X: FloatArray, parameters: Mapping[str, FloatArray],
                                     keep_prob: float = 0.5
                                     ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """``keras.layers.Dropout(1 − keep_prob)(ones, training=True)`` as the scaled mask of both
    hidden layers; the cache is ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``."""
    P = {k: ops.convert_to_tensor(np.asarray(parameters[k], dtype=np.float64)) for k in PARAM_KEYS}
    A = ops.convert_to_tensor(np.asarray(X, dtype=np.float64))
    layer = keras.layers.Dropout(rate=1.0 - keep_prob, seed=next(_dropout_seeds))
    cache: list[FloatArray] = []
    for l in (1, 2, 3):
        Z = ops.matmul(P[f"W{l}"], A) + P[f"b{l}"]
        if l == 3:
            A = ops.sigmoid(Z)
            cache += [_np(Z), _np(A), _np(P["W3"]), _np(P["b3"])]
            break
        scaled_mask = layer(ops.ones_like(Z), training=True)  # D / keep_prob
        A = ops.relu(Z) * scaled_mask
        cache += [_np(Z), _np(scaled_mask) != 0, _np(A), _np(P[f"W{l}"]), _np(P[f"b{l}"])]
    return _np(A), tuple(cache)


# ----------------------------------------------------------------------------- costs


def compute_cost(a3: FloatArray, Y: FloatArray) -> float:
    """``keras.losses.BinaryCrossentropy()(Y.T, a3.T)`` (batch-first layout)."""
    y = np.asarray(Y, dtype=np.float64).reshape(1, -1).T
    return float(keras.losses.BinaryCrossentropy()(y, np.asarray(a3, dtype=np.float64).T))


compute_loss = compute_cost


def _l2(P: Mapping[str, Any], lambd: float, m: int) -> Any:
    """``Σ_l keras.regularizers.L2(λ/(2m))(W[l])`` (Keras's ``l2·ΣW²``, λ converted)."""
    reg = keras.regularizers.L2(lambd / (2 * m))
    return sum(reg(P[f"W{l}"]) for l in (1, 2, 3))


def compute_cost_with_regularization(A3: FloatArray, Y: FloatArray,
                                     parameters: Mapping[str, FloatArray], lambd: float) -> float:
    """``BinaryCrossentropy`` plus the kernels' ``L2(λ/(2m))`` penalties."""
    m = int(np.asarray(Y).size)
    P = {k: ops.convert_to_tensor(np.asarray(parameters[k], dtype=np.float64)) for k in PARAM_KEYS}
    return compute_cost(A3, Y) + float(_l2(P, lambd, m))


# ------------------------------------------------------------------------- backward passes


def _logits_cost(Z3: Any, Y: Any) -> Any:
    return ops.mean(ops.binary_crossentropy(Y, Z3, from_logits=True))


def _grad(X: FloatArray, Y: FloatArray, cache: Sequence[Any], **kw: Any) -> Grads:
    return _jx._grad(X, Y, cache, cost_of_logits=_logits_cost, l2=_l2, **kw)


def backward_propagation(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """The backend's gradient of ``binary_crossentropy(from_logits=True)``."""
    return _grad(X, Y, cache)


def backward_propagation_with_regularization(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                             lambd: float) -> Grads:
    """The backend's gradient of the cross-entropy plus the ``L2(λ/(2m))`` regularizers."""
    return _grad(X, Y, cache, lambd=lambd)


def backward_propagation_with_dropout(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                      keep_prob: float) -> Grads:
    """The backend's gradient with the cache's masks ``D1``, ``D2`` held fixed."""
    masks = [np.asarray(cache[1]) != 0, np.asarray(cache[6]) != 0]
    return _grad(X, Y, cache, masks=masks, keep_prob=keep_prob)


# ------------------------------------------------------------------------------- optimizers


def _apply(optimizer: Any, parameters: Mapping[str, FloatArray], grads: Mapping[str, Any]
           ) -> Params:
    keys = [k for k in parameters if k[0] in "Wb"]
    variables = [keras.Variable(np.asarray(parameters[k], dtype=np.float64), name=k) for k in keys]
    optimizer.apply_gradients([(ops.convert_to_tensor(np.asarray(grads["d" + k], dtype=np.float64)),
                                v) for k, v in zip(keys, variables)])
    return {k: _np(v.value) for k, v in zip(keys, variables)}


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """One ``keras.optimizers.SGD(learning_rate)`` step on new ``keras.Variable`` s."""
    return _apply(keras.optimizers.SGD(learning_rate=learning_rate), parameters, grads)


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """``keras.optimizers.SGD(learning_rate, weight_decay=λ/m)`` on every variable."""
    opt = keras.optimizers.SGD(learning_rate=learning_rate, weight_decay=lambd / m)
    return _apply(opt, parameters, grads)


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """``keras.optimizers.Adam(learning_rate, epsilon=1e-8)`` on ``dW`` plus the backend's gradient
    of the kernels' ``L2(λ/(2m))`` regularizers."""
    reg = keras.regularizers.L2(lambd / (2 * m))
    total = dict(grads)
    for k in parameters:
        if k.startswith("W"):
            g_reg = jax.grad(lambda w: reg(w))(np.asarray(parameters[k], dtype=np.float64))
            total["d" + k] = np.asarray(grads["d" + k], dtype=np.float64) + _np(g_reg)
    opt = keras.optimizers.Adam(learning_rate=learning_rate, epsilon=1e-8)
    return _apply(opt, parameters, total)


def adamw_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
               learning_rate: float, lambd: float, m: int) -> Params:
    """``keras.optimizers.AdamW(learning_rate, weight_decay=λ/m, epsilon=1e-8)`` on every variable."""
    opt = keras.optimizers.AdamW(learning_rate=learning_rate, weight_decay=lambd / m, epsilon=1e-8)
    return _apply(opt, parameters, grads)


def predict(X: FloatArray, y: FloatArray, parameters: Mapping[str, FloatArray]) -> FloatArray:
    """``(A3 > 0.5)`` as a (1, m) 0/1 array; prints the accuracy as the course does."""
    A3, _ = forward_propagation(X, parameters)
    p = _np(ops.cast(ops.greater(A3, 0.5), "float64"))
    print("Accuracy: " + str(float(np.mean(p == np.asarray(y).reshape(1, -1)))))
    return p


# ---------------------------------------------------------------------- gradient checking


def _flat(tensors: Sequence[Any]) -> FloatArray:
    return _np(ops.concatenate([ops.reshape(ops.convert_to_tensor(t), (-1,)) for t in tensors]))


def dictionary_to_vector(parameters: Mapping[str, FloatArray]) -> tuple[FloatArray, list[str]]:
    """``keras.ops.concatenate`` of ``W1, b1, …, b3`` reshaped to 1-D (row-major), as (n, 1)."""
    arrays = [np.asarray(parameters[k], dtype=np.float64) for k in PARAM_KEYS]
    keys = [k for k, a in zip(PARAM_KEYS, arrays) for _ in range(a.size)]
    return _flat(arrays).reshape(-1, 1), keys


def vector_to_dictionary(theta: FloatArray) -> Params:
    """``keras.ops.split`` + ``reshape`` into the ``[4, 5, 3, 1]`` network's shapes."""
    d = _jx.GC_LAYER_DIMS
    shapes = [(d[l], d[l - 1]) if k == "W" else (d[l], 1) for l in (1, 2, 3) for k in "Wb"]
    cuts = list(np.cumsum([int(np.prod(s)) for s in shapes])[:-1])
    parts = ops.split(ops.reshape(ops.convert_to_tensor(np.asarray(theta, dtype=np.float64)),
                                  (-1,)), cuts)
    return {k: _np(ops.reshape(p, s)) for k, p, s in zip(PARAM_KEYS, parts, shapes)}


def gradients_to_vector(gradients: Mapping[str, FloatArray]) -> FloatArray:
    """``keras.ops.concatenate`` of ``dW1, db1, …, db3``, as (n, 1)."""
    return _flat([np.asarray(gradients["d" + k], dtype=np.float64) for k in PARAM_KEYS]
                 ).reshape(-1, 1)


def forward_propagation_n(X: FloatArray, Y: FloatArray, parameters: Mapping[str, FloatArray]
                          ) -> tuple[float, tuple[FloatArray, ...]]:
    """``(binary_crossentropy(from_logits=True) mean, plain cache)``."""
    _, cache = forward_propagation(X, parameters)
    y = np.asarray(Y, dtype=np.float64).reshape(1, -1)
    return float(_logits_cost(ops.convert_to_tensor(cache[8]), y)), cache


def backward_propagation_n(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """The backend's gradient of the cost of :func:`forward_propagation_n`."""
    return _grad(X, Y, cache)


def gradient_check_n(parameters: Mapping[str, FloatArray], gradients: Mapping[str, FloatArray],
                     X: FloatArray, Y: FloatArray, epsilon: float = 1e-7,
                     print_msg: bool = False) -> float:
    """Two-sided differences of the module's ``forward_propagation_n`` against ``gradients``."""
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    approx = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i, 0] += epsilon
        minus[i, 0] -= epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(plus))
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(minus))
        approx[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    difference = float(ops.norm(grad - approx) / (ops.norm(grad) + ops.norm(approx)))
    if print_msg:
        print("Your backward propagation works perfectly fine!" if difference <= 2e-7
              else "There is a mistake in the backward propagation!")
    return difference
