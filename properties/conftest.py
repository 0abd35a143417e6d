"""Shared set-up of the conformance suite.

The options (``--refnn-target``, ``--refnn-target-timeout``, ``--refnn-rule``), the Hypothesis profiles and the
``target`` fixture come from the plugin :mod:`refnn.conformance.plugin`, which pytest loads through
refnn's ``pytest11`` entry point. If plugin autoloading is off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``)
or refnn is not installed as a distribution, this file registers the plugin itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

import refnn.conformance.plugin as _options
import refnn.conformance.suite_plugin as _plugin

if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
    # Hypothesis keeps files (its constants cache) in ./.hypothesis/ even without a database;
    # the suite keeps them out of the caller's folder.
    set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / f"refnn-hypothesis-{os.getuid()}"
                                if hasattr(os, "getuid") else
                                Path(tempfile.gettempdir()) / "refnn-hypothesis"))


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    # the options, when the entry point was not loaded (PYTEST_DISABLE_PLUGIN_AUTOLOAD)
    if not pluginmanager.is_registered(_options) and pluginmanager.get_plugin("refnn") is None:
        pluginmanager.register(_options, "refnn")


def pytest_plugin_registered(plugin: object, manager: pytest.PytestPluginManager) -> None:
    # the suite's plugin, once this conftest is in: it acts only in sessions that run the suite
    if plugin is _THIS and not manager.is_registered(_plugin):
        manager.register(_plugin, "refnn-suite")


def pytest_configure(config: pytest.Config) -> None:
    """The suite never writes a Hypothesis example database into the caller's folder: when no
    profile was chosen (Hypothesis's ``default``), run under a copy of it without a database and
    without a deadline (a target's speed is not a rule).
    (refnn's own profiles set ``database=None`` already.) A replayed counterexample from an
    earlier run against another target would otherwise be judged again in every later run."""
    from hypothesis import settings

    if settings.get_current_profile_name() == "default":
        settings.register_profile("refnn-default", parent=settings.get_profile("default"),
                                  database=None, deadline=None)
        settings.load_profile("refnn-default")


_THIS = sys.modules[__name__]
