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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from refnn import validation
from refnn.types import BoolArray, FloatArray, ForwardCache, Grads, LayerCache, Params


def relu(Z: FloatArray) -> FloatArray:
    """``max(0, Z)`` elementwise."""
    return np.maximum(0, Z)


def sigmoid(Z: FloatArray) -> FloatArray:
    """``1 / (1 + e^{−Z})`` elementwise (the course's formula; saturates to exactly 0 or 1)."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


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


def forward(
    params: Mapping[str, object],
    X: object,
    *,
    keep_prob: float | Sequence[float] = 1.0,
    rng: np.random.Generator | None = None,
    masks: Sequence[object] | None = None,
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
    func = "forward"
    P, dims = validation.params(func, params)
    A = validation.float_array(func, "X", X, ndim=2, shape=(dims[0], None),
                               shape_text="(n_x, m)")
    m = A.shape[1]
    L = len(dims) - 1
    kps = validation.keep_probs(func, keep_prob, L)
    if masks is not None:
        given = check_masks(func, masks, dims, m, kps)
    elif any(kp < 1.0 for kp in kps):
        validation.generator(func, rng, "rng (needed to draw dropout masks when keep_prob < 1)")
        given = None
    else:
        given = None
    layers: list[LayerCache] = []
    A_prev = A
    for l in range(1, L + 1):
        Z = np.dot(P[f"W{l}"], A_prev) + P[f"b{l}"]
        if l == L:
            layers.append(LayerCache(Z=Z, A=sigmoid(Z), D=None, keep_prob=1.0))
            break
        A_l = relu(Z)
        kp = kps[l - 1]
        D: BoolArray | None = None
        if kp < 1.0:
            if given is not None:
                D = given[l - 1]
                assert D is not None  # check_masks() requires a mask wherever keep_prob < 1
            else:
                assert rng is not None
                D = rng.random(Z.shape) < kp
            A_l = A_l * D
            A_l = A_l / kp
        layers.append(LayerCache(Z=Z, A=A_l, D=D, keep_prob=kp))
        A_prev = A_l
    cache = ForwardCache(X=A, layers=tuple(layers))
    return cache.AL, cache


def backward(
    params: Mapping[str, object],
    cache: ForwardCache,
    Y: object,
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
    func = "backward"
    P, dims = validation.params(func, params)
    if not isinstance(cache, ForwardCache):
        raise validation.fail_type(func, "cache", "the ForwardCache returned by forward()", cache)
    L = len(dims) - 1
    if len(cache.layers) != L:
        raise validation.fail_value(
            func, "cache", f"the cache of a {L}-layer forward pass", f"{len(cache.layers)} layers"
        )
    m = cache.X.shape[1]
    y = validation.labels(func, "Y", Y, m)
    lam = validation.lambd(func, lambd)
    grads: Grads = {}
    dZ = cache.AL - y
    for l in range(L, 0, -1):
        W = P[f"W{l}"]
        A_prev = cache.A(l - 1)
        dW = 1.0 / m * np.dot(dZ, A_prev.T)
        if lam != 0.0:
            dW = dW + (lam * W) / m
        grads[f"dZ{l}"] = dZ
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        if l == 1:
            break
        dA = np.dot(W.T, dZ)
        below = cache.layers[l - 2]
        if below.D is not None:
            dA = dA * below.D
            dA = dA / below.keep_prob
        grads[f"dA{l - 1}"] = dA
        dZ = np.multiply(dA, below.A > 0)
    return grads
