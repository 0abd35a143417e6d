"""The course's ``public_tests`` helper module, minimal: a notebook's test cells' checks.

It exists so that a learner's notebook that does ``from public_tests import *`` can be loaded as a
conformance target (:mod:`refnn.notebook`); the conformance suite is the real judge and never calls
these. Each ``<function>_test(target)`` calls the learner's function on the course's test case
(:mod:`refnn.course.standins.testCases`) and compares the result with the course's published values in
``golden/`` (:mod:`refnn.golden`, with their tolerances). It prints ``All tests passed.`` like the
course, or raises :class:`AssertionError` with golden's "got X, but should be Y" message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from refnn import golden
from refnn.course.standins import testCases

_GREEN = "\033[92m"


def _check(file: str, entry_id: str, results: Mapping[str, object]) -> None:
    entry = golden.entry(file, entry_id)
    for key, actual in results.items():
        comparison = entry.compare(key, actual)
        if not comparison.ok:
            raise AssertionError(comparison.message)
    print(_GREEN + " All tests passed.")


def _initializer_test(entry_id: str, layers_dims: list[int]) -> Callable[[Callable[..., Any]], None]:
    def test(target: Callable[..., Any]) -> None:
        parameters = target(layers_dims)
        _check("initialization", entry_id, {k: parameters[k] for k in ("W1", "b1", "W2", "b2")})

    test.__doc__ = f"``target({layers_dims})`` against golden/initialization.json[{entry_id!r}]."
    return test


initialize_parameters_zeros_test = _initializer_test("init_zeros_3_2_1", [3, 2, 1])
initialize_parameters_random_test = _initializer_test("init_random_3_2_1", [3, 2, 1])
initialize_parameters_he_test = _initializer_test("init_he_3_1_2_public_test", [3, 1, 2])


def compute_cost_with_regularization_test(target: Callable[..., Any]) -> None:
    """``target(A3, Y, parameters, lambd=0.1)`` against the published cost."""
    A3, Y, parameters = testCases.compute_cost_with_regularization_test_case()
    _check("regularization", "compute_cost_with_regularization",
           {"cost": target(A3, Y, parameters, lambd=0.1)})


def _grads(entry_id: str, grads: Mapping[str, object]) -> None:
    keys = golden.entry("regularization", entry_id).get("expected")
    assert isinstance(keys, dict)
    _check("regularization", entry_id, {k: grads[k] for k in keys})


def backward_propagation_with_regularization_test(target: Callable[..., Any]) -> None:
    """``target(X, Y, cache, lambd=0.7)`` against the published gradients."""
    X, Y, cache = testCases.backward_propagation_with_regularization_test_case()
    _grads("backward_propagation_with_regularization", target(X, Y, cache, lambd=0.7))


def forward_propagation_with_dropout_test(target: Callable[..., Any]) -> None:
    """``target(X, parameters, keep_prob=0.7)`` against the published ``A3``."""
    X, parameters = testCases.forward_propagation_with_dropout_test_case()
    A3, _ = target(X, parameters, keep_prob=0.7)
    _check("regularization", "forward_propagation_with_dropout", {"A3": A3})


def backward_propagation_with_dropout_test(target: Callable[..., Any]) -> None:
    """``target(X, Y, cache, keep_prob=0.8)`` against the published gradients."""
    X, Y, cache = testCases.backward_propagation_with_dropout_test_case()
    _grads("backward_propagation_with_dropout", target(X, Y, cache, keep_prob=0.8))


def forward_propagation_test(target: Callable[..., Any]) -> None:
    """The 1-D ``J = θx``: ``target(2, 4)`` is 8."""
    _check("gradient_checking", "gc_forward_backward_1d", {"J_x2_theta4": target(2, 4)})


def backward_propagation_test(target: Callable[..., Any]) -> None:
    """The 1-D ``dJ/dθ = x``: ``target(3, 4)`` is 3."""
    _check("gradient_checking", "gc_forward_backward_1d", {"dtheta_x3_theta4": target(3, 4)})


def gradient_check_test(target: Callable[..., Any], difference: float | None = None) -> None:
    """The 1-D check at ``x = 3, θ = 4``: ``difference`` (default ``target(3, 4)``) against the
    published ``7.814075313343006e-11``."""
    value = target(3, 4) if difference is None else difference
    _check("gradient_checking", "gradient_check_1d_x3_theta4", {"difference": value})


__all__ = [
    "backward_propagation_test",
    "backward_propagation_with_dropout_test",
    "backward_propagation_with_regularization_test",
    "compute_cost_with_regularization_test",
    "forward_propagation_test",
    "forward_propagation_with_dropout_test",
    "gradient_check_test",
    "initialize_parameters_he_test",
    "initialize_parameters_random_test",
    "initialize_parameters_zeros_test",
]
