"""The target protocol: the course's function names, argument lists, cache layouts and gradient keys.

This module is the one place in the suite that knows the course's positional layouts; the
properties read and build caches only through it. Which functions there are, with which
arguments, in which notebook and whose (graded, given, helper) is data in
:mod:`refnn.conformance.course_functions`. ``docs/TARGET.md`` describes the same protocol
for people writing a target.

The course's network functions are written for three layers
(``LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID``); their caches are

* plain: ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``;
* dropout: ``(Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``, with ``A1``/``A2`` stored
  *after* masking and scaling by ``1/keep_prob``;

and their gradients are dicts with (at least) the keys ``dW1, db1, dW2, db2, dW3, db3``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from refnn.conformance.course_functions import CourseFunction, protocol_functions
from refnn.conformance.judge import Array, Dict, Spec, Tuple

FloatArray = NDArray[np.float64]

LAYERS = 3
"""The course's network functions hard-code three layers."""

PLAIN_CACHE = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
DROPOUT_CACHE = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
GRAD_KEYS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")
GC_LAYER_DIMS = (4, 5, 3, 1)
"""The network the course's gradient-checking helpers are hard-wired to (47 parameters)."""

Kind = Literal["network", "scalar", "unknown"]


CACHES: dict[str, tuple[str, ...]] = {"plain": PLAIN_CACHE, "dropout": DROPOUT_CACHE}
"""The cache layouts by the name :attr:`CourseFunction.cache` gives them."""

FUNCTIONS: tuple[CourseFunction, ...] = protocol_functions()
"""The functions the suite judges, each name/kind once (the list is data:
:mod:`refnn.conformance.course_functions`; ``forward_propagation`` and ``backward_propagation``
twice: the 3-layer network of the utils modules, and the Gradient-Checking notebook's 1-D pair)."""


def cache_of(function: CourseFunction) -> tuple[str, ...] | None:
    """The names of the entries of the cache ``function`` returns or takes (``None``: no cache)."""
    return None if function.cache is None else CACHES[function.cache]


def _parameter_names(func: Callable[..., Any]) -> list[str] | None:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [
        p.name for p in sig.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def kind_of(name: str, func: Callable[..., Any]) -> Kind:
    """Which of the course's two ``forward_propagation``/``backward_propagation`` ``func`` is.

    ``"scalar"``: the Gradient-Checking notebook's 1-D pair ``(x, theta)``; ``"network"``: the
    3-layer network's ``(X, parameters)`` / ``(X, Y, cache)``. Decided by the signature alone
    (argument names, then their number); other functions are ``"network"``.
    """
    if name not in ("forward_propagation", "backward_propagation"):
        return "network"
    names = _parameter_names(func)
    if names is None:
        return "unknown"
    lowered = [n.lower() for n in names]
    if len(lowered) >= 2 and lowered[1] in ("theta", "θ", "t", "th"):
        return "scalar"
    if name == "forward_propagation":
        if len(lowered) >= 2 and lowered[1].startswith("param"):
            return "network"
        return "unknown"
    if len(lowered) >= 3:
        return "network"
    if len(lowered) == 2:
        return "scalar"
    return "unknown"


# ----------------------------------------------------------------------------- building caches


def cache_tuple(
    X: FloatArray,
    params: Mapping[str, FloatArray],
    Z: Sequence[FloatArray],
    A: Sequence[FloatArray],
    masks: Sequence[NDArray[Any]] | None = None,
) -> tuple[NDArray[Any], ...]:
    """The course's cache tuple from per-layer ``Z[l]``, ``A[l]`` (``l = 1..3``) and optional masks.

    With ``masks`` (``D1``, ``D2``) the dropout layout is built, the masks stored as the course
    stores them (``int`` 0/1 arrays).
    """
    out: list[NDArray[Any]] = []
    for l in range(1, LAYERS + 1):
        out.append(Z[l - 1])
        if masks is not None and l < LAYERS:
            out.append(np.asarray(masks[l - 1]).astype(np.int64))
        out += [A[l - 1], params[f"W{l}"], params[f"b{l}"]]
    return tuple(out)


def cache_fields(dropout: bool) -> tuple[str, ...]:
    """The names of the cache tuple's entries, in order."""
    return DROPOUT_CACHE if dropout else PLAIN_CACHE


def copy_params(params: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """A deep copy of a parameter (or gradient) dict."""
    return {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}


# ------------------------------------------------------------------------- what calls return


def params_spec(dims: Sequence[int], exact: bool = False) -> Dict:
    """The parameter dict of a network with layer sizes ``dims`` (``exact``: no other keys)."""
    keys: dict[str, Spec] = {}
    for l in range(1, len(dims)):
        keys[f"W{l}"] = Array((dims[l], dims[l - 1]))
        keys[f"b{l}"] = Array((dims[l], 1))
    return Dict(keys, label="parameter dict", exact=exact)


def grads_spec(dims: Sequence[int], m: int | None = None) -> Dict:
    """The gradient dict (``dW1, db1, …``; other keys ignored) of a network with sizes ``dims``.

    With ``m``, the hidden layers' ``dA[l]`` (``dAl`` or the Initialization notebook's ``dal``) are
    checked and returned too when present.
    """
    keys: dict[str, Spec] = {}
    for l in range(1, len(dims)):
        keys[f"dW{l}"] = Array((dims[l], dims[l - 1]))
        keys[f"db{l}"] = Array((dims[l], 1))
    optional: dict[str, Spec] = {}
    if m is not None:
        for l in range(1, len(dims) - 1):
            optional[f"dA{l}"] = optional[f"da{l}"] = Array((dims[l], m))
    return Dict(keys, label="gradient dict", optional=optional)


def cache_spec(dims: Sequence[int], m: int, dropout: bool) -> Tuple:
    """The course's cache tuple for a 3-layer network ``dims`` and ``m`` examples."""
    items: list[Spec] = []
    for name in cache_fields(dropout):
        l = int(name[1:])
        kind = name[0]
        if kind in "ZAD":
            items.append(Array((dims[l], m), binary=kind == "D", rule="DROP-1" if kind == "D" else ""))
        elif kind == "W":
            items.append(Array((dims[l], dims[l - 1])))
        else:
            items.append(Array((dims[l], 1)))
    label = "dropout cache" if dropout else "cache"
    return Tuple(tuple(items), cache_fields(dropout), label=label)


def forward_spec(dims: Sequence[int], m: int, dropout: bool = False) -> Tuple:
    """``(A3, cache)`` as the course's forward functions return it."""
    return Tuple((Array((dims[-1], m)), cache_spec(dims, m, dropout)), ("A3", "cache"),
                 label="pair (A3, cache)")
