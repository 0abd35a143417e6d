"""The Gradient-Checking assignment (W1A3), with the course's names, arguments and messages.

The notebook holds two pairs of functions under related names:

* the 1-D example ``J(θ) = θ·x``: :func:`forward_propagation` ``(x, theta)`` and
  :func:`backward_propagation` ``(x, theta)``, checked by :func:`gradient_check`;
* the 3-layer network: :func:`forward_propagation_n`, :func:`backward_propagation_n`, checked by
  :func:`gradient_check_n`.

Both checkers look the functions up in this module's namespace at call time, as the notebook does,
so substituting them here (as the conformance suite does) changes what is checked.

The course's pass mark: its text says a difference below ``1e-7`` means the gradient is right, but its
code prints the success message for ``difference <= 2e-7`` — the correct backprop of its own
example scores ``1.1890913024229996e-07``, which is above ``1e-7``. The messages below use ``2e-7``.

The notebook gives a ``backward_propagation_n`` with two planted bugs (``dW2`` doubled, ``db1``
with ``4/m``) for the learner to find; refnn's :func:`backward_propagation_n` is the corrected one
and :func:`backward_propagation_n_with_planted_bugs` reproduces the given one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from refnn import network, validation
from refnn.course.gc_utils import (
    dictionary_to_vector,
    gradients_to_vector,
    gradients_vector,
    vector_to_dictionary,
)
from refnn.course.layouts import CacheTuple, cache_to_tuple
from refnn.course.reg_utils import backward_from_tuple
from refnn.types import FloatArray, Grads

PASS_THRESHOLD = 2e-7
"""The course code's threshold (its text says 1e-7)."""


def forward_propagation(x: float, theta: float) -> float:
    """The 1-D example's "forward pass": ``J = θ·x``."""
    return theta * x


def backward_propagation(x: float, theta: float) -> float:
    """The derivative of ``J = θ·x`` with respect to ``θ``: ``x``."""
    return x


def _message(difference: float) -> None:
    if difference > PASS_THRESHOLD:
        print("\033[93m" + "There is a mistake in the backward propagation! difference = "
              + str(difference) + "\033[0m")
    else:
        print("\033[92m" + "Your backward propagation works perfectly fine! difference = "
              + str(difference) + "\033[0m")


def _relative_difference(grad: FloatArray | float, gradapprox: FloatArray | float) -> float:
    from refnn.gradcheck.report import relative_difference

    return relative_difference(grad, gradapprox)


def gradient_check(x: float, theta: float, epsilon: float = 1e-7, print_msg: bool = False) -> float:
    """``‖dθ − dθ_approx‖ / (‖dθ‖ + ‖dθ_approx‖)`` with ``dθ_approx = (J(θ+ε) − J(θ−ε)) / 2ε``.

    ``J`` and ``dθ`` come from this module's :func:`forward_propagation` and
    :func:`backward_propagation` (looked up at call time).
    """
    func = "gradient_check"
    validation.real(func, "x", x)
    validation.real(func, "theta", theta)
    validation.real(func, "epsilon", epsilon, low=0.0, low_open=True, range_text="> 0")
    if not isinstance(print_msg, bool):
        raise validation.fail_type(func, "print_msg", "a bool", print_msg)
    g = globals()
    J_plus = g["forward_propagation"](x, theta + epsilon)
    J_minus = g["forward_propagation"](x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = g["backward_propagation"](x, theta)
    difference = _relative_difference(grad, gradapprox)
    if print_msg:
        _message(difference)
    return difference


def _labels_row(func: str, Y: object, m: int) -> FloatArray:
    # The course passes y = np.array([1, 1, 0]) (1-D); it broadcasts against A3 (1, m).
    if isinstance(Y, np.ndarray) and Y.ndim == 1:
        Y = Y.reshape(1, -1)
    return validation.labels(func, "Y", Y, m)


def forward_propagation_n(X: FloatArray, Y: FloatArray, parameters: Mapping[str, FloatArray]
                          ) -> tuple[float, CacheTuple]:
    """The network's forward pass and cost: returns ``(cost, (Z1, A1, W1, b1, …, Z3, A3, W3, b3))``.

    Cost: ``(1/m) Σ(−Y log A3 − (1−Y) log(1−A3))`` (the course uses ``np.sum`` here rather than
    ``np.nansum``; the two differ only when an output saturates).

    Course quirk kept on purpose, and only here: this cost is the course's literal formula, term
    for term from ``A3 = σ(Z3)`` (``log(1 − σ(z))`` loses everything once ``σ(z)`` rounds to 1,
    and ``0·log 0`` gives ``nan``); refnn's core computes the cross-entropy with
    :func:`refnn.kernel.output_cross_entropy` or, stably, :func:`refnn.kernel.logit_losses`.
    """
    func = "forward_propagation_n"
    P, Xa, masks, kps = network.check_forward_args(func, parameters, X, 1.0, None, None,
                                                   params_name="parameters")
    y = _labels_row(func, Y, Xa.shape[1])
    AL, cache = network.checked_forward(func, P, Xa, masks, kps)
    return _course_cost(AL, y), cache_to_tuple(cache, P)


def _course_cost(AL: FloatArray, y: FloatArray) -> float:
    m = AL.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(AL), y) + np.multiply(-np.log(1 - AL), 1 - y)
    return float(1.0 / m * np.sum(logprobs))


