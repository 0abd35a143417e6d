"""A plain one-line progress bar for the ``refnn`` command, and a pytest plugin that drives it.

:class:`ProgressBar` redraws one line (``\\r``) on a terminal stream and draws nothing elsewhere,
so a log or a test's captured output holds no bar. No dependency.

As a pytest plugin (``-p refnn.progress``), this module shows how many properties of the
conformance suite have run; it is silent unless :data:`ENABLED` is set (``refnn conform`` sets it
in its own process) and in pytest-xdist's worker processes (the controller counts their reports).
"""

from __future__ import annotations

import sys
from typing import TextIO

import pytest

ENABLED = False
"""Whether the pytest hooks below draw a bar (set by ``refnn conform``)."""


class ProgressBar:
    """``label [#########...........]  done/total`` on one line of ``stream``.

    Args:
        total: the number of steps (``> 0``).
        label: a short text before the bar.
        stream: where to draw (default the *original* ``sys.__stderr__``, so that output
            redirection inside the process does not swallow it).
        enabled: draw at all; default: only when ``stream`` is a terminal.
        width: the bar's width in characters.
    """

    def __init__(self, total: int, label: str = "", *, stream: TextIO | None = None,
                 enabled: bool | None = None, width: int = 30) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.stream: TextIO | None = stream if stream is not None else sys.__stderr__
        if enabled is None:
            enabled = bool(self.stream is not None and self.stream.isatty())
        self.enabled = enabled and self.stream is not None
        self.width = width
        self.done = 0
        self._drawn = 0

    def update(self, done: int, note: str = "") -> None:
        """Show ``done`` of ``total`` steps (and a short ``note``)."""
        self.done = min(max(done, 0), self.total)
        if not self.enabled or self.stream is None:
            return
        filled = self.width * self.done // self.total
        text = (f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                f"{self.done}/{self.total}" + (f"  {note}" if note else ""))
        pad = max(self._drawn - len(text), 0)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._drawn = len(text)

    def close(self) -> None:
        """Erase the bar's line."""
        if self.enabled and self.stream is not None and self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
        self._drawn = 0


_BAR_KEY = pytest.StashKey[ProgressBar]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the bar once the properties are collected (controller process only)."""
    if ENABLED and not _is_worker(session.config) and session.items:
        session.config.stash[_BAR_KEY] = ProgressBar(len(session.items), "properties")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Advance the bar after each property's call phase (or a failed set-up)."""
    config = _CONFIG.get("config")
    if config is None or _BAR_KEY not in config.stash:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        bar = config.stash[_BAR_KEY]
        bar.update(bar.done + 1, report.nodeid.rsplit("::", 1)[-1][:40])


_CONFIG: dict[str, pytest.Config] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Remember the config (reports do not carry it)."""
    _CONFIG["config"] = config


def pytest_unconfigure(config: pytest.Config) -> None:
    """Erase the bar when the session ends."""
    if _BAR_KEY in config.stash:
        config.stash[_BAR_KEY].close()
    _CONFIG.pop("config", None)


__all__ = ["ENABLED", "ProgressBar"]
