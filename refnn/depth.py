"""Vanishing and exploding activations in deep networks, and how He initialization prevents them.

Lecture, "Vanishing / Exploding Gradients": in the deep *linear* network (g(z) = z, b = 0)

    ŷ = W[L] W[L−1] ⋯ W[2] W[1] X

every layer multiplies by its ``W``; with ``W[l] = c·I`` the activations are ``A[l] = c^l X`` — for
``c = 1.5`` or ``0.5`` and ``L = 150`` astronomically large or small. (The notes write
``1.5^{L−1}``, keeping the last layer apart; here every layer is ``c·I``, so ``ŷ = c^L X``.)

Lecture, "Weight Initialization for Deep Networks": ``z = w_1 a_1 + … + w_n a_n`` grows with ``n``,
so draw ``Var(w) = 1/n[l−1]`` — for ReLU, ``2/n[l−1]`` (He). In terms of the second moment of the
activations, ``q_l = mean(A[l]²)`` over units and examples, a ReLU layer with zero biases and weights
drawn symmetrically with variance ``v`` gives

    E[q_l | A[l−1]] = ½ · n[l−1] · v · q_{l−1},

so He (``v = 2/n[l−1]``) keeps ``E[q_l] = q_{l−1}`` at every depth; the course's random×10 (``v = 100``)
multiplies the second moment by ``50·n`` per layer (explodes) and ×0.01 (``v = 10⁻⁴``) by
``n/20 000`` (vanishes). The *per-layer gain* ``g_l = q_l / q_{l−1}`` has mean exactly ``n v / 2``.

The guarantee is about the expectation. A single network of finite width drifts: ``log q_L`` has
a mean of about ``−c·L/n`` and a variance of about ``5·L/n``; at width 32 and depth 50 the median of
``q_50/q_0`` under He is ≈ 0.03 (while its mean is 1). "Within a factor of 2" for every network
needs a width much larger than the depth.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from refnn import validation
from refnn.init import VarianceScaling, initialize, initialize_from_draws, resolve_scheme, unit_draws
from refnn.network import check_finite_pass, check_forward_args, forward, run_forward
from refnn.types import FloatArray, InitScheme, ParamsLike, RealArrayLike


def scaled_identity_weights(n: int, depth: int, c: float) -> list[FloatArray]:
    """``[W[1], …, W[L]]`` with ``W[l] = c·I_n`` — the notes' example of a deep linear network.

    Example:
        >>> [w.tolist() for w in scaled_identity_weights(2, 2, 1.5)]
        [[[1.5, 0.0], [0.0, 1.5]], [[1.5, 0.0], [0.0, 1.5]]]
    """
    func = "scaled_identity_weights"
    size = validation.positive_int(func, "n", n)
    L = validation.positive_int(func, "depth", depth)
    cc = validation.real(func, "c", c)
    validation.entry_budget(func, "n' and 'depth", size * size * L, " (depth matrices n × n)")
    return [cc * np.eye(size) for _ in range(L)]


def deep_linear_activations(weights: Sequence[RealArrayLike], X: RealArrayLike) -> list[FloatArray]:
    """The activations ``A[0] = X, A[l] = W[l] A[l−1]`` of the deep linear network; ``ŷ = A[L]``.

    ``ŷ = W[L] ⋯ W[1] X`` (lecture, "Vanishing / Exploding Gradients": g(z) = z, b = 0). With
    ``W[l] = c·I`` the activations are exactly ``c^l X`` (up to rounding).

    Args:
        weights: ``[W[1], …, W[L]]`` with ``W[l]: (n[l], n[l−1])``, ``L ≥ 1``.
        X: ``(n[0], m)``.

    Returns:
        ``[A[0], …, A[L]]``, ``A[l]: (n[l], m)`` (``A[0]`` is a copy of ``X``).

    Example:
        >>> import numpy as np
        >>> up = deep_linear_activations(scaled_identity_weights(3, 150, 1.5), np.ones((3, 2)))
        >>> down = deep_linear_activations(scaled_identity_weights(3, 150, 0.5), np.ones((3, 2)))
        >>> f"{up[-1][0, 0]:.3e}", f"{down[-1][0, 0]:.3e}"
        ('2.592e+26', '7.006e-46')
    """
    func = "deep_linear_activations"
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise validation.fail_type(func, "weights", "a sequence [W[1], ..., W[L]] of 2-D arrays",
                                   weights)
    if len(weights) == 0:
        raise validation.fail_value(func, "weights", "at least one weight matrix", "0")
    Ws = [
        validation.float_array(func, f"weights[{i}]", W, ndim=2,
                               shape_text=f"(n[{i + 1}], n[{i}])")
        for i, W in enumerate(weights)
    ]
    A = validation.float_array(func, "X", X, ndim=2, shape=(Ws[0].shape[1], None),
                               shape_text="(n[0], m)").copy()
    for i in range(1, len(Ws)):
        if Ws[i].shape[1] != Ws[i - 1].shape[0]:
            raise validation.fail_value(
                func, f"weights[{i}]",
                f"of shape (n[{i + 1}], n[{i}]) = ({Ws[i].shape[0]}, {Ws[i - 1].shape[0]}) "
                f"to follow weights[{i - 1}]",
                f"shape {Ws[i].shape}",
            )
    out = [A]
    for W in Ws:
        A = W @ A
        out.append(A)
    return out


def relu_second_moments(params: ParamsLike, X: RealArrayLike) -> FloatArray:
    """``q_l = mean(A[l]²)`` of the input (``l = 0``) and of every hidden ReLU layer ``l = 1..L−1``.

    Runs :func:`refnn.network.forward` (no dropout) and averages the squares of each cached
    activation over units and examples; the sigmoid output layer is left out.

    Returns:
        ``(q_0, q_1, …, q_{L−1})``, shape ``(L,)``.

    Example:
        >>> import numpy as np
        >>> p = {"W1": 2 * np.eye(2), "b1": np.zeros((2, 1)),
        ...      "W2": np.ones((1, 2)), "b2": np.zeros((1, 1))}
        >>> X = np.array([[1.0, -1.0], [3.0, 1.0]])  # mean(X²) = 3; relu(2X) = [[2, 0], [6, 2]]
        >>> relu_second_moments(p, X).tolist()
        [3.0, 11.0]
    """
    func = "relu_second_moments"
    P, A, masks, kps = check_forward_args(func, params, X, 1.0, None, None)
    if A.shape[1] == 0:
        raise validation.fail_value(func, "X", "at least one example (m >= 1)", f"shape {A.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        _, cache = run_forward(P, A, masks, kps)
    check_finite_pass(func, [layer.Z for layer in cache.layers])
    L = len(cache.layers)
    with np.errstate(over="ignore"):
        q = np.array([float(np.mean(np.square(cache.A(l)))) for l in range(L)])
    if not np.isfinite(q).all():
        raise validation.fail_value(func, "params' and 'X", "values whose mean(A[l]²) is "
                                    "representable in float64", f"q = {q.tolist()!r}")
    return q


def deep_relu_second_moments(
    width: int,
    depth: int,
    *,
    rng: np.random.Generator,
    scheme: InitScheme | VarianceScaling = "he",
    scale: float | None = None,
    n_networks: int = 1,
    m: int = 8,
) -> FloatArray:
    """Second moments of the activations through freshly initialized deep ReLU networks.

    For each of ``n_networks`` networks: ``layer_dims = [width] * (depth + 1) + [1]`` initialized with
    :func:`refnn.init.initialize` (``scheme``, ``scale``, from ``rng``), an input ``X: (width, m)`` of
    i.i.d. standard normals from ``rng``, and ``q_l = mean(A[l]²)`` for ``l = 0..depth`` (``q_0`` is the
    input's; layers ``1..depth`` are the hidden ReLU layers).

    He keeps ``E[q_l] = q_{l−1}`` (lecture, "Weight Initialization for Deep Networks", ``√(2/n)``
    for ReLU); random×10 explodes and ×0.01 vanishes (lecture, "Vanishing / Exploding Gradients").

    Args:
        width: ``n`` of every hidden layer and of the input. depth: the number of hidden layers.
        rng: the generator of the weights and the inputs.
        scheme, scale: as in :func:`refnn.init.initialize` (``scheme="random", scale=0.01`` is ×0.01).
        n_networks: independent networks (a new ``X`` for each). m: examples per input.

    Returns:
        ``q`` of shape ``(n_networks, depth + 1)``.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> he = deep_relu_second_moments(64, 50, rng=rng, n_networks=20)
        >>> big = deep_relu_second_moments(64, 50, rng=rng, scheme="random")
        >>> small = deep_relu_second_moments(64, 50, rng=rng, scheme="random", scale=0.01)
        >>> gains = he[:, 1:] / he[:, :-1]          # per-layer gains q_l / q_{l-1}
        >>> bool(abs(gains.mean() - 1) < 0.1), bool(big[0, -1] > 1e100), bool(small[0, -1] < 1e-100)
        (True, True, True)
    """
    func = "deep_relu_second_moments"
    n = validation.positive_int(func, "width", width)
    L = validation.positive_int(func, "depth", depth)
    gen = validation.generator(func, rng)
    N = validation.positive_int(func, "n_networks", n_networks)
    mm = validation.positive_int(func, "m", m)
    rule = resolve_scheme(func, scheme, scale)
    validation.entry_budget(func, "n_networks' and 'depth", N * (L + 1), " (the result)")
    validation.entry_budget(func, "width' and 'depth", n * n * (L + 1), " (one network)")
    validation.entry_budget(func, "width' and 'm", n * mm, " (one input X)")
    dims = [n] * (L + 1) + [1]
    out = np.empty((N, L + 1))
    for k in range(N):
        params = initialize_from_draws(tuple(dims), rule, unit_draws(gen, "normal"))
        X = gen.standard_normal((n, mm))
        with np.errstate(over="ignore", under="ignore"):
            _, cache = run_forward(params, X, [None] * L, (1.0,) * (L + 1))
            out[k] = [float(np.mean(np.square(cache.A(l)))) for l in range(L + 1)]
    return out
