"""Writes the Initialization (W1A1) notebooks of this folder: a learner's correct notebook and
two buggy ones, in the shape of the course's (imports from init_utils, the three graded
initializers, the model cell). Run it again after editing the sources below:

    python tests/grading/notebooks/make_initialization.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

IMPORTS = """import numpy as np
import matplotlib.pyplot as plt
import sklearn
import sklearn.datasets
from init_utils import sigmoid, relu, compute_loss, forward_propagation, backward_propagation
from init_utils import update_parameters, predict, load_dataset, plot_decision_boundary, predict_dec
from public_tests import *

%matplotlib inline
plt.rcParams['figure.figsize'] = (7.0, 4.0)
%load_ext autoreload
%autoreload 2"""

MODEL = '''def model(X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True, initialization="he"):
    grads = {}
    costs = []
    m = X.shape[1]
    layers_dims = [X.shape[0], 10, 5, 1]
    if initialization == "zeros":
        parameters = initialize_parameters_zeros(layers_dims)
    elif initialization == "random":
        parameters = initialize_parameters_random(layers_dims)
    elif initialization == "he":
        parameters = initialize_parameters_he(layers_dims)
    for i in range(num_iterations):
        a3, cache = forward_propagation(X, parameters)
        cost = compute_loss(a3, Y)
        grads = backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost}")
            costs.append(cost)
    return parameters'''

ZEROS = '''# GRADED FUNCTION: initialize_parameters_zeros

def initialize_parameters_zeros(layers_dims):
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters'''

RANDOM = '''# GRADED FUNCTION: initialize_parameters_random

def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.random.{draw}(layers_dims[l], layers_dims[l - 1]) * 10
        parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters'''

HE = '''# GRADED FUNCTION: initialize_parameters_he

def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    parameters = {{}}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        parameters['W' + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * {scale}
        parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters'''

NOTEBOOKS = {
    "initialization_correct": ("randn", "np.sqrt(2. / layers_dims[l - 1])"),
    "initialization_random_uniform": ("rand", "np.sqrt(2. / layers_dims[l - 1])"),
    "initialization_he_without_sqrt": ("randn", "2. / layers_dims[l - 1]"),
}


def cell(kind: str, source: str) -> dict[str, object]:
    out: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        out.update(outputs=[], execution_count=None)
    return out


def notebook(draw: str, scale: str) -> dict[str, object]:
    cells = [
        cell("markdown", "# Initialization\n\nA learner's notebook (refnn's test data)."),
        cell("code", IMPORTS),
        cell("code", "train_X, train_Y, test_X, test_Y = load_dataset()"),
        cell("code", MODEL),
        cell("markdown", "## Zero initialization"),
        cell("code", ZEROS),
        cell("code", "parameters = initialize_parameters_zeros([3, 2, 1])\n"
                     "print(\"W1 = \" + str(parameters[\"W1\"]))"),
        cell("markdown", "## Random initialization"),
        cell("code", RANDOM.replace("{draw}", draw)),
        cell("markdown", "## He initialization"),
        cell("code", HE.format(scale=scale)),
        cell("code", "parameters = model(train_X, train_Y, initialization = \"he\")"),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                        "display_name": "Python 3"}},
            "nbformat": 4, "nbformat_minor": 4}


def main() -> None:
    for name, (draw, scale) in NOTEBOOKS.items():
        (HERE / f"{name}.ipynb").write_text(json.dumps(notebook(draw, scale), indent=1) + "\n",
                                            encoding="utf-8")


if __name__ == "__main__":
    main()
