"""Where refnn finds the files that live beside the package: ``properties/``, ``golden/``, ``docs/``.

In a checkout (and an editable install) they are the repository's own; a wheel installs copies of
them under ``<sys.prefix>/share/refnn/`` (``[tool.setuptools.data-files]`` in ``pyproject.toml``),
so that ``refnn conform`` runs from an installed package too.
"""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
"""The directory above the package: the repository root in a checkout."""

INSTALLED = Path(sys.prefix) / "share" / "refnn"
"""Where a wheel puts the copies."""


def resource(name: str) -> Path:
    """The checkout's ``name`` (e.g. ``"properties"``, ``"docs/SPEC.md"``) when it exists, else the
    installed copy's; the checkout path when neither exists (so error messages name it)."""
    checkout = CHECKOUT / name
    if checkout.exists():
        return checkout
    installed = INSTALLED / name
    return installed if installed.exists() else checkout
