"""``refnn conform`` as a function: choose the tier and profile, run the suite, return the records.

:func:`conform` is what the command line calls; a teacher's script or another tool can call it too.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from refnn.conformance import runner
from refnn.conformance.runner import RunResult, run
from refnn.conformance.target import DEFAULT_TARGET, is_path_spec, resolve_spec

TIERS: dict[str, str | None] = {"all": None, "properties": "not golden", "golden": "golden"}
"""The tiers: every property; the lecture's rules only (RNG-independent); the course's seeded
numbers only."""

PROFILES = ("dev", "ci", "thorough")


class ConformUsageError(ValueError):
    """The request cannot run: an unknown target, tier or profile, or no suite to run."""


@dataclass(frozen=True)
class Request:
    """One ``refnn conform`` run."""

    target: str | None = None
    tier: str = "all"
    profile: str = "ci"
    k: str | None = None
    rules: tuple[str, ...] = ()
    exitfirst: bool = False
    workers: str | None = None
    properties: str | None = None
    quiet: bool = True
    progress: bool = False
    run_top_level: bool = False
    """Run a target file's top-level code (``--refnn-run-top-level``): a notebook's every cell, a
    ``.py`` imported as a module. Off: its imports, functions and constants only (a dotted module
    name is imported either way)."""

    @property
    def shown_target(self) -> str:
        """The target as the user named it (or where it came from)."""
        return resolve_spec(self.target)[0] if self.target else resolve_spec(None)[0]


def check_target(spec: str | None) -> None:
    """Raise :class:`ConformUsageError` unless ``spec`` names a file or an importable module."""
    if spec is None:
        return
    if is_path_spec(spec):
        if not Path(spec).expanduser().is_file():
            raise ConformUsageError(f"no target file '{spec}'")
        return
    try:
        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        found = None
    if found is None:
        raise ConformUsageError(f"no module named '{spec}' (give a dotted module name, or a path "
                                "to a .py file or an .ipynb notebook)")


def suite_path(option: str | None) -> Path:
    """The suite's folder: ``option``, or the installed package's (``refnn.properties``) / the
    checkout's ``properties/``."""
    if option is not None:
        p = Path(option)
        if not p.exists():
            raise ConformUsageError(f"no properties directory '{option}'")
        return p
    try:
        return runner.properties_dir()
    except FileNotFoundError:
        raise ConformUsageError(
            "the conformance suite is neither in a refnn checkout nor installed with refnn (the "
            "package refnn.properties): reinstall refnn, or pass --properties DIR"
        ) from None


def pytest_args(request: Request) -> list[str]:
    """The pytest arguments of ``request`` (beside the suite's folder and the target)."""
    if request.tier not in TIERS:
        raise ConformUsageError(f"unknown tier {request.tier!r} (expected one of "
                                f"{', '.join(TIERS)})")
    if request.profile not in PROFILES:
        raise ConformUsageError(f"unknown profile {request.profile!r} (expected one of "
                                f"{', '.join(PROFILES)})")
    extra = [f"--hypothesis-profile=refnn-{request.profile}"]
    marker = TIERS[request.tier]
    if marker is not None:
        extra += ["-m", marker]
    if request.k:
        extra += ["-k", request.k]
    for rule in request.rules:
        extra += ["--refnn-rule", rule]
    if request.exitfirst:
        extra.append("-x")
    if request.workers is not None:
        if importlib.util.find_spec("xdist") is None:
            raise ConformUsageError("-n needs pytest-xdist, which is not installed: "
                                    "pip install pytest-xdist")
        extra += ["-n", request.workers]
    if request.progress:
        extra += ["-p", "refnn.progress"]
    if request.run_top_level:
        extra.append("--refnn-run-top-level")
    return extra


def conform(request: Request, extra: Sequence[str] = ()) -> RunResult:
    """Run the suite for ``request``; the records carry every property's outcome.

    Raises:
        ConformUsageError: the request names no target, tier, profile or suite that exists, or
            pytest rejected the arguments.
    """
    check_target(request.target)
    props = suite_path(request.properties)
    args = pytest_args(request) + list(extra)
    result = run(request.target, args, properties=props, quiet=request.quiet)
    if result.exit_code == 4:  # pytest's usage error
        tail = [ln for ln in result.output.splitlines() if "error" in ln.lower()]
        raise ConformUsageError(tail[-1].strip() if tail else "pytest rejected the arguments")
    if result.exit_code == 5 or (not result.records and result.exit_code == 0):
        raise ConformUsageError("no property matched the selection (--tier, -k, --rule)")
    return result


__all__ = ["DEFAULT_TARGET", "PROFILES", "TIERS", "ConformUsageError", "Request", "check_target",
           "conform", "pytest_args", "suite_path"]
