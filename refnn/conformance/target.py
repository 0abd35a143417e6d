"""Loading the implementation under test (the *target*) and looking up its functions.

A target is a Python module that provides any subset of the course's functions
(:mod:`refnn.conformance.protocol`). It is named by

* ``--target=SPEC`` on the pytest command line, else
* the environment variable ``REFNN_TARGET``, else
* :data:`DEFAULT_TARGET` (``refnn.course``),

where ``SPEC`` is a dotted module name (``mypackage.mymodule``), a path to a ``.py`` file, or a
Jupyter notebook (``.ipynb``: its imports and top-level functions only, :mod:`refnn.notebook`). A file's
own directory is put on ``sys.path`` while it is imported, so a learner's module that does
``from reg_utils import *`` finds the course's helper files beside it.

Anything that goes wrong *while importing* is the environment's fault, not a broken rule: it is
raised as :class:`TargetImportError` with a hint for the usual causes (``np.int`` removed in
NumPy 1.24, Python 2 ``print`` statements, a missing helper module).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_TARGET = "refnn.course"
ENV_VAR = "REFNN_TARGET"


class TargetImportError(Exception):
    """The target could not be imported (an environment error, not a broken rule)."""


@dataclass(frozen=True)
class Target:
    """A loaded target: the module and where it came from."""

    module: ModuleType
    spec: str
    """What the user named: a dotted module name or a path."""
    source: str
    """How it was chosen: ``"--target"``, ``"$REFNN_TARGET"`` or ``"default"``."""

    @property
    def name(self) -> str:
        return self.module.__name__

    @property
    def file(self) -> str:
        return str(getattr(self.module, "__file__", None) or "<no file>")

    def describe(self) -> str:
        return f"{self.spec} ({self.file}; from {self.source})"


def resolve_spec(option: str | None) -> tuple[str, str]:
    """``(spec, source)``: the target named by ``option``, ``$REFNN_TARGET`` or the default."""
    if option:
        return option, "--target"
    env = os.environ.get(ENV_VAR)
    if env:
        return env, f"${ENV_VAR}"
    return DEFAULT_TARGET, "default"


def is_path_spec(spec: str) -> bool:
    """Whether ``spec`` names a file rather than a dotted module."""
    return spec.endswith((".py", ".ipynb")) or os.sep in spec or "/" in spec


def environment_hint(exc: BaseException) -> str:
    """A hint at the usual environmental cause of ``exc`` (empty when none is known)."""
    text = str(exc)
    if isinstance(exc, AttributeError) and "numpy" in text:
        for alias, repl in (("int", "int or np.int64"), ("float", "float or np.float64"),
                            ("bool", "bool or np.bool_"), ("object", "object"),
                            ("complex", "complex"), ("str", "str")):
            if f"attribute '{alias}'" in text:
                return (f"np.{alias} was removed in NumPy 1.24 (this is NumPy "
                        f"{_numpy_version()}); use {repl}")
        return f"the code was written for another NumPy version (this is {_numpy_version()})"
    if isinstance(exc, SyntaxError) and "print" in text:
        return "a Python 2 print statement; this is Python 3 (use print(...))"
    if isinstance(exc, SyntaxError):
        return "the file does not parse as Python 3"
    if isinstance(exc, ModuleNotFoundError):
        return (f"module {exc.name!r} is not importable here; put the course's helper files "
                "(e.g. reg_utils.py, gc_utils.py, testCases.py) beside the target, or install it")
    if isinstance(exc, NameError) and not isinstance(exc, UnboundLocalError):
        if "xrange" in text or "unicode" in text or "raw_input" in text:
            return "a Python 2 builtin; this is Python 3"
        return ("a name the target expects from its notebook or helper modules is not defined in "
                "the module (e.g. a function imported with `from reg_utils import *`)")
    return ""


def _numpy_version() -> str:
    try:
        import numpy

        return str(numpy.__version__)
    except ImportError:  # pragma: no cover - numpy is a dependency
        return "unknown"


def _module_name_for(path: Path) -> str:
    # Not under the "refnn" prefix: the project's warning filters must not apply to a learner's file.
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"conformance_target_{stem}_{digest}"


def _import_file(spec: str) -> ModuleType:
    path = Path(spec).expanduser().resolve()
    if not path.is_file():
        raise TargetImportError(f"target file {spec!r} does not exist")
    name = _module_name_for(path)
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise TargetImportError(f"cannot load target file {spec!r}")
    module = importlib.util.module_from_spec(module_spec)
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the course's helper modules beside a learner's file
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def load_target(spec: str | None) -> ModuleType:
    """Import the target named by ``spec`` (``None``: ``$REFNN_TARGET`` or :data:`DEFAULT_TARGET`)."""
    return load(spec).module


def load(option: str | None) -> Target:
    """Import the target named by ``option`` / ``$REFNN_TARGET`` / the default.

    Raises:
        TargetImportError: whatever went wrong, with the cause and a hint.
    """
    spec, source = resolve_spec(option)
    try:
        if spec.endswith(".ipynb"):  # a learner's notebook: its imports and functions (refnn.notebook)
            if not Path(spec).expanduser().is_file():
                raise TargetImportError(f"target notebook {spec!r} does not exist")
            from refnn.notebook import load_notebook

            module = load_notebook(spec)
        elif is_path_spec(spec):
            module = _import_file(spec)
        else:
            module = importlib.import_module(spec)
    except TargetImportError:
        raise
    except (KeyboardInterrupt, SystemExit) as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise TargetImportError(f"target {spec!r} called exit() while being imported") from exc
    except BaseException as exc:  # noqa: BLE001 - any failure while importing is the environment's
        hint = environment_hint(exc)
        where = _last_frame(exc)
        raise TargetImportError(
            f"target {spec!r} failed to import: {type(exc).__name__}: {exc}"
            + (f"\n  at {where}" if where else "")
            + (f"\n  hint: {hint}" if hint else "")
        ) from exc
    return Target(module=module, spec=spec, source=source)


def _last_frame(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    outside = [f for f in frames if "importlib" not in f.filename and "conformance" not in f.filename]
    if not outside:
        return ""
    f = outside[-1]
    return f"{f.filename}:{f.lineno} in {f.name}"


def lookup(target: ModuleType, name: str) -> Callable[..., Any] | None:
    """The target's function ``name``, or ``None`` when it does not provide one."""
    func = getattr(target, name, None)
    return func if callable(func) else None


def namespace_of(func: Callable[..., Any]) -> MutableMapping[str, Any] | None:
    """The global namespace ``func`` looks names up in at call time (``None`` if it has none)."""
    inner = getattr(func, "__wrapped__", func)
    globals_ = getattr(inner, "__globals__", None)
    return globals_ if isinstance(globals_, dict) else None


_MISSING = object()


@contextmanager
def substituted(namespace: MutableMapping[str, Any], **replacements: Any) -> Iterator[None]:
    """Temporarily bind ``replacements`` in ``namespace`` (a module's globals); always restored."""
    saved = {name: namespace.get(name, _MISSING) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value
