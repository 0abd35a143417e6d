"""Running the conformance suite in-process: :func:`run`.

For ``refnn conform`` and for the bug catalog (``tests/catalog``)::

    from refnn.conformance import run
    result = run("path/to/my_notebook.py", ["-x", "--hypothesis-profile=catalog", "-m", "not golden"])
    result.exit_code, result.failed, result.rules_broken, result.environment_errors

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
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import settings

from refnn.conformance.plugin import OUTCOME_KEY, RULES_KEY
from refnn.resources import INSTALLED, resource

_counter = itertools.count()


def properties_dir() -> Path:
    """The suite's ``properties/`` directory (of the checkout holding this package).

    Raises:
        FileNotFoundError: refnn is installed without its ``properties/`` directory.
    """
    here = resource("properties")
    if here.is_dir():
        return here
    raise FileNotFoundError(
        f"the conformance suite's properties/ directory is not at {here} nor installed under "
        f"{INSTALLED}; run from a refnn checkout (or pass properties=...)"
    )


@dataclass(frozen=True)
class PropertyOutcome:
    """One property's result."""

    nodeid: str
    outcome: str
    """``"passed"``, ``"failed"`` (a broken rule), ``"environment"``, ``"skipped"`` or ``"error"``."""
    rules: tuple[str, ...]
    message: str


@dataclass
class RunResult:
    """What :func:`run` returns."""

    exit_code: int
    outcomes: list[PropertyOutcome] = field(default_factory=list)
    output: str = ""
    """The terminal output (when ``quiet``)."""

    def _with(self, outcome: str) -> list[PropertyOutcome]:
        return [o for o in self.outcomes if o.outcome == outcome]

    @property
    def passed(self) -> list[PropertyOutcome]:
        return self._with("passed")

    @property
    def failed(self) -> list[PropertyOutcome]:
        """Properties whose rule the target broke."""
        return self._with("failed")

    @property
    def environment_errors(self) -> list[PropertyOutcome]:
        """Properties that could not judge the target because of its environment."""
        return self._with("environment")

    @property
    def skipped(self) -> list[PropertyOutcome]:
        return self._with("skipped")

    @property
    def errors(self) -> list[PropertyOutcome]:
        """Properties that errored for another reason (a bug in the suite)."""
        return self._with("error")

    @property
    def rules_broken(self) -> set[str]:
        return {r for o in self.failed for r in o.rules}

    @property
    def killed(self) -> bool:
        """The suite found a broken rule (environment errors do not count)."""
        return bool(self.failed)


class _Collector:
    def __init__(self) -> None:
        self.outcomes: dict[str, PropertyOutcome] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if RULES_KEY not in props:
            return
        if report.when != "call" and not (report.failed or report.skipped):
            return
        if report.failed:
            outcome = "error" if report.when != "call" else "failed"
            if props.get(OUTCOME_KEY) == "environment":
                outcome = "environment"
            elif props.get(OUTCOME_KEY) == "rule":
                outcome = "failed"
        elif report.skipped:
            outcome = "skipped"
        else:
            outcome = "passed"
        message = ""
        if report.skipped and isinstance(report.longrepr, tuple):
            message = str(report.longrepr[2])
        elif report.failed:
            message = report.longreprtext
        prev = self.outcomes.get(report.nodeid)
        if prev is not None and prev.outcome in ("failed", "environment", "error"):
            return
        self.outcomes[report.nodeid] = PropertyOutcome(
            report.nodeid, outcome, tuple(str(props[RULES_KEY]).split()), message
        )


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
            "--hypothesis-profile=ci", "--rule", "L2"]``.
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
    args = [*paths, "-p", "no:cacheprovider"]
    if spec is not None:
        args.append(f"--target={spec}")
    args += list(extra_args)
    collector = _Collector()
    buffer = io.StringIO()
    profile = settings.get_current_profile_name()
    try:
        if quiet:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                code = pytest.main(args, plugins=[collector])
        else:
            code = pytest.main(args, plugins=[collector])
    finally:
        if registered is not None:
            sys.modules.pop(registered, None)
        settings.load_profile(profile)  # --hypothesis-profile must not outlive the run
    return RunResult(int(code), list(collector.outcomes.values()), buffer.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m refnn.conformance [TARGET] [pytest args…]``: run the suite, return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    target: Any = None
    if args and not args[0].startswith("-"):
        target = args.pop(0)
    return run(target, args, quiet=False).exit_code
