"""Every example in refnn's docstrings runs and prints what it says (examples never run go stale)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import refnn

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(refnn.__path__, "refnn.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    # the adapters' optional frameworks: refnn[torch], refnn[jax], refnn[keras], refnn[flax]
    for framework, extra in (("torch", "torch"), ("jax", "jax"), ("keras", "keras"),
                             ("flax", "flax")):
        if name.startswith(f"refnn.adapters.{framework}_"):
            pytest.importorskip(framework, reason=f"{name} needs {framework}: pip install "
                                                  f"'refnn[{extra}]'")
    module = importlib.import_module(name)
    state = np.random.get_state()
    try:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    finally:
        np.random.set_state(state)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_core_modules_have_examples() -> None:
    for name in ("refnn.init", "refnn.cost", "refnn.network", "refnn.training"):
        finder = doctest.DocTestFinder()
        examples = sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
        assert examples > 0, name
