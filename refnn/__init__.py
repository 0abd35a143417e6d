"""refnn: a typed numpy reference for the practical side of training neural networks.

The modules, in the order data flows through them:

- :mod:`refnn.init` — weight initialization (one variance-scaling rule, named presets);
- :mod:`refnn.network` — the L-layer forward/backward pass, with L2 and inverted dropout as options;
- :mod:`refnn.cost` — cross-entropy (the course's and a stable one), the L2 term;
- :mod:`refnn.training` — gradient descent, prediction, accuracy;
- :mod:`refnn.course` — the course's own function API and seeding, as a thin layer over the above.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from refnn.cost import cross_entropy, cross_entropy_from_logits, l2_penalty, total_cost
    from refnn.init import PRESETS, VarianceScaling, initialize
    from refnn.network import backward, forward
    from refnn.training import accuracy, gradient_step, predict, train
    from refnn.types import ForwardCache, LayerCache, TrainResult

_WHERE = {
    "cross_entropy": "refnn.cost", "cross_entropy_from_logits": "refnn.cost",
    "l2_penalty": "refnn.cost", "total_cost": "refnn.cost",
    "PRESETS": "refnn.init", "VarianceScaling": "refnn.init", "initialize": "refnn.init",
    "backward": "refnn.network", "forward": "refnn.network",
    "accuracy": "refnn.training", "gradient_step": "refnn.training", "predict": "refnn.training",
    "train": "refnn.training",
    "ForwardCache": "refnn.types", "LayerCache": "refnn.types", "TrainResult": "refnn.types",
}
"""Where each public name lives: imported on first use, so that ``import refnn.x`` (e.g. the
pytest entry point, :mod:`refnn.conformance.plugin`) costs nothing it does not need."""


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'refnn' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "PRESETS",
    "ForwardCache",
    "LayerCache",
    "TrainResult",
    "VarianceScaling",
    "accuracy",
    "backward",
    "cross_entropy",
    "cross_entropy_from_logits",
    "forward",
    "gradient_step",
    "initialize",
    "l2_penalty",
    "predict",
    "total_cost",
    "train",
]
