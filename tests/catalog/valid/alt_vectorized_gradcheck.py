"""Valid alternative: the Gradient-Checking notebook with vectorized checks and helpers.

Shaped like the notebook (the 1-D pair J(θ) = θx, gradient_check, and the N-D functions), with:

* vectorization helpers built from ``np.concatenate``/``ravel`` and ``np.split`` (layout read from
  the arrays, so any depth works for dictionary_to_vector; vector_to_dictionary keeps the course's
  [4, 5, 3, 1] default);
* gradient_check_n building every perturbed θ at once (θ ± ε·I, one column per coordinate) and the
  difference with one ``np.linalg.norm`` over the stacked vectors; the cost still comes from this
  module's forward_propagation_n, looked up at call time, so a substituted cost is honoured;
* gradient_check evaluating J at θ ± ε in one list and using the same relative-difference helper.
"""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "alt_vectorized_gradcheck",
    "family": "GC",
    "description": "GC notebook: gradient_check_n over θ ± ε·I in one shot, helpers via concatenate/split",
}

_COURSE_DIMS = (4, 5, 3, 1)


def forward_propagation(x, theta):
    return theta * x


def backward_propagation(x, theta):
    return x


def _relative_difference(grad, gradapprox):
    g = np.asarray(grad, dtype=float).ravel()
    a = np.asarray(gradapprox, dtype=float).ravel()
    norms = np.linalg.norm(np.stack([g - a, g, a]), axis=1)
    return float(norms[0] / (norms[1] + norms[2]))


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    J_plus, J_minus = [forward_propagation(x, t) for t in (theta + epsilon, theta - epsilon)]
    difference = _relative_difference(backward_propagation(x, theta), (J_plus - J_minus) / (2 * epsilon))
    if print_msg:
        print(("There is a mistake in the backward propagation!" if difference > 2e-7
               else "Your backward propagation works perfectly fine!") + " difference = " + str(difference))
    return difference


def _names(parameters, prefix=""):
    L = len([k for k in parameters if k.startswith(prefix + "W")])
    return [prefix + name + str(l) for l in range(1, L + 1) for name in ("W", "b")]


def dictionary_to_vector(parameters):
    names = _names(parameters)
    theta = np.concatenate([np.ravel(parameters[k]) for k in names])[:, None]
    keys = [k for k in names for _ in range(np.size(parameters[k]))]
    return theta, keys


def gradients_to_vector(gradients):
    return np.concatenate([np.ravel(gradients[k]) for k in _names(gradients, "d")])[:, None]


def vector_to_dictionary(theta, layer_dims=_COURSE_DIMS):
    shapes = [s for l in range(1, len(layer_dims))
              for s in ((layer_dims[l], layer_dims[l - 1]), (layer_dims[l], 1))]
    names = ["%s%d" % (n, l) for l in range(1, len(layer_dims)) for n in ("W", "b")]
    cuts = np.cumsum([a * b for a, b in shapes])[:-1]
    return {k: piece.reshape(s).copy() for k, s, piece in zip(names, shapes, np.split(np.ravel(theta), cuts))}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta, _ = dictionary_to_vector(parameters)
    dims = [parameters["W1"].shape[1]] + [parameters["W%d" % l].shape[0]
                                           for l in range(1, len(parameters) // 2 + 1)]
    n = theta.shape[0]
    steps = epsilon * np.eye(n)
    cost = lambda t: forward_propagation_n(X, Y, vector_to_dictionary(t[:, None], dims))[0]  # noqa: E731
    J_plus = np.array([cost(col) for col in (theta + steps).T])
    J_minus = np.array([cost(col) for col in (theta - steps).T])
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    difference = _relative_difference(gradients_to_vector(gradients), gradapprox)
    if print_msg:
        print(("There is a mistake in the backward propagation!" if difference > 2e-7
               else "Your backward propagation works perfectly fine!") + " difference = " + str(difference))
    return difference
