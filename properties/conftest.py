"""Shared set-up of the conformance suite.

The options (``--target``, ``--target-timeout``, ``--rule``), the Hypothesis profiles and the
``target`` fixture come from the plugin :mod:`refnn.conformance.plugin`, which pytest loads through
refnn's ``pytest11`` entry point. If plugin autoloading is off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``)
or refnn is not installed as a distribution, this file registers the plugin itself.
"""

from __future__ import annotations

import pytest

import refnn.conformance.plugin as _plugin


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    if not pluginmanager.is_registered(_plugin):
        pluginmanager.register(_plugin, "refnn")
