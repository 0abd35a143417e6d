"""The refnn conformance suite: properties that judge any implementation of the course's API.

Run it with ``pytest properties [--refnn-target=X]``; see ``docs/TARGET.md``. This directory is a package
so that its module names (``properties.conftest``, ``properties.strategies``, ``properties.test_*``)
never collide with other test directories; import shared code as ``properties.strategies``.
"""
