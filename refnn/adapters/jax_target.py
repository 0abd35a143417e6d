"""The course's function API on JAX: a conformance target built from JAX's own functions.

Judge it with ``pytest properties --refnn-target=refnn.adapters.jax_target -m "not golden"``; the
findings are in docs/FRAMEWORKS.md and pinned by tests/frameworks/test_frameworks.py.

Written as a JAX user would write the course's functions, without correcting JAX:

* initializers: ``jax.nn.initializers.zeros``, ``normal(stddev=10)`` (random ×10), ``he_normal()``
  (He) and ``lecun_normal()`` for the Regularization notebook's N(0, 1/n[l−1]) (the lecture's
  "Xavier" is JAX's LeCun; JAX's ``glorot_normal`` averages the fans). **Layout conversion**: JAX
  initializers read a 2-D shape as ``(fan_in, fan_out)`` (a dense kernel, ``x @ W``), the course's
  ``W[l]`` is ``(n[l], n[l−1])`` (``W @ A``); the adapter draws ``(n[l−1], n[l])`` and transposes,
  so JAX's fan-in is the course's ``n[l−1]``. (Calling them with the course's shape would swap
  the fans — INIT-6's fan-in/fan-out property catches that.)
* dropout: ``D = jax.random.bernoulli(key, keep_prob, shape)``, ``A = jnp.where(D, relu(Z) /
  keep_prob, 0)`` (flax's ``Dropout``).
* backward passes: ``jax.grad`` of the cost (``jax.nn.log_sigmoid`` of the logits) with the cache's
  masks held fixed; ``dZ[l]``/``dA[l]`` are the gradients w.r.t. zero perturbations added to
  ``Z[l]`` and to ``relu(Z[l])``.
* vectorizing: ``jax.flatten_util.ravel_pytree`` of the parameter dict.

dtype: the adapter enables ``jax_enable_x64`` at import (a process-wide JAX setting) and asks for
float64 everywhere; JAX's default is float32. Randomness: a module-level ``jax.random.key(0)`` that
is split on every call (the course's signatures take no key). Results are numpy float64 arrays in
the course's layouts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.flatten_util import ravel_pytree

from refnn.adapters.jax_scalar_check import gradient_check
from refnn.conformance.course_functions import OPTIMIZER_STEPS, protocol_names
from refnn.types import FloatArray, Grads, Params

jax.config.update("jax_enable_x64", True)

__all__ = list(protocol_names())

DTYPE = jnp.float64
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
GC_LAYER_DIMS = (4, 5, 3, 1)

Array = Any  # jax.Array, untyped for mypy (pyproject: follow_imports = "skip" for jax)

_key: list[Any] = [jax.random.key(0)]


def _next_key() -> Any:
    _key[0], sub = jax.random.split(_key[0])
    return sub


def _j(a: Any) -> Array:
    return jnp.asarray(np.asarray(a, dtype=np.float64), dtype=DTYPE)


def _labels(Y: Any) -> Array:
    """``Y`` as (1, m) (the course calls ``gradient_check_n`` with a 1-D ``y``)."""
    return _j(Y).reshape(1, -1)


def _np(a: Array) -> FloatArray:
    return np.array(a, dtype=np.float64)


# ---------------------------------------------------------------------------- initialization


def _initialize(layers_dims: Sequence[int], init: Any) -> Params:
    parameters: Params = {}
    for l in range(1, len(layers_dims)):
        n_prev, n = int(layers_dims[l - 1]), int(layers_dims[l])
        kernel = init(_next_key(), (n_prev, n), DTYPE)  # JAX's (fan_in, fan_out) layout
        parameters[f"W{l}"] = _np(kernel.T)  # the course's (n[l], n[l−1])
        parameters[f"b{l}"] = _np(jax.nn.initializers.zeros(_next_key(), (n, 1), DTYPE))
    return parameters


def initialize_parameters_zeros(layers_dims: Sequence[int]) -> Params:
    """``jax.nn.initializers.zeros`` for every ``W[l]`` and ``b[l]``."""
    return _initialize(layers_dims, jax.nn.initializers.zeros)


def initialize_parameters_random(layers_dims: Sequence[int]) -> Params:
    """``jax.nn.initializers.normal(stddev=10)`` — a plain normal, the course's ``randn · 10``."""
    return _initialize(layers_dims, jax.nn.initializers.normal(stddev=10.0))


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """``jax.nn.initializers.he_normal()``: variance 2/fan_in from a *truncated* normal
    (``variance_scaling(2, "fan_in", "truncated_normal")``)."""
    return _initialize(layers_dims, jax.nn.initializers.he_normal())


def initialize_parameters(layer_dims: Sequence[int]) -> Params:
    """``jax.nn.initializers.lecun_normal()``: variance 1/fan_in (the course's "Xavier"), from a
    *truncated* normal."""
    return _initialize(layer_dims, jax.nn.initializers.lecun_normal())


# ------------------------------------------------------------------------- forward passes


def _params(source: Mapping[str, Any]) -> dict[str, Array]:
    return {k: _j(source[k]) for k in PARAM_KEYS}


