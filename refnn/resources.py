"""Where refnn finds the conformance suite and its data: ``properties/``, ``golden/``, ``docs/SPEC.md``.

The repository keeps them at its top. A wheel carries them inside refnn's own namespace
(``setup.py`` maps the folders), where :mod:`importlib.resources` finds them:

=================  ==============================  ==========================================
resource name      in a wheel (under ``refnn/``)   in a checkout (or an editable install)
=================  ==============================  ==========================================
``properties``     ``properties/``                 ``<checkout>/properties/``
``golden``         ``data/golden/``                ``<checkout>/golden/``
``docs/SPEC.md``   ``data/docs/SPEC.md``           ``<checkout>/docs/SPEC.md``
=================  ==============================  ==========================================

In a wheel the suite is the package ``refnn.properties``, so ``pytest --pyargs refnn.properties``
runs it. Nothing outside ``refnn`` is ever consulted: a top-level ``properties`` package elsewhere on
``sys.path`` (one exists on PyPI), or a ``properties/`` folder beside an installed refnn in
``site-packages``, cannot stand in for the suite. The checkout's copies are used only when the
folder above the package is a refnn checkout (its ``pyproject.toml`` names the project ``refnn``).
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

PACKAGE = "refnn"

PACKAGED: dict[str, str] = {"properties": "properties", "golden": "data/golden",
                            "docs": "data/docs"}
"""Each resource's top folder -> where a wheel puts it, relative to the ``refnn`` package (the
``package_dir`` mapping of ``setup.py``)."""

CHECKOUT = Path(__file__).resolve().parents[1]
"""The folder above the package: the repository's root in a checkout, ``site-packages`` when
installed."""

_PROJECT_NAME = re.compile(r'^name\s*=\s*"refnn"\s*$', re.MULTILINE)


def _parts(name: str) -> tuple[str, list[str]]:
    top, *rest = name.split("/")
    if top not in PACKAGED or any(p in ("", ".", "..") for p in rest):
        raise ValueError(f"resource: argument 'name' must be one of {', '.join(PACKAGED)} or a "
                         f"file below one (e.g. 'docs/SPEC.md'), got {name!r}")
    return top, rest


def packaged(name: str) -> Path:
    """Where an installed refnn holds ``name`` (whether or not it is there): inside the package,
    found with :func:`importlib.resources.files`.

    Raises:
        ValueError: ``name`` is not one of :data:`PACKAGED`'s folders or a path below one.
    """
    top, rest = _parts(name)
    node = importlib.resources.files(PACKAGE).joinpath(*PACKAGED[top].split("/"), *rest)
    # refnn is always imported from a folder (pytest needs real files); a zipped install would
    # give a zipfile.Path, which is not a file-system path
    return Path(str(node))


def is_checkout(root: Path | None = None) -> bool:
    """Whether ``root`` (default :data:`CHECKOUT`) is a refnn checkout: a ``pyproject.toml`` of the
    project ``refnn`` beside a ``properties/conftest.py``."""
    root = CHECKOUT if root is None else root
    project = root / "pyproject.toml"
    if not (project.is_file() and (root / "properties" / "conftest.py").is_file()):
        return False
    try:
        return _PROJECT_NAME.search(project.read_text(encoding="utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


def resource(name: str) -> Path:
    """The folder or file ``name`` (``"properties"``, ``"golden"``, ``"docs/SPEC.md"``, or a path
    below one of them).

    The copy inside the installed package when there is one, else the checkout's when refnn runs
    from a refnn checkout; else the packaged location, which does not exist (so error messages
    name the place an install should have filled).

    Raises:
        ValueError: ``name`` is not one of :data:`PACKAGED`'s folders or a path below one.
    """
    inside = packaged(name)
    if inside.exists():
        return inside
    if is_checkout():
        return CHECKOUT / name
    return inside
