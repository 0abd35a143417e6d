"""The pytest plugin (entry point ``pytest11: refnn``): ``--target`` and the ``target`` fixture."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from refnn.conformance.target import TargetImportError, load_target, lookup


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("refnn", "refnn conformance suite")
    group.addoption(
        "--target",
        action="store",
        default=None,
        help="implementation under test: a dotted module name or a path to a .py file "
        "(default: $REFNN_TARGET, else refnn.course)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rule(*ids): the lecture rule(s) (docs/SPEC.md) a property checks")
    config.addinivalue_line("markers", "golden: needs the course's exact seeded numbers")


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> ModuleType:
    """The module under test."""
    spec = request.config.getoption("--target")
    try:
        return load_target(spec)
    except TargetImportError as exc:
        pytest.fail(f"ENVIRONMENT ERROR: {exc}", pytrace=False)


def require(target: ModuleType, name: str) -> Callable[..., Any]:
    """The target's function ``name``; skip the calling test when the target lacks it."""
    func = lookup(target, name)
    if func is None:
        pytest.skip(f"target {target.__name__} does not provide {name}()")
    return func
