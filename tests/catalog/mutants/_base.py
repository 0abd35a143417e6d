"""The base the network mutants build on: the Initialization and Regularization notebooks' functions,
written plainly from the lecture's formulas and split into small pieces a mutant can replace.

It is a correct, complete target (it is judged as a valid alternative: a mutant's kill means
nothing if its base fails the suite). What it does not write itself — the gradient-checking
notebook, the initializer of ``reg_utils``, the lecture's topics beyond the assignments — comes from
``refnn.course``. The gradient-checking notebook has its own base, ``_gc_base.py``.

A mutant imports the base, redefines the piece it breaks, names the course functions that piece
breaks, and calls :func:`rebind`::

    from _base import *  # noqa: F403

    CATALOG_ENTRY = {..., "breaks": ["forward_propagation_with_dropout"], "kills": ["DROP-2"]}

    def keep_mask(shape, keep_prob):
        return np.random.randn(*shape) < keep_prob  # BUG: normal, not uniform

    rebind(globals())  # noqa: F405

:func:`rebind` re-creates the base's functions around the mutant's pieces, as if the base's source
stood at the top of the mutant, and hands out the functions the entry breaks:
``forward_propagation_with_dropout`` then calls the mutant's ``keep_mask`` (and whatever the suite
substitutes in that function's namespace is seen by it), every other function is the base's. The
course's functions keep their names, signatures, cache tuples and gradient keys; like the course's
code they reseed numpy's global stream (``np.random.seed(3)`` in the random initializers,
``np.random.seed(1)`` in the dropout forward pass), so a mutant's seeding reads as a notebook's.

Shapes: ``X: (n_x, m)``, ``Y: (1, m)``, ``W[l]: (n[l], n[l−1])``, ``b[l]: (n[l], 1)``; every
function works for any depth ``L = len(parameters) // 2``.
"""

import types
from collections import namedtuple

import numpy as np

from refnn.course import *  # noqa: F403  (what this base does not write itself)

CATALOG_ENTRY = {
    "id": "_base",
    "family": "ALL",
    "description": "the network mutants' base: the course's functions written plainly, in small pieces",
}

_HOME = globals()


def rebind(namespace, home=None):
    """Give the course functions a mutant's ``CATALOG_ENTRY["breaks"]`` names the mutant's pieces.

    ``namespace`` is the mutant's ``globals()``, after its definitions. The base's functions (those
    of ``home``, another base's globals, when given) and the mutant's own are re-created in a
    private copy of ``namespace``, as if the base's source stood above the mutant's; the functions
    the entry breaks are then taken from that copy. Every other course function stays the base's:
    the mistake reaches exactly the functions the entry says it breaks, as in the notebooks, where
    the learner's dropout backward pass shares no code with ``reg_utils``' backward pass.
    """
    home = _HOME if home is None else home
    private = dict(namespace)
    for name, value in namespace.items():
        if (isinstance(value, types.FunctionType) and name != "rebind"
                and (value.__globals__ is home or value.__globals__ is namespace)):
            copy = types.FunctionType(value.__code__, private, value.__name__, value.__defaults__,
                                      value.__closure__)
            copy.__kwdefaults__, copy.__doc__ = value.__kwdefaults__, value.__doc__
            copy.__qualname__ = value.__qualname__
            private[name] = copy
    for name in namespace["CATALOG_ENTRY"]["breaks"]:
        namespace[name] = private[name]


# ------------------------------------------------------------------------------ initialization


def initialize_parameters_zeros(layers_dims):
    """W[l] = 0, b[l] = 0."""
    return initialize(layers_dims, zero_weights)


def initialize_parameters_random(layers_dims):
    """W[l] ~ N(0, 10²) entrywise, b[l] = 0."""
    np.random.seed(3)
    return initialize(layers_dims, random_weights)


def initialize_parameters_he(layers_dims):
    """W[l] ~ N(0, 2/n[l−1]) entrywise (He), b[l] = 0."""
    np.random.seed(3)
    return initialize(layers_dims, he_weights)


