"""The base the gradient-checking mutants build on: the Gradient-Checking notebook, written plainly
and split into small pieces a mutant can replace (see ``_base.py`` for how a mutant uses a base).

Shaped like the notebook: the 1-D pair ``forward_propagation(x, theta)`` / ``backward_propagation(x,
theta)`` (J = θx) beside ``gradient_check``, and the network's ``forward_propagation_n`` /
``backward_propagation_n`` (computed by ``_base``'s forward and backward passes) beside
``gradient_check_n`` and the vectorization helpers of ``gc_utils``. Every checker looks its
helpers up in this module's namespace (after :func:`rebind`, the mutant's), where the suite
substitutes them. The rest of the course comes from ``refnn.course``. It is judged as a valid
alternative.
"""

import numpy as np

from refnn.course import *  # noqa: F403  (what this base does not write itself)

from _base import backward, example_losses, forward
from _base import rebind as _rebind

CATALOG_ENTRY = {
    "id": "_gc_base",
    "family": "GC",
    "description": "the gradient-checking mutants' base: the GC notebook written plainly, in small pieces",
}

_HOME = globals()


def rebind(namespace):
    """As ``_base.rebind``, for this base's functions (``_base``'s forward and backward passes
    stay as they are)."""
    _rebind(namespace, _HOME)


# --------------------------------------------------------------------- the 1-D example, J = θx


def forward_propagation(x, theta):
    """``J(θ) = θx``."""
    return theta * x


def backward_propagation(x, theta):
    """``dJ/dθ = x``."""
    return x


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """The relative difference of this module's dJ/dθ and two-sided differences of its J."""
    gradapprox = numerical_derivative(x, theta, epsilon)
    grad = analytic_derivative(x, theta)
    difference = relative_difference(grad, gradapprox)
    report(difference, print_msg)
    return difference


def numerical_derivative(x, theta, epsilon):
    """``(J(θ + ε) − J(θ − ε)) / 2ε``, J this module's forward_propagation."""
    return (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)


def analytic_derivative(x, theta):
    """This module's backward_propagation at (x, θ)."""
    return backward_propagation(x, theta)


def relative_difference(grad, gradapprox):
    """``‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂)``."""
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def report(difference, print_msg):
    if print_msg:
        verdict = ("There is a mistake in the backward propagation!" if difference > 2e-7
                   else "Your backward propagation works perfectly fine!")
        print(verdict + " difference = " + str(difference))


# ------------------------------------------------------------------------------ the network


def forward_propagation_n(X, Y, parameters):
    """``(J, cache)``: the mean cross-entropy of the network (``np.sum``, as the notebook) and the
    cache ``(Z1, A1, W1, b1, …)``. ``Y`` may be 1-D, as in the notebook's test."""
    A3, cache = forward(X, parameters)
    return 1.0 / X.shape[1] * np.sum(example_losses(A3, Y)), cache


def backward_propagation_n(X, Y, cache):
    """The gradient of forward_propagation_n's J (without the notebook's planted bugs)."""
    return backward(X, Y, cache)


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """The :func:`relative_difference` of the gradients given and this module's
    :func:`numerical_gradient`."""
    grad = gradients_to_vector(gradients)
    gradapprox = numerical_gradient(parameters, X, Y, epsilon)
    difference = relative_difference(grad, gradapprox)
    report(difference, print_msg)
    return difference


def numerical_gradient(parameters, X, Y, epsilon):
    """dθ_approx ``(n, 1)``: for every entry i of θ a :func:`central_difference` of this module's
    forward_propagation_n. Any depth."""
    theta, _ = dictionary_to_vector(parameters)
    dims = [parameters["W1"].shape[1]] + [parameters["W" + str(l)].shape[0]
                                          for l in range(1, len(parameters) // 2 + 1)]

    def J(t):
        return forward_propagation_n(X, Y, vector_to_dictionary(t, dims))[0]

    gradapprox = np.zeros(theta.shape)
    for i in range(theta.shape[0]):
        gradapprox[i] = central_difference(J, theta, i, epsilon)
    return gradapprox


def central_difference(J, theta, i, epsilon):
    """``(J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε``."""
    J_plus = J(perturbed(theta, i, epsilon))
    J_minus = J(perturbed(theta, i, -epsilon))
    return (J_plus - J_minus) / (2 * epsilon)


def perturbed(theta, i, delta):
    """A copy of θ with entry i moved by ``delta``."""
    theta = np.copy(theta)
    theta[i] = theta[i] + delta
    return theta


# --------------------------------------------------------------------------- gc_utils helpers


def dictionary_to_vector(parameters):
    """θ ``(n, 1)``: W1, b1, W2, b2, … each :func:`flatten`-ed; and the key of every entry."""
    names = parameter_names(len(parameters) // 2)
    theta = np.concatenate([flatten(parameters[k]) for k in names], axis=0)
    keys = [k for k in names for _ in range(parameters[k].size)]
    return theta, keys


def vector_to_dictionary(theta, layer_dims=(4, 5, 3, 1)):
    """The inverse of :func:`dictionary_to_vector` for the network ``layer_dims``."""
    parameters, start = {}, 0
    for k in parameter_names(len(layer_dims) - 1):
        l = int(k[1:])
        shape = (layer_dims[l], layer_dims[l - 1]) if k[0] == "W" else (layer_dims[l], 1)
        size = shape[0] * shape[1]
        parameters[k] = unflatten(theta[start:start + size], shape)
        start += size
    return parameters


def gradients_to_vector(gradients):
    """dW1, db1, dW2, db2, … flattened row-major into ``(n, 1)`` (the dZ, dA entries ignored).
    Written on its own, as in gc_utils: it must lay the gradients out as dictionary_to_vector
    lays out θ."""
    L = sum(1 for k in gradients if k.startswith("dW"))
    keys = ["d" + p + str(l) for l in range(1, L + 1) for p in ("W", "b")]
    return np.concatenate([np.reshape(gradients[k], (-1, 1)) for k in keys], axis=0)


def parameter_names(L):
    """W1, b1, W2, b2, …, WL, bL."""
    return [p + str(l) for l in range(1, L + 1) for p in ("W", "b")]


def flatten(array):
    """Row-major (C order) into a column."""
    return np.reshape(array, (-1, 1))


def unflatten(column, shape):
    """The inverse of :func:`flatten`."""
    return np.reshape(column, shape)
