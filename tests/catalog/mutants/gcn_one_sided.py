"""Mutant: gradient_check_n uses a one-sided difference, J computed once at θ.

Its error is O(ε) rather than O(ε²): it does not shrink ~100× when ε shrinks 10×, and the relative
difference for a correct backward pass is far above the 2e-7 threshold at moderate ε."""

import numpy as np

from refnn.course import *  # noqa: F403

CATALOG_ENTRY = {
    "id": "gcn_one_sided",
    "family": "GC",
    "description": "gradient_check_n uses the one-sided difference (J(θ+εeᵢ) − J(θ))/ε",
}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))
    J, _ = forward_propagation_n(X, Y, vector_to_dictionary(parameters_values))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] = theta_plus[i] + epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))
        gradapprox[i] = (J_plus[i] - J) / epsilon  # BUG: one-sided
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        if difference > 2e-7:
            print("There is a mistake in the backward propagation! difference = " + str(difference))
        else:
            print("Your backward propagation works perfectly fine! difference = " + str(difference))
    return difference
