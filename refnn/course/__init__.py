"""The course's own function API, re-created as a thin layer over refnn's core.

"Improving Deep Neural Networks", week 1: the Initialization (W1A1), Regularization (W1A2) and
Gradient Checking (W1A3) assignments, with the course's function names, signatures, cache tuple
layouts, gradient keys and ``np.random.seed`` calls — this package is the only place in refnn that
touches numpy's global random state, and each function's docstring says which seeding it reproduces.

Per notebook: :mod:`~refnn.course.initialization`, :mod:`~refnn.course.regularization`,
:mod:`~refnn.course.gradient_checking`; the helper modules :mod:`~refnn.course.init_utils`,
:mod:`~refnn.course.reg_utils`, :mod:`~refnn.course.gc_utils`.

Where the assignments disagree (cache key case, where ``1/m`` is applied) this package follows the
Regularization/Gradient-Checking conventions: upper-case cache entries and gradient keys,
``dZ[L] = A[L] − Y`` and ``1/m`` on every ``dW``/``db``.

The top level is the default *target* of the conformance suite: it holds the network functions of
the Regularization notebook, the initializers of the Initialization notebook, the gradient-checking
functions (``gradient_check`` uses the 1-D pair of :mod:`~refnn.course.gradient_checking`), and —
beyond the course — refnn's public names for the lecture topics the course never coded
(:mod:`refnn.course.beyond_assignments`). The list of the course's functions is data,
:mod:`refnn.conformance.course_functions`; tests/course/test_course.py checks this package against it.
"""

from refnn.course.gc_utils import dictionary_to_vector, gradients_to_vector, vector_to_dictionary
from refnn.course.gradient_checking import (
    backward_propagation_n,
    backward_propagation_n_with_planted_bugs,
    forward_propagation_n,
    gradient_check,
    gradient_check_n,
)
from refnn.course.init_utils import compute_loss, load_dataset
from refnn.course.initialization import (
    initialize_parameters_he,
    initialize_parameters_random,
    initialize_parameters_zeros,
)
from refnn.course.reg_utils import initialize_parameters, load_2D_dataset
from refnn.course.regularization import (
    backward_propagation,
    backward_propagation_with_dropout,
    backward_propagation_with_regularization,
    compute_cost,
    compute_cost_with_regularization,
    forward_propagation,
    forward_propagation_with_dropout,
    predict,
    update_parameters,
)

from refnn.course.beyond_assignments import *  # noqa: F403  (the lecture topics beyond the assignments)
from refnn.course.beyond_assignments import __all__ as _extension_names

__all__ = [
    "backward_propagation",
    "backward_propagation_n",
    "backward_propagation_n_with_planted_bugs",
    "backward_propagation_with_dropout",
    "backward_propagation_with_regularization",
    "compute_cost",
    "compute_cost_with_regularization",
    "compute_loss",
    "dictionary_to_vector",
    "forward_propagation",
    "forward_propagation_n",
    "forward_propagation_with_dropout",
    "gradient_check",
    "gradient_check_n",
    "gradients_to_vector",
    "initialize_parameters",
    "initialize_parameters_he",
    "initialize_parameters_random",
    "initialize_parameters_zeros",
    "load_2D_dataset",
    "load_dataset",
    "predict",
    "update_parameters",
    "vector_to_dictionary",
    *_extension_names,
]