def _forward(X: Array, P: Mapping[str, Array], masks: Sequence[Array] | None = None,
             keep_prob: float = 1.0, dz: Sequence[Array] | None = None,
             da: Sequence[Array] | None = None) -> dict[str, Array]:
    """``LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID``; with ``masks``, the hidden activations are
    ``where(D, relu(Z)/keep_prob, 0)``. ``dz``/``da``: zero perturbations whose gradients are
    ``dZ[l]``/``dA[l]``."""
    out: dict[str, Array] = {}
    A = X
    for l in (1, 2, 3):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        if dz is not None:
            Z = Z + dz[l - 1]
        out[f"Z{l}"] = Z
        if l == 3:
            out["A3"] = jax.nn.sigmoid(Z)
            break
        A = jax.nn.relu(Z)
        if da is not None:
            A = A + da[l - 1]
        if masks is not None:
            A = jnp.where(masks[l - 1], A / keep_prob, 0.0)
        out[f"A{l}"] = A
    return out


def _logits_cost(Z3: Array, Y: Array) -> Array:
    """``−mean(y log σ(z) + (1 − y) log σ(−z))`` with ``jax.nn.log_sigmoid``."""
    return -jnp.mean(Y * jax.nn.log_sigmoid(Z3) + (1 - Y) * jax.nn.log_sigmoid(-Z3))


def _plain_cache(f: Mapping[str, Array], P: Mapping[str, Array]) -> tuple[FloatArray, ...]:
    return tuple(_np(a) for l in (1, 2, 3) for a in (f[f"Z{l}"], f[f"A{l}"], P[f"W{l}"], P[f"b{l}"]))


