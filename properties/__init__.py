"""The refnn conformance suite: properties that judge any implementation of the course's API.

Run it from a checkout with ``pytest properties [--refnn-target=X]``, or from any install with
``pytest --pyargs refnn.properties`` (or ``refnn conform``); see ``docs/TARGET.md``.

The repository keeps this folder at its top; a wheel installs it as the package
``refnn.properties`` (``setup.py``), so that nothing outside refnn's namespace can stand in for it.
It is a package either way, and its modules import one another relatively
(``from .strategies import nets``), so they work under both names.
"""
