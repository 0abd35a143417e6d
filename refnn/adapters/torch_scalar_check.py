"""The Gradient-Checking notebook's 1-D example on PyTorch: ``J = θx``, its autograd derivative,
and ``gradient_check``.

A module of its own because the target's top-level ``forward_propagation`` is the network's;
``gradient_check`` looks ``forward_propagation``/``backward_propagation`` up in *this* module's
namespace at call time (as the notebook does), which is where the suite substitutes them (GC-3).
"""

from __future__ import annotations

import torch

DTYPE = torch.float64
"""float64, not torch's default float32: the course's ε = 1e-7 is below float32's resolution."""


def forward_propagation(x: float, theta: float) -> float:
    """``J = θ·x``."""
    return float(torch.tensor(theta, dtype=DTYPE) * torch.tensor(x, dtype=DTYPE))


def backward_propagation(x: float, theta: float) -> float:
    """``dJ/dθ`` by autograd (``= x``)."""
    t = torch.tensor(theta, dtype=DTYPE, requires_grad=True)
    J = t * torch.tensor(x, dtype=DTYPE)
    (grad,) = torch.autograd.grad(J, t)
    return float(grad)


def gradient_check(x: float, theta: float, epsilon: float = 1e-7, print_msg: bool = False) -> float:
    """``‖dθ − dθ_approx‖ / (‖dθ‖ + ‖dθ_approx‖)`` with the two-sided difference of the module's
    ``forward_propagation`` and the module's ``backward_propagation`` (autograd)."""
    gradapprox = (forward_propagation(x, theta + epsilon)
                  - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    numerator = abs(grad - gradapprox)
    denominator = abs(grad) + abs(gradapprox)
    difference = numerator / denominator if denominator != 0 else 0.0
    if print_msg:
        print("The gradient is correct!" if difference < 2e-7 else "The gradient is wrong!")
    return float(difference)
