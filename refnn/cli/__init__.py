"""The ``refnn`` command (also ``python -m refnn``), one module per subcommand.

::

    refnn conform     [--target SPEC] [--tier all|properties|golden] [--profile dev|ci|thorough]
                      [-n N] [--json FILE] [-k EXPR] [--rule ID] [-x] [--verbose]
    refnn experiment  init|regularization [--iterations N] [--learning-rate A]
                      [--lambd L] [--keep-prob P] [--data PATH] [--plot DIR]
    refnn diagnose    --train-error E --dev-error E [--bayes-error E]
    refnn gradcheck   [--fixed] [--layers 64,128,64,1 [--m M] [--seed S] [--lambd L]]

Exit status: 0 success; 1 a failure (a broken rule or a target problem in ``conform``, a failed
gradient check, a run that diverged); 2 a usage error (bad option or value, a missing file or
optional dependency). Errors are one line on stderr, without a traceback.

``refnn conform`` runs the conformance suite in this process (:func:`refnn.conformance.conform`)
on the suite installed with refnn (the package ``refnn.properties``, from a wheel), or the
checkout's ``properties/`` (a checkout or an editable install; :mod:`refnn.resources`);
``--properties DIR`` points at another copy.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from refnn.cli import conform, diagnose, experiment, grade, gradcheck, matrix
from refnn.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    CommandFailure,
    Parser,
    UsageError,
    one_line,
)
from refnn.cli.diagnose import parse_rate
from refnn.cli.gradcheck import parse_layers

COMMANDS = (conform, experiment, diagnose, gradcheck, grade, matrix)
"""The subcommands, each a module with ``add_parser(sub)``."""


def build_parser() -> argparse.ArgumentParser:
    """The ``refnn`` argument parser (one subcommand per module of :data:`COMMANDS`)."""
    from refnn import __version__

    parser = Parser(
        prog=PROG,
        description="refnn: a typed numpy reference of Improving Deep Neural Networks, week 1, "
        "and a conformance suite that judges any implementation of the course's functions.",
        epilog="exit status: 0 success, 1 failure, 2 usage error. "
        "'refnn COMMAND --help' describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"refnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def tolerate_any_encoding() -> None:
    """Make standard output and error replace what their encoding cannot encode (``λ`` on a
    cp1252 console or file, as Windows Python uses when output is redirected) instead of raising
    in the middle of a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or unusual stream: leave it alone
                pass


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``refnn`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if out is None:
        tolerate_any_encoding()
    stream = sys.stdout if out is None else out
    parser = build_parser()
    prog = PROG
    try:
        args = parser.parse_args(args_list)
        func: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "func", None)
        if func is None:
            if getattr(args, "command", None) == "experiment":
                raise UsageError("which experiment? init or regularization "
                                 "(see 'refnn experiment --help')", f"{PROG} experiment")
            raise UsageError("a command is required: "
                             + ", ".join(c.__name__.rsplit(".", 1)[-1] for c in COMMANDS)
                             + " (see 'refnn --help')")
        prog = f"{PROG} {args.command}"
        if args.command == "experiment":
            prog += f" {args.which}"
        return func(args, stream)
    except UsageError as exc:
        sys.stderr.write(f"{exc.prog or prog}: error: {exc}\n")
        return EXIT_USAGE
    except CommandFailure as exc:
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return EXIT_FAILURE
    except UnicodeError as exc:  # never a usage error (tolerate_any_encoding should prevent it)
        sys.stderr.write(f"{prog}: error: cannot write the output: {exc}\n")
        return EXIT_FAILURE
    except (ValueError, TypeError) as exc:  # refnn's argument checks on the values given
        sys.stderr.write(f"{prog}: error: {one_line(str(exc), 400)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK


__all__ = ["build_parser", "main", "parse_layers", "parse_rate"]
