"""Optimizer steps with L2 / weight decay on PyTorch (WD-1 … WD-5), re-exported by
:mod:`refnn.adapters.torch_target`.

Each step builds fresh ``torch.nn.Parameter`` s from the parameters (every ``W[l]`` and ``b[l]``,
as ``model.parameters()`` would hand them over), sets ``.grad`` to the given cross-entropy
gradients and takes one step of torch's optimizer with ``weight_decay=λ/m`` (**λ converted**: torch
adds ``weight_decay·p`` to the gradient, the course's L2 gradient is ``(λ/m)·W``):
``torch.optim.SGD``, ``torch.optim.Adam`` (whose ``weight_decay`` is an L2 penalty, coupled) and
``torch.optim.AdamW`` (decoupled). Adam's defaults (β 0.9/0.999, ε 1e-8) are the protocol's.
float64 throughout; results are numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

from refnn.types import FloatArray, Params

__all__ = ["adam_l2_step", "adamw_step", "sgd_weight_decay_step"]


def _step(make: Callable[[list[Any]], Any], parameters: Mapping[str, FloatArray],
          grads: Mapping[str, FloatArray]) -> Params:
    keys = [k for k in parameters if k[0] in "Wb"]
    P = [torch.nn.Parameter(torch.tensor(np.asarray(parameters[k], dtype=np.float64)))
         for k in keys]
    for p, k in zip(P, keys):
        p.grad = torch.tensor(np.asarray(grads["d" + k], dtype=np.float64))
    make(P).step()
    return {k: np.array(p.detach().numpy(), dtype=np.float64) for k, p in zip(keys, P)}


def sgd_weight_decay_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                          learning_rate: float, lambd: float, m: int) -> Params:
    """``torch.optim.SGD(params, lr=α, weight_decay=λ/m).step()``."""
    return _step(lambda P: torch.optim.SGD(P, lr=learning_rate, weight_decay=lambd / m),
                 parameters, grads)


def adam_l2_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
                 learning_rate: float, lambd: float, m: int) -> Params:
    """``torch.optim.Adam(params, lr=α, weight_decay=λ/m).step()`` (torch: "L2 penalty")."""
    return _step(lambda P: torch.optim.Adam(P, lr=learning_rate, weight_decay=lambd / m),
                 parameters, grads)


def adamw_step(parameters: Mapping[str, FloatArray], grads: Mapping[str, FloatArray],
               learning_rate: float, lambd: float, m: int) -> Params:
    """``torch.optim.AdamW(params, lr=α, weight_decay=λ/m).step()`` (decoupled)."""
    return _step(lambda P: torch.optim.AdamW(P, lr=learning_rate, weight_decay=lambd / m),
                 parameters, grads)
