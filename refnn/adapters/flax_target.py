"""The course's function API on Flax (linen) and optax: a conformance target.

Judge it with ``pytest properties --refnn-target=refnn.adapters.flax_target -m "not golden"``; findings
in docs/FRAMEWORKS.md, pinned by tests/frameworks/test_frameworks.py. Built on :mod:`refnn.adapters.jax_target`
(float64 by ``jax_enable_x64``, a module-level key split on every call), with Flax's and optax's
parts where a Flax user reaches for them:

* initializers: a ``flax.linen.Dense`` layer's own ``init`` — its **default** ``kernel_init``
  (``lecun_normal``: variance 1/fan_in, the course's Regularization initializer) and default
  ``bias_init`` (zeros) for ``initialize_parameters``; ``kernel_init=flax.linen.initializers.
  he_normal()`` / ``normal(10)`` / ``zeros`` for the others. **Layout conversion**: a Dense kernel is
  ``(fan_in, fan_out)`` = ``W[l]ᵀ``; the adapter transposes.
* dropout: ``flax.linen.Dropout(rate=1 − keep_prob, deterministic=False)`` applied to ones (its own
  mask and 1/keep_prob scale, made visible for the cache) times ``relu(Z)``.
* forward/backward/costs/vectors: JAX's (``jax.grad``; ``ravel_pytree``, the Flax idiom), as in
  :mod:`refnn.adapters.jax_target`.
* updates: ``optax.sgd``; weight decay by ``optax.chain(optax.add_decayed_weights(λ/m),
  optax.sgd(α))``; L2 under Adam by ``add_decayed_weights(λ/m)`` chained *before*
  ``optax.adam(α)`` (the decay term enters Adam's moments: coupled); decoupled by
  ``optax.adamw(α, weight_decay=λ/m)``. No ``mask`` is passed: every leaf of the parameter tree is
  decayed, as optax does by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax

from refnn.adapters import jax_target as _jx
from refnn.adapters.jax_scalar_check import gradient_check
from refnn.adapters.jax_target import (
    backward_propagation,
    backward_propagation_n,
    backward_propagation_with_dropout,
    backward_propagation_with_regularization,
    compute_cost,
    compute_cost_with_regularization,
    compute_loss,
    dictionary_to_vector,
    forward_propagation,
    forward_propagation_n,
    gradient_check_n,
    gradients_to_vector,
    predict,
    vector_to_dictionary,
)
from refnn.conformance.course_functions import OPTIMIZER_STEPS, protocol_names
from refnn.types import FloatArray, Params

__all__ = [*protocol_names(), *OPTIMIZER_STEPS]

PARAM_KEYS = _jx.PARAM_KEYS


def _initialize(layers_dims: Sequence[int], **dense_kwargs: Any) -> Params:
    parameters: Params = {}
    for l in range(1, len(layers_dims)):
        n_prev, n = int(layers_dims[l - 1]), int(layers_dims[l])
        layer = nn.Dense(features=n, param_dtype=jnp.float64, **dense_kwargs)
        variables = layer.init(_jx._next_key(), jnp.ones((1, n_prev), jnp.float64))
        parameters[f"W{l}"] = _jx._np(variables["params"]["kernel"]).T  # (fan_in, fan_out)ᵀ
        parameters[f"b{l}"] = _jx._np(variables["params"]["bias"]).reshape(n, 1)
    return parameters


def initialize_parameters_zeros(layers_dims: Sequence[int]) -> Params:
    """``nn.Dense(kernel_init=nn.initializers.zeros)``."""
    return _initialize(layers_dims, kernel_init=nn.initializers.zeros)


def initialize_parameters_random(layers_dims: Sequence[int]) -> Params:
    """``nn.Dense(kernel_init=nn.initializers.normal(stddev=10))``."""
    return _initialize(layers_dims, kernel_init=nn.initializers.normal(stddev=10.0))


def initialize_parameters_he(layers_dims: Sequence[int]) -> Params:
    """``nn.Dense(kernel_init=nn.initializers.he_normal())`` (a truncated normal)."""
    return _initialize(layers_dims, kernel_init=nn.initializers.he_normal())


def initialize_parameters(layer_dims: Sequence[int]) -> Params:
    """``nn.Dense`` with its defaults: ``lecun_normal()`` kernels (variance 1/fan_in, truncated
    normal), zero biases."""
    return _initialize(layer_dims)


def forward_propagation_with_dropout(X: FloatArray, parameters: Mapping[str, FloatArray],
                                     keep_prob: float = 0.5
                                     ) -> tuple[FloatArray, tuple[FloatArray, ...]]:
    """``nn.Dropout(rate=1 − keep_prob, deterministic=False)`` masks on both hidden layers; the
    cache is ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``."""
    P = _jx._params(parameters)
    A = _jx._j(X)
    drop = nn.Dropout(rate=1.0 - keep_prob, deterministic=False)
    cache: list[Any] = []
    for l in (1, 2, 3):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        if l == 3:
            A = jax.nn.sigmoid(Z)
            cache += [_jx._np(Z), _jx._np(A), _jx._np(P["W3"]), _jx._np(P["b3"])]
            break
        scaled_mask = drop.apply({}, jnp.ones_like(Z), rngs={"dropout": _jx._next_key()})
        A = nn.relu(Z) * scaled_mask
        cache += [_jx._np(Z), np.asarray(scaled_mask) != 0, _jx._np(A), _jx._np(P[f"W{l}"]),
                  _jx._np(P[f"b{l}"])]
    return _jx._np(A), tuple(cache)


def _apply(tx: Any, parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray]
           ) -> Params:
    P = {k: _jx._j(v) for k, v in parameters.items() if k[0] in "Wb"}
    G = {k: _jx._j(grads["d" + k]) for k in P}
    updates, _ = tx.update(G, tx.init(P), P)
    return {k: _jx._np(v) for k, v in optax.apply_updates(P, updates).items()}


def update_parameters(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                      learning_rate: float) -> Params:
    """One ``optax.sgd(learning_rate)`` step."""
    return _apply(optax.sgd(learning_rate), parameters, grads)


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """``optax.chain(optax.add_decayed_weights(λ/m), optax.sgd(α))``."""
    tx = optax.chain(optax.add_decayed_weights(lambd / m), optax.sgd(learning_rate))
    return _apply(tx, parameters, grads)


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """``optax.chain(optax.add_decayed_weights(λ/m), optax.adam(α))``: the decay term is added to
    the gradient before Adam (L2, coupled)."""
    tx = optax.chain(optax.add_decayed_weights(lambd / m), optax.adam(learning_rate))
    return _apply(tx, parameters, grads)


def adamw_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
               learning_rate: float, lambd: float, m: int) -> Params:
    """``optax.adamw(α, weight_decay=λ/m)``."""
    return _apply(optax.adamw(learning_rate, weight_decay=lambd / m), parameters, grads)
