"""The conformance suite's machinery: choosing a target, calling it, judging it, and running it.

- :mod:`~refnn.conformance.target` — loading the target (``--target`` / ``$REFNN_TARGET``);
- :mod:`~refnn.conformance.protocol` — the course's names, signatures and cache layouts;
- :mod:`~refnn.conformance.judge` — calling the target and every failure message;
- :mod:`~refnn.conformance.significance` — the statistical tests, with α and power;
- :mod:`~refnn.conformance.oracle` — refnn's core in the course's shapes, finite differences;
- :mod:`~refnn.conformance.plugin` — the pytest plugin (options, profiles, report);
- :mod:`~refnn.conformance.runner` — :func:`run`, the suite in-process.
"""

from refnn.conformance.runner import PropertyOutcome, RunResult, properties_dir, run

__all__ = ["PropertyOutcome", "RunResult", "properties_dir", "run"]