def initialize(layers_dims, weights, biases=None):
    """``{"W1": weights(n[1], n[0]), "b1": biases(n[1]), …}`` for l = 1..L (biases: zeros)."""
    biases = biases or zero_biases
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = weights(layers_dims[l], layers_dims[l - 1])
        parameters["b" + str(l)] = biases(layers_dims[l])
    return parameters


def zero_weights(n_out, n_in):
    return np.zeros((n_out, n_in))


def zero_biases(n_out):
    return np.zeros((n_out, 1))


def random_weights(n_out, n_in):
    """Large random values: a standard normal times 10."""
    return np.random.randn(n_out, n_in) * 10


def he_weights(n_out, n_in):
    """A standard normal times √(2 / fan), fan = :func:`he_fan`."""
    return np.random.randn(n_out, n_in) * np.sqrt(2.0 / he_fan(n_out, n_in))


def he_fan(n_out, n_in):
    """The fan He's variance divides by: the fan-in n[l−1], the inputs each unit sums."""
    return n_in


# ------------------------------------------------------------------------------- forward pass

Layer = namedtuple("Layer", "Z D A W b")
"""One layer of a course cache; ``D`` is ``None`` where nothing was dropped."""


def forward_propagation(X, parameters):
    """LINEAR→RELU ×(L−1) → LINEAR→SIGMOID; cache ``(Z1, A1, W1, b1, …, ZL, AL, WL, bL)``."""
    return forward(X, parameters)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """Inverted dropout on every hidden layer; cache ``(Z1, D1, A1, W1, b1, …, ZL, AL, WL, bL)``."""
    np.random.seed(1)
    return forward(X, parameters, keep_prob)


def forward(X, parameters, keep_prob=None):
    """``Z[l] = W[l] A[l−1] + b[l]``; ``A[l] = relu(Z[l])`` (dropped when ``keep_prob`` is given)
    for the hidden layers, ``A[L] = σ(Z[L])``. Returns ``(A[L], cache tuple)``."""
    A, cache = X, ()
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = linear(W, A, b)
        if l == L:
            A = sigmoid(Z)
            cache += (Z, A, W, b)
        elif keep_prob is None:
            A = hidden_activation(Z)
            cache += (Z, A, W, b)
        else:
            D = keep_mask(Z.shape, keep_prob)
            A = drop(hidden_activation(Z), D, keep_prob)
            cache += (Z, D, A, W, b)
    return A, cache


def linear(W, A, b):
    return np.dot(W, A) + b


def hidden_activation(Z):
    """ReLU, ``max(0, Z)``."""
    return np.maximum(0, Z)


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def keep_mask(shape, keep_prob):
    """``D = 1{U < keep_prob}``, U uniform on [0, 1): each unit kept with probability keep_prob."""
    return np.random.rand(*shape) < keep_prob


def drop(A, D, keep_prob):
    """Inverted dropout: the kept units divided by keep_prob, so that ``E[A·D/keep_prob] = A``."""
    return A * D / keep_prob


# ------------------------------------------------------------------------------------- cost


def compute_cost(a3, Y):
    """``J = (1/m) Σ_i L(a⁽ⁱ⁾, y⁽ⁱ⁾)``, the mean cross-entropy (``nansum``, as the course)."""
    m = Y.shape[1]
    return 1.0 / m * np.nansum(example_losses(a3, Y))


def compute_loss(a3, Y):
    """The Initialization notebook's name for :func:`compute_cost`."""
    return compute_cost(a3, Y)


def example_losses(a3, Y):
    """``L(a, y) = −[y log a + (1 − y) log(1 − a)]`` per example."""
    return -(Y * np.log(a3) + (1 - Y) * np.log(1 - a3))


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """``J + λ/(2m)·Σ_l ‖W[l]‖²_F``."""
    return compute_cost(A3, Y) + l2_cost(parameters, lambd, Y.shape[1])


def l2_cost(parameters, lambd, m):
    """``λ/(2m)·Σ_l ‖W[l]‖²_F``: the weights only, never the biases."""
    return lambd / (2 * m) * sum(squared_norm(parameters[k]) for k in parameters if k.startswith("W"))


def squared_norm(W):
    """``‖W‖²_F = Σ_kj W_kj²``."""
    return np.sum(np.square(W))


# ------------------------------------------------------------------------------ backward pass