def backward_propagation_n(X: FloatArray, Y: FloatArray, cache: CacheTuple) -> Grads:
    """The network's gradients (correct): keys ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``."""
    return _backward_n("backward_propagation_n", X, Y, cache)


def _backward_n(func: str, X: FloatArray, Y: FloatArray, cache: CacheTuple) -> Grads:
    if isinstance(Y, np.ndarray) and Y.ndim == 1:  # the course's y = np.array([1, 1, 0])
        Y = Y.reshape(1, -1)
    return backward_from_tuple(func, X, Y, cache)


def backward_propagation_n_with_planted_bugs(X: FloatArray, Y: FloatArray,
                                             cache: CacheTuple) -> Grads:
    """The notebook's given backward pass, bugs included: ``dW2`` is doubled and ``db1`` uses ``4/m``.

    Kept to reproduce the course's ``gradient_check_n`` result for it (0.2850931567761623).
    """
    grads = dict(_backward_n("backward_propagation_n_with_planted_bugs", X, Y, cache))
    grads["dW2"] = grads["dW2"] * 2
    grads["db1"] = grads["db1"] * 4
    return grads


def gradient_check_n(parameters: Mapping[str, FloatArray], gradients: Mapping[str, FloatArray],
                     X: FloatArray, Y: FloatArray, epsilon: float = 1e-7,
                     print_msg: bool = False) -> float:
    """The course's check: for every entry ``i`` of ``θ``, ``(J(θ + ε e_i) − J(θ − ε e_i)) / 2ε``
    with ``J`` from this module's :func:`forward_propagation_n`, then
    ``‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂)``.

    Works for any depth (refnn's addition): the layer sizes are read from ``parameters``.
    """
    from refnn.gradcheck.differences import run_numerical_gradient
    from refnn.gradcheck.layout import ParamLayout

    func = "gradient_check_n"
    P, dims = validation.params(func, parameters, "parameters")
    Xa = validation.float_array(func, "X", X, shape=(dims[0], None), shape_text="(n_x, m)")
    _labels_row(func, Y, Xa.shape[1])
    validation.real(func, "epsilon", epsilon, low=0.0, low_open=True, range_text="> 0")
    if not isinstance(print_msg, bool):
        raise validation.fail_type(func, "print_msg", "a bool", print_msg)
    theta = ParamLayout.course(dims).to_vector(P, func).reshape(-1, 1)
    grad = gradients_vector(func, gradients)
    forward_n = globals()["forward_propagation_n"]

    def J(t: FloatArray) -> float:
        return float(forward_n(X, Y, vector_to_dictionary(t, dims))[0])

    J0 = J(theta)
    if not np.isfinite(J0):
        raise validation.fail_value(func, "parameters' and 'X", "values where the course's cost "
                                    "J(theta) (forward_propagation_n) is finite", repr(J0))
    gradapprox = run_numerical_gradient(func, J, theta, "two-sided", float(epsilon))
    difference = _relative_difference(grad, gradapprox)
    if print_msg:
        _message(difference)
    return difference


__all__ = [
    "PASS_THRESHOLD",
    "backward_propagation",
    "backward_propagation_n",
    "backward_propagation_n_with_planted_bugs",
    "dictionary_to_vector",
    "forward_propagation",
    "forward_propagation_n",
    "gradient_check",
    "gradient_check_n",
    "gradients_to_vector",
    "vector_to_dictionary",
]
