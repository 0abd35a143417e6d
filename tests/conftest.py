"""refnn's own tests run under refnn's Hypothesis profiles (``--hypothesis-profile=refnn-ci``),
which the suite's plugin registers when it is imported."""

import refnn.conformance.suite_plugin  # noqa: F401  (registers refnn-dev, refnn-ci, refnn-thorough)
