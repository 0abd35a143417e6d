"""What every ``refnn`` command shares: exit statuses, the one-line usage error, argument types."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import NoReturn

PROG = "refnn"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad option, value or missing input: exit status 2, one line.

    ``prog`` is the (sub)command it concerns, when known (``"refnn conform"``).
    """

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


class CommandFailure(Exception):
    """The command ran but could not finish (e.g. training diverged): exit status 1, one line."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``refnn conform: error: … (see refnn conform --help)``."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')", self.prog)


def one_line(text: str, limit: int = 400) -> str:
    """``text`` on one line; longer than ``limit`` it is cut at a space, never inside a word or a
    number, and marked with ``…``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def finite_float(text: str) -> float:
    """An argparse type: a finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def check_output_file(path: str) -> None:
    """A usage error unless ``path`` can be written (``-`` is standard output)."""
    if path == "-":
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write '{path}': no directory '{folder}'")
