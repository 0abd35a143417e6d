"""The one training loop: batch gradient descent in preallocated buffers, on :mod:`refnn.kernel`.

:func:`refnn.training.train` and :func:`refnn.early_stopping.train_with_early_stopping` check
their arguments and run :func:`run`; :func:`refnn.training.train_reference` is the same loop
written the obvious way (new arrays and dicts every iteration), and the tests hold the two to be
equal bit for bit. :func:`run` calls the same kernel functions in the same order, with ``out=``
buffers:

* every ``W[l]``, ``b[l]`` is a view into one flat vector ``θ`` and every ``dW[l]``, ``db[l]`` a
  view into one flat vector ``g``, so the ``1/m`` scaling, the L2 term and the update
  ``θ ← θ − α g`` are each one kernel call for the whole network (the same elementwise
  arithmetic as per array);
* the ``(n[l], m)`` buffers of each layer are named fields of a :class:`LayerBuffers`, allocated
  once; ``Z[l]`` becomes ``A[l]`` in place (the backward pass needs only ``A[l]``);
* dropout masks are drawn layer by layer, ``rng.random((n[l], m)) < keep_prob[l]``, the draws of
  the readable path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from refnn import kernel
from refnn.types import BoolArray, FloatArray, Params, TrainResult

Monitor = Callable[[int, float, Params], bool]
"""``monitor(i, cost_i, θ_i) -> stop``: called at every iteration after the cost of ``θ_i`` and
before its update; ``θ_i`` is a dict of views, valid during the call only (copy what you keep).
Returning ``True`` ends the run there, without the update."""


@dataclass(frozen=True, slots=True, eq=False)
class LayerBuffers:
    """The arrays of layer ``l`` of the fused loop (all written in place).

    Attributes:
        W, b: views into ``θ``. dW, db: views into ``g``.
        A_prev: ``A[l−1]`` (``X`` for ``l = 1``, else the layer below's ``A``).
        A: ``(n[l], m)``: ``Z[l]``, turned into ``A[l]`` in place (``σ(Z[L])`` for the output).
        dZ: ``(n[l], m)``: ``dZ[l]`` (first ``dA[l]``, for a hidden layer).
        positive: ``1{A[l] > 0}``, for the ReLU's backward step.
        keep_prob: the layer's keep probability.
        D, U: the dropout mask and its uniform draws; ``None`` where the layer has no dropout.
    """

    W: FloatArray
    b: FloatArray
    dW: FloatArray
    db: FloatArray
    A_prev: FloatArray
    A: FloatArray
    dZ: FloatArray
    positive: BoolArray
    keep_prob: float
    D: BoolArray | None
    U: FloatArray | None


@dataclass(frozen=True, slots=True, eq=False)
class Buffers:
    """The whole network's buffers: ``θ``, ``g``, the per-entry L2 strengths and the layers."""

    theta: FloatArray
    grad: FloatArray
    decay: FloatArray   # λ on the entries of every W[l], 0 on every b[l]
    work: FloatArray    # scratch of θ's size
    cost_work: FloatArray  # (1, m) scratch for the cost
    layers: tuple[LayerBuffers, ...]
    params: Params      # "W1", "b1", … → the views into θ

    @property
    def weights(self) -> list[FloatArray]:
        """``[W[1], …, W[L]]`` (views)."""
        return [layer.W for layer in self.layers]


def allocate(X: FloatArray, params: Params, keep_probs: Sequence[float], lambd: float,
             fixed_masks: Sequence[BoolArray | None] | None) -> Buffers:
    """Buffers for ``X: (n_x, m)`` and ``params`` (copied into ``θ``); fixed masks copied in."""
    L = len(params) // 2
    dims = (X.shape[0],) + tuple(params[f"W{l}"].shape[0] for l in range(1, L + 1))
    m = X.shape[1]
    total = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, L + 1))
    theta, grad, decay = np.empty(total), np.empty(total), np.zeros(total)
    views: Params = {}
    grad_views: Params = {}
    off = 0
    for l in range(1, L + 1):
        for key, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            size = shape[0] * shape[1]
            views[key] = theta[off:off + size].reshape(shape)
            views[key][...] = params[key]
            grad_views[key] = grad[off:off + size].reshape(shape)
            if key[0] == "W":
                decay[off:off + size] = lambd
            off += size
    layers: list[LayerBuffers] = []
    A_prev = X
    for l in range(1, L + 1):
        shape = (dims[l], m)
        dropping = l < L and keep_probs[l - 1] < 1.0
        D = np.empty(shape, dtype=np.bool_) if dropping else None
        if D is not None and fixed_masks is not None:
            given = fixed_masks[l - 1]
            assert given is not None
            D[...] = given
        layer = LayerBuffers(
            W=views[f"W{l}"], b=views[f"b{l}"], dW=grad_views[f"W{l}"], db=grad_views[f"b{l}"],
            A_prev=A_prev, A=np.empty(shape), dZ=np.empty(shape),
            positive=np.empty(shape, dtype=np.bool_), keep_prob=keep_probs[l - 1] if l < L else 1.0,
            D=D, U=np.empty(shape) if dropping and fixed_masks is None else None,
        )
        layers.append(layer)
        A_prev = layer.A
    return Buffers(theta=theta, grad=grad, decay=decay, work=np.empty(total),
                   cost_work=np.empty((1, m)), layers=tuple(layers), params=views)


