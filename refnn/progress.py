"""A one-line progress bar for the ``refnn`` command (drawn by tqdm), and a pytest plugin that drives it.

:class:`ProgressBar` draws on a terminal stream only, fitted to the terminal's width (and
re-fitted when it is resized), and draws nothing elsewhere, so a log or a test's captured output
holds no bar. Text the stream's encoding cannot hold is replaced (``?``), and a stream that fails
(closed, broken pipe) silently ends the drawing: the bar never stops the work it shows.

As a pytest plugin (``-p refnn.progress``), this module shows how many properties of the
conformance suite have run; it is silent unless :data:`ENABLED` is set (``refnn conform`` sets it
in its own process) and in pytest-xdist's worker processes (the controller counts their reports).
"""

from __future__ import annotations

import codecs
import sys
from typing import TYPE_CHECKING, Any, TextIO

import pytest

if TYPE_CHECKING:
    from tqdm import tqdm

ENABLED = False
"""Whether the pytest hooks below draw a bar (set by ``refnn conform``)."""

_FORMAT = "{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]"


class _SafeStream:
    """A text stream's ``write``/``flush`` that never raise: characters its encoding cannot hold
    become ``?``, and after a failed write (closed stream, broken pipe) nothing more is written."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            self.encoding = codecs.lookup(encoding).name
        except LookupError:
            self.encoding = "ascii"
        self.broken = False

    def write(self, text: str) -> int:
        if self.broken:
            return 0
        safe = text.encode(self.encoding, errors="replace").decode(self.encoding, errors="replace")
        try:
            self._stream.write(safe)
        except (OSError, ValueError):
            self.broken = True
        return len(text)

    def flush(self) -> None:
        if self.broken:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError):
            self.broken = True

    def fileno(self) -> int:
        """The underlying descriptor (tqdm asks the terminal's size through it)."""
        return self._stream.fileno()


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (OSError, ValueError, AttributeError):
        return False


class ProgressBar:
    """``label  37%|#####      | done/total [elapsed<remaining, note]`` on one line of ``stream``.

    Args:
        total: the number of steps (``> 0``; smaller values count as 1).
        label: a short text before the bar.
        stream: where to draw (default the *original* ``sys.__stderr__``, so that output
            redirection inside the process does not swallow it).
        enabled: draw at all; default: only when ``stream`` is a terminal.
        width: the whole line's width in columns; default: the terminal's width, followed when
            the terminal is resized. A line that does not fit is cut at the width.
    """

    _MIN_INTERVAL = 0.1
    """Seconds between two redraws at least (a faster loop skips redraws)."""

    def __init__(self, total: int, label: str = "", *, stream: TextIO | None = None,
                 enabled: bool | None = None, width: int | None = None) -> None:
        self.total = max(int(total), 1)
        self.label = label
        self.stream: TextIO | None = stream if stream is not None else sys.__stderr__
        if enabled is None:
            enabled = _is_terminal(self.stream)
        self.enabled = bool(enabled) and self.stream is not None
        self.width = width
        self.done = 0
        self._bar: tqdm[Any] | None = None
        if self.enabled and self.stream is not None:
            from tqdm import tqdm  # only when a bar is drawn: no import cost otherwise

            out = _SafeStream(self.stream)
            self._out: _SafeStream | None = out
            self._bar = tqdm(total=self.total, desc=label, file=out, leave=False,
                             ncols=width, dynamic_ncols=width is None,
                             mininterval=self._MIN_INTERVAL, position=0,
                             bar_format=_FORMAT, ascii=not out.encoding.startswith("utf"),
                             disable=False)
        else:
            self._out = None

    def update(self, done: int, note: str = "") -> None:
        """Show ``done`` of ``total`` steps (and a short ``note``)."""
        self.done = min(max(int(done), 0), self.total)
        bar = self._bar
        if bar is None:
            return
        if self._out is not None and self._out.broken:
            self._bar = None
            return
        bar.set_postfix_str(note, refresh=False)
        bar.update(self.done - bar.n)

    def close(self) -> None:
        """Erase the bar's line."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


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
