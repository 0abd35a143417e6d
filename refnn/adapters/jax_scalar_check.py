"""The Gradient-Checking notebook's 1-D example on JAX: ``J = θx``, ``jax.grad`` for ``dJ/dθ``,
and ``gradient_check``.

A module of its own because the target's top-level ``forward_propagation`` is the network's;
``gradient_check`` looks ``forward_propagation``/``backward_propagation`` up in *this* module's
namespace at call time (as the notebook does), which is where the suite substitutes them (GC-3).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)  # float64: JAX's default float32 cannot carry ε = 1e-7


def forward_propagation(x: float, theta: float) -> float:
    """``J = θ·x``."""
    return float(jnp.float64(theta) * jnp.float64(x))


def backward_propagation(x: float, theta: float) -> float:
    """``dJ/dθ`` by ``jax.grad`` (``= x``)."""
    return float(jax.grad(lambda t: t * jnp.float64(x))(jnp.float64(theta)))


def gradient_check(x: float, theta: float, epsilon: float = 1e-7, print_msg: bool = False) -> float:
    """``|dθ − dθ_approx| / (|dθ| + |dθ_approx|)`` with the two-sided difference of the module's
    ``forward_propagation`` and the module's ``backward_propagation`` (``jax.grad``)."""
    gradapprox = (forward_propagation(x, theta + epsilon)
                  - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    denominator = abs(grad) + abs(gradapprox)
    difference = abs(grad - gradapprox) / denominator if denominator != 0 else 0.0
    if print_msg:
        print("The gradient is correct!" if difference < 2e-7 else "The gradient is wrong!")
    return float(difference)