def backward_propagation(X, Y, cache):
    """The gradient of the mean cross-entropy: keys ``dZ3, dW3, db3, dA2, dZ2, …, dW1, db1``."""
    return backward(X, Y, cache)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """:func:`backward_propagation` plus the L2 term's gradient on every ``dW[l]``."""
    grads = backward(X, Y, cache)
    for key, term in l2_gradient_terms(layers_of(cache), lambd, X.shape[1]).items():
        grads[key] = grads[key] + term
    return grads


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """The gradient through the cached masks: ``dA[l] = (W[l+1]ᵀ dZ[l+1]) · D[l] / keep_prob``."""
    return backward(X, Y, cache, keep_prob)


def backward(X, Y, cache, keep_prob=None):
    """``dZ[L] = A[L] − Y``; ``dW[l] = (1/m) dZ[l] A[l−1]ᵀ``; ``db[l] = (1/m) Σ_i dZ[l]``;
    ``dA[l−1] = W[l]ᵀ dZ[l]`` (through the mask where layer l−1 was dropped);
    ``dZ[l−1] = dA[l−1] · relu′``."""
    m = X.shape[1]
    layers = layers_of(cache, dropout=keep_prob is not None)
    grads = {}
    dZ = output_error(layers[-1].A, Y)
    for l in range(len(layers), 0, -1):
        A_prev = X if l == 1 else layers[l - 2].A
        grads["dZ" + str(l)] = dZ
        grads["dW" + str(l)] = weight_gradient(dZ, A_prev, m)
        grads["db" + str(l)] = bias_gradient(dZ, m)
        if l > 1:
            below = layers[l - 2]
            dA = np.dot(layers[l - 1].W.T, dZ)
            if below.D is not None:
                dA = drop_grad(dA, below.D, keep_prob)
            grads["dA" + str(l - 1)] = dA
            dZ = dA * relu_derivative(below.Z, below.A)
    return grads


def layers_of(cache, dropout=False):
    """The course's cache tuple as one :data:`Layer` per layer (5 entries for a dropped hidden
    layer, 4 for the others)."""
    layers, i = [], 0
    while i < len(cache):
        if dropout and len(cache) - i > 4:
            layers.append(Layer(*cache[i:i + 5]))
            i += 5
        else:
            Z, A, W, b = cache[i:i + 4]
            layers.append(Layer(Z, None, A, W, b))
            i += 4
    return layers


def output_error(A, Y):
    """``dZ[L] = A[L] − Y``, the cross-entropy's derivative through the sigmoid."""
    return A - Y


def weight_gradient(dZ, A_prev, m):
    return 1.0 / m * np.dot(dZ, A_prev.T)


def bias_gradient(dZ, m):
    return 1.0 / m * np.sum(dZ, axis=1, keepdims=True)


def relu_derivative(Z, A):
    """``relu′ = 1{A > 0}`` (the course's; the value at Z = 0 is a convention)."""
    return A > 0


def drop_grad(dA, D, keep_prob):
    """The gradient through :func:`drop`: the same mask, the same scaling."""
    return dA * D / keep_prob


def l2_gradient_terms(layers, lambd, m):
    """The L2 term's gradient, ``{"dW1": (λ/m)·W1, …}``; the biases are not regularized."""
    return {"dW" + str(l): lambd / m * layer.W for l, layer in enumerate(layers, start=1)}


# ------------------------------------------------------------------------- update and predict


def update_parameters(parameters, grads, learning_rate):
    """``p ← p − α·dp`` for every W[l], b[l], into new arrays (the caller's are not written into)."""
    return {k: gradient_step(p, grads["d" + k], learning_rate) for k, p in parameters.items()}


def gradient_step(p, dp, learning_rate):
    return p - learning_rate * dp


def predict(X, y, parameters):
    """The 0/1 predictions ``1{A[L] > 0.5}``, shape (1, m); prints the accuracy."""
    a3, _ = forward_propagation(X, parameters)
    p = prediction(a3)
    print("Accuracy: " + str(np.mean(p[0, :] == y[0, :])))
    return p


def prediction(a3):
    return (a3 > 0.5).astype(np.int64)
