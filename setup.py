"""The wheel's layout (pyproject.toml holds everything else).

The repository keeps the suite and its data at the top (``properties/``, ``golden/``,
``docs/SPEC.md``); a wheel carries them inside refnn's own namespace, so nothing outside ``refnn``
can stand in for them and ``pytest --pyargs refnn.properties`` runs the suite from any install:

* ``properties/``   -> ``refnn/properties/``    (the package ``refnn.properties``)
* ``golden/``       -> ``refnn/data/golden/``   (the ``*.json`` files and their README)
* ``docs/SPEC.md``  -> ``refnn/data/docs/SPEC.md``

:mod:`refnn.resources` finds them there with :mod:`importlib.resources`, and in a checkout (or an
editable install) at the top of the repository.
"""

from setuptools import find_packages, setup

MAPPED = {
    "refnn.properties": "properties",
    "refnn.data.golden": "golden",
    "refnn.data.docs": "docs",
}

setup(
    packages=[*find_packages(include=["refnn", "refnn.*"]), *MAPPED],
    package_dir=MAPPED,
)
