"""The conformance suite's machinery: choosing a target, and the pytest plugin that exposes it."""