def forward(buf: Buffers, rng: np.random.Generator) -> FloatArray:
    """``A[L]`` of the current ``θ``, in place; fresh masks where a layer has draw buffers."""
    *hidden, out = buf.layers
    for layer in hidden:
        A = kernel.affine(layer.W, layer.A_prev, layer.b, out=layer.A)
        kernel.relu(A, out=A)
        if layer.D is not None:
            if layer.U is not None:
                kernel.draw_mask(rng, layer.keep_prob, A.shape, out=layer.D, draws=layer.U)
            kernel.dropout(A, layer.D, layer.keep_prob, out=A)
    AL = kernel.affine(out.W, out.A_prev, out.b, out=out.A)
    return kernel.sigmoid(AL, out=AL)


def backward(buf: Buffers, Y: FloatArray) -> None:
    """The sums ``dZ[l] A[l−1]ᵀ`` and ``Σ_k dZ[l]`` of every layer into ``g`` (not yet ``/m``)."""
    layers = buf.layers
    top = layers[-1]
    kernel.output_delta(top.A, Y, out=top.dZ)
    for l in range(len(layers) - 1, 0, -1):
        layer, below = layers[l], layers[l - 1]
        kernel.gradient_sums(layer.dZ, layer.A_prev, layer.dW, layer.db)
        dA = kernel.back_affine(layer.W, layer.dZ, out=below.dZ)
        if below.D is not None:
            kernel.dropout(dA, below.D, below.keep_prob, out=dA)
        kernel.relu_backward(dA, below.A, out=dA, positive=below.positive)
    first = layers[0]
    kernel.gradient_sums(first.dZ, first.A_prev, first.dW, first.db)


def step(buf: Buffers, m: int, lambd: float, learning_rate: float) -> None:
    """``g ← (1/m) g (+ (λ W)/m)``, then ``θ ← θ − α g``, each over the whole flat vector."""
    kernel.mean_over_examples(buf.grad, m, out=buf.grad)
    if lambd != 0.0:
        kernel.add_l2_gradient(buf.grad, buf.theta, buf.decay, m, out=buf.grad, work=buf.work)
    kernel.descend(buf.theta, buf.grad, learning_rate, out=buf.theta, work=buf.grad)


def diverged(func: str, i: int, what: str) -> ValueError:
    """The error both loops raise when gradient descent has blown up."""
    return ValueError(
        f"{func}: gradient descent diverged at iteration {i}: {what}; "
        "try a smaller 'learning_rate'"
    )


def is_finite(theta: FloatArray) -> bool:
    """``θ`` has no inf/nan (one sum first: ``inf − inf`` and ``nan − nan`` are nan)."""
    s = float(np.add.reduce(theta))
    return s - s == 0.0 or bool(np.all(np.isfinite(theta)))


def run(
    X: FloatArray,
    Y: FloatArray,
    params: Params,
    *,
    keep_probs: Sequence[float],
    lambd: float,
    learning_rate: float,
    num_iterations: int,
    rng: np.random.Generator,
    fixed_masks: Sequence[BoolArray | None] | None = None,
    monitor: Monitor | None = None,
    func: str = "train",
) -> TrainResult:
    """Batch gradient descent on already checked arguments (see :func:`refnn.training.train`).

    Args:
        X: ``(n_x, m)`` float64; Y: ``(1, m)`` float64 labels in {0, 1}.
        params: ``W1, b1, …, WL, bL`` with chaining shapes and ``n[L] = 1``; not modified.
        keep_probs: one keep probability per layer ``1..L`` (the last is 1.0).
        lambd: ``λ ≥ 0``. learning_rate: ``α > 0``. num_iterations: ``≥ 0``.
        rng: the generator the dropout masks are drawn from.
        fixed_masks: if given, one mask per hidden layer (``None`` where ``keep_prob = 1``) used
            in every iteration instead of fresh draws.
        monitor: see :data:`Monitor`; the run (and ``costs``) ends at the iteration it stops.
        func: the public function named in the divergence error.

    The cost of iteration ``i`` is recorded before its update, with the course's cross-entropy
    (:func:`refnn.kernel.output_cross_entropy`: ``inf`` when an output saturates at the wrong
    label) plus the L2 term.

    Raises:
        ValueError: when ``A[L]`` becomes nan or a parameter non-finite (divergence).
    """
    buf = allocate(X, params, keep_probs, lambd, fixed_masks)
    m = X.shape[1]
    Ws = buf.weights
    costs = np.empty(num_iterations)
    done = num_iterations
    # e^{−Z} may overflow (σ = 0) and log 0 = −inf: the course's semantics, silently. A nan that
    # would poison the run is raised, as ValueError, below.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for i in range(num_iterations):
            AL = forward(buf, rng)
            cost = kernel.output_cross_entropy(AL, Y, out=buf.cost_work)
            if cost != cost:
                raise diverged(func, i, "the output A[L] became nan")
            if lambd != 0.0:
                cost = cost + float(kernel.l2_cost(Ws, lambd, m))
            costs[i] = cost
            if monitor is not None and monitor(i, cost, buf.params):
                done = i + 1
                break
            backward(buf, Y)
            step(buf, m, lambd, learning_rate)
            if not is_finite(buf.theta):
                raise diverged(func, i, "a parameter became inf or nan")
    out = {key: view.copy() for key, view in buf.params.items()}
    return TrainResult(params=out, costs=costs[:done] if done < num_iterations else costs)
