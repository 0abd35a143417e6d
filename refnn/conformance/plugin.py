"""The entry-point pytest plugin (``pytest11: refnn``): the suite's command-line options, nothing else.

It loads in every pytest session of an environment where refnn is installed, so it does nothing
but declare the options (it imports no numpy, no Hypothesis, no refnn module): no profile, no
header, no fixture, and one hook that acts only when the command line names a ``refnn-*``
Hypothesis profile (:func:`pytest_configure`). The suite's own ``conftest.py`` registers the
plugin that does the work (:mod:`refnn.conformance.suite_plugin`) when, and only when, the suite
is collected.

The options are declared here rather than in that ``conftest.py`` because a ``conftest.py`` below
``--pyargs`` (an installed suite) cannot add options.
"""

from __future__ import annotations

from typing import Any

import pytest

CALL_TIMEOUT = 20.0
"""Seconds one call of a target function may take by default (``--refnn-target-timeout``)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("refnn", "refnn conformance suite")
    group.addoption(
        "--refnn-target",
        action="store",
        default=None,
        metavar="SPEC",
        help="implementation under test: a dotted module name, a path to a .py file, or a "
        "Jupyter notebook (a file's imports, functions and constants only, unless "
        "--refnn-run-top-level) "
        "(default: $REFNN_TARGET, else refnn.course)",
    )
    group.addoption(
        "--refnn-run-top-level",
        action="store_true",
        default=False,
        help="run the top-level code of a target file (a notebook's every cell; a .py imported "
        "as a module); by default only its imports, functions and constants are taken",
    )
    group.addoption(
        "--refnn-target-timeout",
        action="store",
        type=float,
        default=CALL_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a call of a target function after this long (default {CALL_TIMEOUT:g})",
    )
    group.addoption(
        "--refnn-rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the properties citing rule ID, or any rule of a family (repeatable), "
        "e.g. --refnn-rule L2 --refnn-rule DROP-3",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register refnn's Hypothesis profiles when, and only when, the command line names one
    (``--hypothesis-profile=refnn-ci``).

    Hypothesis loads the named profile in its own ``pytest_configure``; under ``pytest --pyargs
    refnn.properties`` (an installed suite) the suite's ``conftest.py``, which registers them
    otherwise, is imported only later, at collection. A session that names no ``refnn-*``
    profile is untouched (nothing is imported)."""
    name = config.getoption("--hypothesis-profile", None)
    if isinstance(name, str) and name.startswith("refnn-"):
        import refnn.conformance.suite_plugin  # noqa: F401  (registers the profiles)


_MOVED = ("Subject", "record_of", "RECORD_KEY", "RULES_KEY", "PROFILES")
"""Names this module had when it was the whole plugin, now in :mod:`~refnn.conformance.subject`
and :mod:`~refnn.conformance.suite_plugin` (imported only when one of them is asked for)."""


def __getattr__(name: str) -> Any:
    if name not in _MOVED:  # pytest and pluggy probe plugin modules for optional names
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name == "Subject":
        from refnn.conformance.subject import Subject

        return Subject
    from refnn.conformance import suite_plugin

    return getattr(suite_plugin, name)
