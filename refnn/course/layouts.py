"""Translation between the course's positional tuples and refnn's named records.

The course's caches, for a network of ``L`` layers (the course's own are ``L = 3``):

* plain: ``(Z1, A1, W1, b1, Z2, A2, W2, b2, …, ZL, AL, WL, bL)`` — 4 entries a layer;
* dropout: ``(Z1, D1, A1, W1, b1, …, Z(L−1), D(L−1), A(L−1), W(L−1), b(L−1), ZL, AL, WL, bL)`` —
  5 entries a hidden layer, 4 for the output layer.

The ``A[l]`` a dropout cache holds are *after* masking and scaling by ``1/keep_prob``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import numpy as np

from refnn import validation
from refnn.types import BoolArray, FloatArray, ForwardCache, LayerCache, Params, TrainResult

CacheTuple: TypeAlias = tuple[FloatArray | BoolArray, ...]
"""A course cache tuple: float arrays, and boolean masks ``D[l]`` in the dropout layout."""


def cache_to_tuple(cache: ForwardCache, params: Mapping[str, FloatArray]) -> CacheTuple:
    """The course's cache tuple for a refnn forward pass (dropout layout when any mask is present)."""
    dropout = any(layer.D is not None for layer in cache.layers)
    out: list[FloatArray | BoolArray] = []
    for l, layer in enumerate(cache.layers, start=1):
        out.append(layer.Z)
        if dropout and l < len(cache.layers):
            assert layer.D is not None or layer.keep_prob == 1.0
            out.append(layer.D if layer.D is not None else np.ones_like(layer.Z, dtype=bool))
        out += [layer.A, params[f"W{l}"], params[f"b{l}"]]
    return tuple(out)


def tuple_to_cache(
    func: str, X: FloatArray, cache: object, keep_prob: float = 1.0
) -> tuple[Params, ForwardCache]:
    """Parse a course cache tuple (plain or dropout layout) into parameters and a named cache.

    With the dropout layout, every hidden layer gets ``keep_prob`` (the value the course passes to
    its backward function — which need not be the one the cache was made with; see the course's
    own backward-dropout test); the caller has checked it. Errors name ``func``.
    """
    if not isinstance(cache, (tuple, list)):
        raise validation.fail_type(func, "cache", "the course's cache tuple", cache)
    n = len(cache)
    if n >= 4 and n % 4 == 0:
        L, per_hidden = n // 4, 4
    elif n >= 9 and (n + 1) % 5 == 0:
        L, per_hidden = (n + 1) // 5, 5
    else:
        raise validation.fail_value(
            func, "cache", "a tuple of 4L entries (Z, A, W, b per layer) or 5L-1 (with D per "
            "hidden layer)", f"{n} entries",
        )
    params: dict[str, object] = {}
    raw: list[tuple[object, object | None, object]] = []
    i = 0
    for l in range(1, L + 1):
        if l < L and per_hidden == 5:
            Z, D, A, W, b = cache[i:i + 5]
            i += 5
        else:
            Z, A, W, b = cache[i:i + 4]
            D = None
            i += 4
        params[f"W{l}"], params[f"b{l}"] = W, b
        raw.append((Z, D, A))
    P, dims = validation.params(func, params, "cache (its W and b entries)")
    m = X.shape[1]
    kp = keep_prob
    layers: list[LayerCache] = []
    for l, (Z, D, A) in enumerate(raw, start=1):
        shape = (dims[l], m)
        Za = validation.float_array(func, f"cache Z{l}", Z, shape=shape, shape_text=str(shape))
        Aa = validation.float_array(func, f"cache A{l}", A, shape=shape, shape_text=str(shape),
                                    finite=False)
        Da: BoolArray | None = None
        if D is not None:
            Da = validation.mask(func, f"cache D{l}", D, shape)
        layers.append(LayerCache(Z=Za, A=Aa, D=Da, keep_prob=kp if Da is not None else 1.0))
    return P, ForwardCache(X=X, layers=tuple(layers))


def model_output(result: TrainResult, every: int, print_cost: bool, return_costs: bool
                 ) -> Params | tuple[Params, dict[int, float]]:
    """What the course's ``model`` returns (and prints): the cost every ``every`` iterations."""
    costs = {i: float(result.costs[i]) for i in range(0, len(result.costs), every)}
    if print_cost:
        for i, cost in costs.items():
            print(f"Cost after iteration {i}: {cost}")
    return (result.params, costs) if return_costs else result.params
