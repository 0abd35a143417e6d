"""The L-layer network ``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID``, forward and backward.

One mechanism for every variant: L2 regularization (``lambd``) and inverted dropout (``keep_prob``)
are options of :func:`forward` / :func:`backward`, not copies of them.

Forward, for ``l = 1..L`` with ``A[0] = X: (n_x, m)``::

    Z[l] = W[l] A[l−1] + b[l]                         (n[l], m)
    A[l] = relu(Z[l]) · D[l] / keep_prob[l]           hidden layers, D[l] ~ Bernoulli(keep_prob[l])
    A[L] = σ(Z[L])                                    output layer: never dropped

Backward, with ``dZ[L] = A[L] − Y`` (the gradient of the mean cross-entropy is taken as ``1/m`` on
every ``dW``/``db``, the Regularization/Gradient-Checking convention)::

    dW[l]   = (1/m) dZ[l] A[l−1]ᵀ + (λ/m) W[l]
    db[l]   = (1/m) Σ_i dZ[l]_{:, i}
    dA[l−1] = W[l]ᵀ dZ[l] · D[l−1] / keep_prob[l−1]
    dZ[l−1] = dA[l−1] · 1{A[l−1] > 0}

Inverted dropout divides by ``keep_prob`` so that ``E[A[l]]`` is unchanged; ``keep_prob = 1`` is
exactly the plain network (no mask is drawn, nothing is divided).

The arithmetic is :mod:`refnn.kernel`'s. :func:`forward` and :func:`backward` check their arguments
(errors name them) and call :func:`run_forward` / :func:`run_backward`, which trust theirs: the
other public functions that take a network (``refnn.course``, ``refnn.training``, …) check their
own arguments under their own names and call those two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from refnn import kernel, validation
from refnn.types import (
    BoolArray,
    FloatArray,
    ForwardCache,
    Grads,
    LayerCache,
    MaskArray,
    Params,
    ParamsLike,
    RealArrayLike,
)


def relu(Z: FloatArray) -> FloatArray:
    """``max(0, Z)`` elementwise."""
    return kernel.relu(validation.real_array("relu", "Z", Z))


def sigmoid(Z: FloatArray) -> FloatArray:
    """``1 / (1 + e^{−Z})`` elementwise (the course's formula; saturates to exactly 0 or 1)."""
    Za = validation.real_array("sigmoid", "Z", Z)
    with np.errstate(over="ignore"):
        return kernel.sigmoid(np.atleast_1d(Za)).reshape(Za.shape)


def weights(P: Mapping[str, FloatArray]) -> tuple[list[FloatArray], list[FloatArray]]:
    """``([W1, …, WL], [b1, …, bL])`` from a (checked) parameter dict."""
    L = len(P) // 2
    return [P[f"W{l}"] for l in range(1, L + 1)], [P[f"b{l}"] for l in range(1, L + 1)]


def check_masks(
    func: str,
    masks: object,
    dims: tuple[int, ...],
    m: int,
    kps: tuple[float, ...],
) -> list[BoolArray | None]:
    """Check explicit dropout masks: one per hidden layer, ``(n[l], m)``, binary; ``None`` (and any
    given mask is ignored) where ``keep_prob[l] = 1``."""
    L = len(dims) - 1
    if isinstance(masks, (str, bytes)) or not isinstance(masks, Sequence):
        raise validation.fail_type(
            func, "masks", f"a sequence of {L - 1} boolean arrays, one per hidden layer", masks
        )
    if len(masks) != L - 1:
        raise validation.fail_value(
            func, "masks", f"{L - 1} mask(s), one per hidden layer (never the output layer)",
            f"{len(masks)} mask(s)",
        )
    out: list[BoolArray | None] = []
    for l, D in enumerate(masks, start=1):
        if kps[l - 1] == 1.0:
            out.append(None)
            continue
        if D is None:
            raise validation.fail_value(
                func, f"masks[{l - 1}]", f"a mask for layer {l} (keep_prob {kps[l - 1]} < 1)",
                "None",
            )
        out.append(validation.mask(func, f"masks[{l - 1}]", D, (dims[l], m)))
    return out


def check_forward_args(
    func: str,
    params: object,
    X: object,
    keep_prob: object,
    rng: object,
    masks: object,
    *,
    params_name: str = "params",
) -> tuple[Params, FloatArray, list[BoolArray | None], tuple[float, ...]]:
    """:func:`forward`'s checks, under the name ``func``: ``(P, X, masks, keep_probs)``.

    The masks are the given ones (checked) or, where some ``keep_prob < 1``, drawn from ``rng``
    layer by layer (:func:`refnn.kernel.draw_masks`).
    """
    P, dims = validation.params(func, params, params_name)
    A = validation.float_array(func, "X", X, ndim=2, shape=(dims[0], None),
                               shape_text="(n_x, m)")
    m = A.shape[1]
    L = len(dims) - 1
    kps = validation.keep_probs(func, keep_prob, L)
    if masks is not None:
        given = check_masks(func, masks, dims, m, kps)
    elif any(kp < 1.0 for kp in kps):
        gen = validation.generator(func, rng, hint="it draws the dropout masks when keep_prob < 1")
        given = kernel.draw_masks(gen, dims, m, kps)
    else:
        given = [None] * (L - 1)
    return P, A, given, kps


def run_forward(P: Params, X: FloatArray, masks: Sequence[BoolArray | None],
                keep_probs: Sequence[float]) -> tuple[FloatArray, ForwardCache]:
    """:func:`forward` on checked arguments: ``masks`` and ``keep_probs`` per hidden layer."""
    Ws, bs = weights(P)
    fwd = kernel.forward(Ws, bs, X, masks, keep_probs)
    with np.errstate(over="ignore"):
        AL = kernel.sigmoid(fwd.ZL)
    L = len(Ws)
    layers = [LayerCache(Z=fwd.Z[l - 1], A=fwd.A[l], D=masks[l - 1], keep_prob=keep_probs[l - 1])
              for l in range(1, L)]
    layers.append(LayerCache(Z=fwd.ZL, A=AL, D=None, keep_prob=1.0))
    cache = ForwardCache(X=X, layers=tuple(layers))
    return AL, cache


def forward(
    params: ParamsLike,
    X: RealArrayLike,
    *,
    keep_prob: float | Sequence[float] = 1.0,
    rng: np.random.Generator | None = None,
    masks: Sequence[MaskArray | None] | None = None,
) -> tuple[FloatArray, ForwardCache]:
    """Forward pass of ``[LINEAR → RELU] × (L−1) → LINEAR → SIGMOID`` with optional inverted dropout.

    Args:
        params: ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …, "WL", "bL"}``.
        X: input ``(n_x, m)``.
        keep_prob: the probability of keeping a hidden unit — a scalar for every hidden layer or
            one value per hidden layer; in ``(0, 1]``. The input and the output layer are never
            dropped.
        rng: where the masks ``D[l] = rng.random((n[l], m)) < keep_prob[l]`` come from (needed
            when some ``keep_prob < 1`` and ``masks`` is not given).
        masks: explicit masks, one per hidden layer (``None`` allowed where ``keep_prob = 1``),
            e.g. to hold them fixed for a gradient check.

    Returns:
        ``(A[L], cache)`` with ``A[L]: (1, m)`` — strictly, ``(n[L], m)`` — and the named
        :class:`~refnn.types.ForwardCache`.

    Example:
        >>> import numpy as np
        >>> from refnn.init import initialize
        >>> p = initialize([3, 4, 1], "he", rng=np.random.default_rng(0))
        >>> AL, cache = forward(p, np.ones((3, 5)), keep_prob=0.5, rng=np.random.default_rng(1))
        >>> AL.shape, cache.layers[0].D.shape, cache.layers[-1].D is None
        ((1, 5), (4, 5), True)
    """
    P, A, given, kps = check_forward_args("forward", params, X, keep_prob, rng, masks)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
        AL, cache = run_forward(P, A, given, kps)
    check_finite_pass("forward", [layer.Z for layer in cache.layers])
    return AL, cache


def check_finite_pass(func: str, Zs: Sequence[FloatArray], params_name: str = "params",
                      X_name: str = "X") -> None:
    """Refuse a forward pass whose ``Z[l]`` overflowed float64 for finite parameters and input
    (the result would otherwise carry ``inf``/``nan`` that no argument contained)."""
    for l, Z in enumerate(Zs, start=1):
        if not np.isfinite(Z).all():
            raise validation.fail_value(
                func, f"{params_name}' and '{X_name}",
                f"values whose Z[{l}] = W[{l}] A[{l - 1}] + b[{l}] stays finite in float64",
                f"Z[{l}] with {int(Z.size - np.count_nonzero(np.isfinite(Z)))} overflowed entries",
            )


def checked_forward(func: str, P: Params, X: FloatArray, masks: Sequence[BoolArray | None],
                    keep_probs: Sequence[float]) -> tuple[FloatArray, ForwardCache]:
    """:func:`run_forward`, refusing (under ``func``'s name) a pass whose ``Z[l]`` overflowed."""
    with np.errstate(over="ignore", invalid="ignore"):
        AL, cache = run_forward(P, X, masks, keep_probs)
    check_finite_pass(func, [layer.Z for layer in cache.layers], "parameters")
    return AL, cache


def check_single_output(func: str, dims: tuple[int, ...], params_name: str = "params") -> None:
    """Refuse a network with more than one output unit where labels ``Y: (1, m)`` are compared
    with ``A[L]`` (``A[L] − Y`` would broadcast a ``(n[L], m)`` output against one label row)."""
    if dims[-1] != 1:
        raise validation.fail_value(
            func, params_name,
            "a network with one sigmoid output unit (n[L] = 1) for labels Y: (1, m)",
            f"n[L] = {dims[-1]} output units",
        )


def check_backward_args(func: str, params: object, cache: object, Y: object, lambd: object
                        ) -> tuple[Params, ForwardCache, FloatArray, float]:
    """:func:`backward`'s checks, under the name ``func``: ``(P, cache, Y, λ)``."""
    P, dims = validation.params(func, params, "params")
    if not isinstance(cache, ForwardCache):
        raise validation.fail_type(func, "cache", "the ForwardCache returned by forward()", cache)
    L = len(dims) - 1
    if len(cache.layers) != L:
        raise validation.fail_value(
            func, "cache", f"the cache of a {L}-layer forward pass", f"{len(cache.layers)} layers"
        )
    check_single_output(func, dims)
    check_cache_matches(func, cache, dims)
    y = validation.labels(func, "Y", Y, cache.X.shape[1])
    lam = validation.lambd(func, lambd)
    return P, cache, y, lam


def check_cache_matches(func: str, cache: ForwardCache, dims: tuple[int, ...]) -> None:
    """Refuse a cache that does not belong to parameters of sizes ``dims``: ``X: (n_x, m)`` and,
    for every layer, ``Z[l], A[l]: (n[l], m)``, a mask ``D[l]`` of that shape (or None when
    ``keep_prob[l] = 1``), ``keep_prob[l]`` in (0, 1]."""
    X = cache.X
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[0] != dims[0]:
        raise validation.fail_value(
            func, "cache", f"a forward pass of these params (cache.X of shape (n_x, m) = "
            f"({dims[0]}, m))", f"cache.X {validation._describe(X)}")
    m = X.shape[1]
    for l, layer in enumerate(cache.layers, start=1):
        want = (dims[l], m)
        for part in ("Z", "A"):
            arr = getattr(layer, part)
            if not isinstance(arr, np.ndarray) or arr.shape != want:
                raise validation.fail_value(
                    func, "cache", f"a forward pass of these params ({part}{l} of shape {want})",
                    f"{part}{l} {validation._describe(arr)}",
                    "was it made by forward() with other parameters?")
        kp = layer.keep_prob
        if isinstance(kp, bool) or not isinstance(kp, (int, float)) or not 0.0 < kp <= 1.0:
            raise validation.fail_value(func, "cache", f"keep_prob of layer {l} in (0, 1]",
                                        repr(kp))
        D = layer.D
        if kp < 1.0 and (not isinstance(D, np.ndarray) or D.shape != want):
            raise validation.fail_value(
                func, "cache", f"a dropout mask D{l} of shape {want} (keep_prob {kp} < 1)",
                f"D{l} {validation._describe(D)}")


def run_backward(P: Params, cache: ForwardCache, Y: FloatArray, lambd: float) -> Grads:
    """:func:`backward` on checked arguments."""
    Ws, _ = weights(P)
    hidden = cache.layers[:-1]
    fwd = kernel.Pass(Z=[layer.Z for layer in cache.layers],
                      A=[cache.X] + [layer.A for layer in hidden])
    masks = [layer.D for layer in hidden]
    kps = [layer.keep_prob for layer in hidden]
    layer_grads = kernel.backward(Ws, fwd, masks, kps, kernel.output_delta(cache.AL, Y), lambd)
    grads: Grads = {}
    for l in range(len(Ws), 0, -1):
        g = layer_grads[l - 1]
        if g.dA is not None:
            grads[f"dA{l}"] = g.dA
        grads[f"dZ{l}"] = g.dZ
        grads[f"dW{l}"] = g.dW
        grads[f"db{l}"] = g.db
    return grads


def backward(
    params: ParamsLike,
    cache: ForwardCache,
    Y: RealArrayLike,
    *,
    lambd: float = 0.0,
) -> Grads:
    """Backward pass: the gradients of ``J = J_CE + λ/(2m) Σ‖W[l]‖²_F`` for the cached forward pass.

    Args:
        params: the parameters the forward pass used.
        cache: what :func:`forward` returned (its dropout masks and keep_probs are reused).
        Y: labels ``(1, m)`` in {0, 1}.
        lambd: the L2 strength ``λ ≥ 0``; adds ``(λ/m) W[l]`` to every ``dW[l]`` and nothing to ``db[l]``.

    Returns:
        ``{"dZl", "dWl", "dbl"}`` for ``l = 1..L`` and ``"dAl"`` for ``l = 1..L−1`` (after dropout's
        mask and scaling), shaped like the corresponding forward quantities.

    Example:
        >>> import numpy as np
        >>> from refnn.init import initialize
        >>> p = initialize([3, 4, 1], "he", rng=np.random.default_rng(0))
        >>> AL, cache = forward(p, np.ones((3, 5)))
        >>> g = backward(p, cache, np.array([[1, 0, 1, 0, 1]]), lambd=0.7)
        >>> sorted(g), g["dW1"].shape
        (['dA1', 'dW1', 'dW2', 'dZ1', 'dZ2', 'db1', 'db2'], (4, 3))
    """
    P, c, y, lam = check_backward_args("backward", params, cache, Y, lambd)
    return run_backward(P, c, y, lam)
