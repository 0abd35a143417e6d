"""The conformance suite's machinery: choosing a target, calling it, judging it, and running it.

- :mod:`~refnn.conformance.target` — loading the target (``--refnn-target`` / ``$REFNN_TARGET``);
- :mod:`~refnn.conformance.protocol` — the course's names, signatures and cache layouts;
- :mod:`~refnn.conformance.judge` — calling the target and every failure message;
- :mod:`~refnn.conformance.significance` — the statistical tests, with α and power;
- :mod:`~refnn.conformance.oracle` — refnn's core in the course's shapes, finite differences;
- :mod:`~refnn.conformance.plugin` — the entry-point pytest plugin (the options only);
- :mod:`~refnn.conformance.suite_plugin` — the suite's plugin (profiles, records, report);
- :mod:`~refnn.conformance.outcome`, :mod:`~refnn.conformance.recording`,
  :mod:`~refnn.conformance.report` — the one outcome record, how it is made, how it is shown;
- :mod:`~refnn.conformance.conform` — ``refnn conform`` as a function;
- :mod:`~refnn.conformance.runner` — :func:`run`, the suite in-process.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from refnn.conformance.runner import PropertyOutcome, RunResult, properties_dir, run

__all__ = ["PropertyOutcome", "RunResult", "properties_dir", "run"]


def __getattr__(name: str) -> Any:
    """The runner's names, imported on first use (the entry-point plugin, a submodule, must not
    pull pytest's whole suite machinery into every pytest session)."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from refnn.conformance import runner

    return getattr(runner, name)