def forward_propagation(X: FloatArray, parameters: Mapping[str, FloatArray]
                        ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """``(A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3))``."""
    P = _params(parameters)
    f = _forward(_j(X), P)
    return _np(f["A3"]), _plain_cache(f, P)


def forward_propagation_with_dropout(X: FloatArray, parameters: Mapping[str, FloatArray],
                                     keep_prob: float = 0.5
                                     ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """Masks ``jax.random.bernoulli(key, keep_prob, shape)``; the cache is
    ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``."""
    P = _params(parameters)
    A = _j(X)
    cache: list[Any] = []
    for l in (1, 2, 3):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        if l == 3:
            A = jax.nn.sigmoid(Z)
            cache += [_np(Z), _np(A), _np(P["W3"]), _np(P["b3"])]
            break
        D = jax.random.bernoulli(_next_key(), keep_prob, Z.shape)
        A = jnp.where(D, jax.nn.relu(Z) / keep_prob, 0.0)
        cache += [_np(Z), np.asarray(D), _np(A), _np(P[f"W{l}"]), _np(P[f"b{l}"])]
    return _np(A), tuple(cache)


# ----------------------------------------------------------------------------- costs


def compute_cost(a3: FloatArray, Y: FloatArray) -> float:
    """``−mean(y log a + (1 − y) log(1 − a))`` in ``jnp``."""
    a, y = _j(a3), _labels(Y)
    return float(-jnp.mean(y * jnp.log(a) + (1 - y) * jnp.log(1 - a)))


compute_loss = compute_cost


def _l2(P: Mapping[str, Array], lambd: float, m: int) -> Array:
    return lambd / (2 * m) * sum(jnp.sum(jnp.square(P[f"W{l}"])) for l in (1, 2, 3))


def compute_cost_with_regularization(A3: FloatArray, Y: FloatArray,
                                     parameters: Mapping[str, FloatArray], lambd: float) -> float:
    """``compute_cost(A3, Y) + λ/(2m) Σ_l ‖W[l]‖²``."""
    m = int(_labels(Y).shape[1])
    return compute_cost(A3, Y) + float(_l2(_params(parameters), lambd, m))


# ------------------------------------------------------------------------- backward passes


def _grad(X: FloatArray, Y: FloatArray, cache: Sequence[Any], lambd: float = 0.0,
          masks: Sequence[Array] | None = None, keep_prob: float = 1.0,
          cost_of_logits: Any = None, l2: Any = None) -> Grads:
    """``jax.grad`` of the cost w.r.t. the cache's ``W``, ``b`` (and zero perturbations of
    ``Z[l]``, ``relu(Z[l])``), recomputing the forward pass with the cache's masks held fixed.
    ``cost_of_logits(Z3, Y)`` and ``l2(P, λ, m)`` default to this module's (the Keras adapter
    passes Keras's loss and regularizer)."""
    cost_of_logits = _logits_cost if cost_of_logits is None else cost_of_logits
    l2 = _l2 if l2 is None else l2
    if masks is None:
        W = dict(zip(PARAM_KEYS, (cache[2], cache[3], cache[6], cache[7], cache[10], cache[11])))
    else:
        W = dict(zip(PARAM_KEYS, (cache[3], cache[4], cache[8], cache[9], cache[12], cache[13])))
    P = _params(W)
    Xj, Yj = _j(X), _labels(Y)
    m = int(Yj.shape[1])
    dz0 = [jnp.zeros((P[f"W{l}"].shape[0], m), DTYPE) for l in (1, 2, 3)]
    da0 = dz0[:2]

    def cost(P: Mapping[str, Array], dz: Sequence[Array], da: Sequence[Array]) -> Array:
        f = _forward(Xj, P, masks, keep_prob, dz, da)
        J = cost_of_logits(f["Z3"], Yj)
        return J + l2(P, lambd, m) if lambd else J

    gP, gz, ga = jax.grad(cost, argnums=(0, 1, 2))(P, dz0, da0)
    grads: Grads = {}
    for l in (3, 2, 1):
        grads[f"dZ{l}"] = _np(gz[l - 1])
        grads[f"dW{l}"] = _np(gP[f"W{l}"])
        grads[f"db{l}"] = _np(gP[f"b{l}"])
        if l < 3:
            grads[f"dA{l}"] = _np(ga[l - 1])
    return grads


def backward_propagation(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """``jax.grad`` of the mean cross-entropy."""
    return _grad(X, Y, cache)


def backward_propagation_with_regularization(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                             lambd: float) -> Grads:
    """``jax.grad`` of the cross-entropy plus ``λ/(2m) Σ‖W‖²``."""
    return _grad(X, Y, cache, lambd=lambd)


def backward_propagation_with_dropout(X: FloatArray, Y: FloatArray, cache: Sequence[Any],
                                      keep_prob: float) -> Grads:
    """``jax.grad`` with the cache's masks ``D1``, ``D2`` held fixed."""
    masks = [jnp.asarray(np.asarray(cache[1]) != 0), jnp.asarray(np.asarray(cache[6]) != 0)]
    return _grad(X, Y, cache, masks=masks, keep_prob=keep_prob)


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """``jax.tree_util.tree_map(lambda p, g: p − α g, params, grads)`` into new arrays."""
    P = {k: _j(v) for k, v in parameters.items() if k[0] in "Wb"}
    G = {k: _j(grads["d" + k]) for k in P}
    new = jax.tree_util.tree_map(lambda p, g: p - learning_rate * g, P, G)
    return {k: _np(v) for k, v in new.items()}


def predict(X: FloatArray, y: FloatArray, parameters: Mapping[str, FloatArray]) -> FloatArray:
    """``(A3 > 0.5)`` as a (1, m) 0/1 array; prints the accuracy as the course does."""
    A3, _ = forward_propagation(X, parameters)
    p = (jnp.asarray(A3) > 0.5).astype(DTYPE)
    print("Accuracy: " + str(float(jnp.mean(p == _labels(y)))))
    return _np(p)


# ---------------------------------------------------------------------- gradient checking


def dictionary_to_vector(parameters: Mapping[str, FloatArray]) -> tuple[FloatArray, list[str]]:
    """``jax.flatten_util.ravel_pytree`` of the parameter dict, as (n, 1). A dict pytree flattens
    in *sorted key* order: ``W1, W2, W3, b1, b2, b3`` (docs/FRAMEWORKS.md, GC-5)."""
    P = _params(parameters)
    theta, _ = ravel_pytree(P)
    leaves = jax.tree_util.tree_leaves_with_path(P)
    keys = [str(path[0].key) for path, leaf in leaves for _ in range(int(leaf.size))]
    return _np(theta).reshape(-1, 1), keys


def _unravel_template() -> Any:
    d = GC_LAYER_DIMS
    template = {f"{k}{l}": jnp.zeros((d[l], d[l - 1]) if k == "W" else (d[l], 1), DTYPE)
                for l in (1, 2, 3) for k in "Wb"}
    return ravel_pytree(template)[1]


def vector_to_dictionary(theta: FloatArray) -> Params:
    """The ``unravel`` function of ``ravel_pytree`` for the ``[4, 5, 3, 1]`` network."""
    P = _unravel_template()(_j(theta).reshape(-1))
    return {k: _np(P[k]) for k in PARAM_KEYS}


def gradients_to_vector(gradients: Mapping[str, FloatArray]) -> FloatArray:
    """``ravel_pytree`` of ``{dW1, db1, …, db3}``, as (n, 1) (sorted keys, as the parameters)."""
    G = {"d" + k: _j(gradients["d" + k]) for k in PARAM_KEYS}
    return _np(ravel_pytree(G)[0]).reshape(-1, 1)


def forward_propagation_n(X: FloatArray, Y: FloatArray, parameters: Mapping[str, FloatArray]
                          ) -> tuple[float, tuple[FloatArray, ...]]:
    """``(cost from the logits, plain cache)``."""
    P = _params(parameters)
    f = _forward(_j(X), P)
    return float(_logits_cost(f["Z3"], _labels(Y))), _plain_cache(f, P)


def backward_propagation_n(X: FloatArray, Y: FloatArray, cache: Sequence[Any]) -> Grads:
    """``jax.grad`` of the cost of :func:`forward_propagation_n`."""
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
    g, a = _j(grad), _j(approx)
    difference = float(jnp.linalg.norm(g - a) / (jnp.linalg.norm(g) + jnp.linalg.norm(a)))
    if print_msg:
        print("Your backward propagation works perfectly fine!" if difference <= 2e-7
              else "There is a mistake in the backward propagation!")
    return difference
