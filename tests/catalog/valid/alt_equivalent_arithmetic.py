"""Valid alternative: the same mathematics, computed differently (the way a framework wrapper would).

* any depth L (loops over layers instead of the notebooks' three hard-wired ones);
* matrix products with ``np.einsum``, relu with ``np.where``, sigmoid with ``scipy.special.expit``;
* the cost with ``scipy.special.xlogy`` / ``xlog1py`` (0·log 0 = 0, as the course's ``nansum`` has it);
* the L2 penalty with ``np.vdot``; the L2 gradient as weight decay folded into the product;
* dropout masks from ``Generator.binomial`` applied with ``np.where`` (masks stored as bool);
* update as a dict comprehension; predict with ``np.where``.

Equal to the course up to rounding; it draws its randomness from its own Generator, so it is judged
by the RNG-independent tier only.
"""

import numpy as np
from scipy.special import expit, xlog1py, xlogy

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "alt_equivalent_arithmetic",
    "family": "ALL",
    "description": "einsum/np.where/expit/xlogy/vdot/binomial masks, any depth: same math, other arithmetic",
}

_rng = np.random.default_rng(7)


def _layers(parameters):
    return len([k for k in parameters if k.startswith("W")])


def _matmul(W, A):
    return np.einsum("ij,jk->ik", W, A)


def initialize_parameters_he(layers_dims):
    return {
        key: value
        for l in range(1, len(layers_dims))
        for key, value in (
            ("W%d" % l, np.sqrt(2.0 / layers_dims[l - 1]) * _rng.standard_normal((layers_dims[l], layers_dims[l - 1]))),
            ("b%d" % l, np.zeros((layers_dims[l], 1))),
        )
    }


def _forward(X, parameters, keep_prob=1.0):
    L = _layers(parameters)
    cache = []
    A = X
    for l in range(1, L + 1):
        W, b = parameters["W%d" % l], parameters["b%d" % l]
        Z = _matmul(W, A) + b
        if l == L:
            A = expit(Z)
            cache += [Z, A, W, b]
        elif keep_prob < 1:
            D = _rng.binomial(1, keep_prob, size=Z.shape).astype(bool)
            A = np.where(D & (Z > 0), Z / keep_prob, 0.0)
            cache += [Z, D, A, W, b]
        else:
            A = np.where(Z > 0, Z, 0.0)
            cache += [Z, A, W, b]
    return A, tuple(cache)


def forward_propagation(X, parameters):
    return _forward(X, parameters)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    if keep_prob == 1:  # the course still caches (all-ones) masks at keep_prob = 1
        L = _layers(parameters)
        A3, plain = _forward(X, parameters)
        out = []
        for l in range(L - 1):
            Z, A, W, b = plain[4 * l:4 * l + 4]
            out += [Z, np.ones(Z.shape, dtype=bool), A, W, b]
        return A3, tuple(out) + plain[4 * (L - 1):]
    return _forward(X, parameters, keep_prob)


def _backward(X, Y, cache, lambd=0.0, keep_prob=1.0):
    m = X.shape[1]
    dropout = len(cache) % 4 != 0
    L = (len(cache) + 1) // 5 if dropout else len(cache) // 4
    layers, i = [], 0
    for l in range(1, L + 1):  # unpack (Z, [D,] A, W, b) per layer
        if dropout and l < L:
            Z, D, A, W, b = cache[i:i + 5]
            i += 5
        else:
            (Z, A, W, b), D = cache[i:i + 4], None
            i += 4
        layers.append((Z, D, A, W, b))
    grads = {}
    dZ = layers[-1][2] - Y
    for l in range(L, 0, -1):
        Z, D, A, W, b = layers[l - 1]
        A_prev = X if l == 1 else layers[l - 2][2]
        grads["dZ%d" % l] = dZ
        grads["dW%d" % l] = (np.einsum("ik,jk->ij", dZ, A_prev) + lambd * W) / m
        grads["db%d" % l] = dZ.mean(axis=1, keepdims=True)
        if l == 1:
            break
        dA = np.einsum("ji,jk->ik", W, dZ)
        D_prev = layers[l - 2][1]
        if D_prev is not None:
            dA = np.where(D_prev.astype(bool), dA / keep_prob, 0.0)
        grads["dA%d" % (l - 1)] = dA
        dZ = np.where(layers[l - 2][2] > 0, dA, 0.0)
    return grads


def backward_propagation(X, Y, cache):
    return _backward(X, Y, cache)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    return _backward(X, Y, cache, lambd=lambd)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    return _backward(X, Y, cache, keep_prob=keep_prob)


def compute_cost(a3, Y):
    with np.errstate(divide="ignore"):
        losses = -(xlogy(Y, a3) + xlog1py(1 - Y, -a3))
    return float(np.nansum(losses) / Y.shape[1])


compute_loss = compute_cost


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    penalty = sum(np.vdot(W, W) for k, W in parameters.items() if k.startswith("W"))
    return compute_cost(A3, Y) + lambd * penalty / (2 * m)


def update_parameters(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def predict(X, y, parameters):
    a, _ = forward_propagation(X, parameters)
    p = np.where(a > 0.5, 1, 0)
    print("Accuracy: " + str(np.mean(p == y)))
    return p
