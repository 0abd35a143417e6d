"""Running the conformance suite in-process: :func:`run`.

For ``refnn conform`` and for the bug catalog (``tests/catalog``)::

    from refnn.conformance import run
    result = run("path/to/my_notebook.py", ["-x", "--hypothesis-profile=refnn-catalog", "-m", "not golden"])
    result.exit_code, result.failed, result.rules_broken, result.records

``target`` may be a module object (registered in ``sys.modules`` for the run), a dotted module
name or a path to a ``.py`` file. Under ``-n`` (pytest-xdist) a module object cannot reach the
worker processes; name it by path or dotted name instead.

Calling :func:`run` repeatedly in one process works, with one caveat from pytest itself: the test
modules are imported once, so the Hypothesis profile in force at the first run decides the
per-property example counts of the later ones.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

from refnn.conformance.outcome import TARGET_PROBLEMS, PropertyRecord
from refnn.conformance.suite_plugin import record_of
from refnn.conformance.recording import resolve_consequences, root_rules
from refnn.resources import resource

_counter = itertools.count()

SUITE_INI = Path(__file__).with_name("suite.ini")
"""The suite's own pytest configuration (the caller's never applies to a run)."""


def properties_dir() -> Path:
    """The suite's folder: the installed package ``refnn.properties`` (a wheel), else the
    checkout's ``properties/`` (:func:`refnn.resources.resource`).

    Raises:
        FileNotFoundError: neither is there (refnn installed without its suite).
    """
    here = resource("properties")
    if (here / "conftest.py").is_file():
        return here
    raise FileNotFoundError(
        f"the conformance suite (the package refnn.properties) is not at {here}: reinstall refnn "
        "from its wheel or run from a refnn checkout (or pass properties=...)"
    )


PropertyOutcome = PropertyRecord
"""The name this record had before it was the one outcome record (kept for callers)."""


@dataclass
class RunResult:
    """What :func:`run` returns: pytest's exit code and every property's record, with "one bug,
    one rule" applied (a failure explained by a broken rule it depends on is a ``consequence``)."""

    exit_code: int
    records: list[PropertyRecord] = field(default_factory=list)
    output: str = ""
    """The terminal output (when ``quiet``)."""

    @property
    def outcomes(self) -> list[PropertyRecord]:
        """The records (the older name)."""
        return self.records

    def with_outcome(self, *outcomes: str) -> list[PropertyRecord]:
        return [r for r in self.records if r.outcome in outcomes]

    @property
    def passed(self) -> list[PropertyRecord]:
        return self.with_outcome("passed")

    @property
    def failed(self) -> list[PropertyRecord]:
        """Properties whose rule the target broke, as a root cause."""
        return self.with_outcome("broken")

    @property
    def consequences(self) -> list[PropertyRecord]:
        """Failures explained by another broken rule of the same run."""
        return self.with_outcome("consequence")

    @property
    def environment_errors(self) -> list[PropertyRecord]:
        """Properties that could not judge the target: its environment, portability of its
        code, or unfinished code."""
        return self.with_outcome(*TARGET_PROBLEMS)

    @property
    def skipped(self) -> list[PropertyRecord]:
        return self.with_outcome("skipped")

    @property
    def not_judged(self) -> list[PropertyRecord]:
        """Properties of functions that are not the learner's (given code, refnn's stand-ins)."""
        return self.with_outcome("not_judged")

    @property
    def errors(self) -> list[PropertyRecord]:
        """Properties that errored for another reason (a bug in the suite)."""
        return self.with_outcome("suite_error")

    @property
    def rules_broken(self) -> set[str]:
        """The rules broken as root causes."""
        return set(root_rules(self.records))

    @property
    def killed(self) -> bool:
        """The suite found a broken rule (target problems do not count)."""
        return bool(self.failed)


class _Collector:
    def __init__(self) -> None:
        self.records: dict[str, PropertyRecord] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = record_of(report)
        if record is not None:
            self.records.setdefault(record.nodeid, record)


def run(
    target: ModuleType | str | Path | None = None,
    extra_args: Sequence[str] = (),
    *,
    properties: str | Path | None = None,
    quiet: bool = True,
) -> RunResult:
    """Run the conformance suite against ``target`` in this process.

    Args:
        target: a module object, a dotted module name, a path to a ``.py`` file, or ``None``
            (``$REFNN_TARGET`` / ``refnn.course``).
        extra_args: more pytest arguments, e.g. ``["-x", "-m", "not golden",
            "--hypothesis-profile=refnn-ci", "--refnn-rule", "L2"]``.
        properties: the suite's directory (default: :func:`properties_dir`) or test files in it.
        quiet: capture the terminal output into :attr:`RunResult.output` instead of printing it.

    Returns:
        The exit code (pytest's) and every property's outcome.
    """
    registered: str | None = None
    spec: str | None
    if isinstance(target, ModuleType):
        stem = "".join(c if c.isalnum() or c == "_" else "_" for c in target.__name__)
        registered = f"{stem}__inprocess{next(_counter)}"
        sys.modules[registered] = target
        spec = registered
    elif target is None:
        spec = None
    else:
        spec = str(target)
    paths = [str(properties)] if properties is not None else [str(properties_dir())]
    first = Path(paths[0])
    rootdir = first if first.is_dir() else first.parent
    args = [*paths, "-p", "no:cacheprovider", "-c", str(SUITE_INI), f"--rootdir={rootdir}"]
    if spec is not None:
        args.append(f"--refnn-target={spec}")
    args += list(extra_args)
    collector = _Collector()
    addopts = os.environ.pop("PYTEST_ADDOPTS", None)  # the caller's, not the suite's
    buffer = io.StringIO()
    profile = settings.get_current_profile_name()
    try:
        if quiet:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                code = pytest.main(args, plugins=[collector])
        else:
            code = pytest.main(args, plugins=[collector])
    finally:
        if addopts is not None:
            os.environ["PYTEST_ADDOPTS"] = addopts
        if registered is not None:
            sys.modules.pop(registered, None)
        settings.load_profile(profile)  # --hypothesis-profile must not outlive the run
    records = resolve_consequences(collector.records.values())
    return RunResult(int(code), records, buffer.getvalue())


MAIN_HELP = """usage: python -m refnn.conformance [TARGET] [PYTEST-ARGS...]

Run refnn's conformance suite (properties/) in this process against TARGET: a dotted module
name, a path to a .py file, or a Jupyter notebook (default: $REFNN_TARGET, else refnn.course).
PYTEST-ARGS go to pytest; the suite's own options are:

  --refnn-target-timeout=SECONDS   stop a call of a target function after this long (default 20)
  --refnn-rule=ID                  only the properties citing rule ID or a family (L2, DROP-3); repeatable
  --refnn-run-top-level            also run a notebook's or script's top-level code (never by default)
  --hypothesis-profile=NAME        refnn-dev, refnn-ci (derandomized) or refnn-thorough
  -m "not golden"                  the RNG-independent tier (the lecture's rules only)

The exit status is pytest's. For a table per topic, the learner's functions and --json, use
`refnn conform` (refnn conform --help).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m refnn.conformance [TARGET] [pytest args…]``: run the suite, return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(MAIN_HELP)
        return 0
    target: Any = None
    if args and not args[0].startswith("-"):
        target = args.pop(0)
    return run(target, args, quiet=False).exit_code
