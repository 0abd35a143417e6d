"""Loading the implementation under test (the *target*) and looking up its functions.

A target is a Python module that provides any subset of the course's functions
(:mod:`refnn.conformance.protocol`). It is named by

* ``--refnn-target=SPEC`` on the pytest command line, else
* the environment variable ``REFNN_TARGET``, else
* :data:`DEFAULT_TARGET` (``refnn.course``),

where ``SPEC`` is a dotted module name (``mypackage.mymodule``), a path to a ``.py`` file, or a
Jupyter notebook (``.ipynb``).

**Top-level code of a file is never run unless asked for.** A dotted module name is imported
as a module (its top-level code runs: ``refnn.course``, the adapters, a package the user
installed). A file — notebook or script — is read by :func:`refnn.notebook.load_notebook`: its
imports, functions and constant assignments (``scale = 0.5``, ``relu = lambda z: …``) only; a
script exported from a notebook (nbconvert's ``# In[ ]:``, the percent format's ``# %%``) is
split into its cells as the notebook would be, its ``get_ipython()`` magics dropped. With
``run_top_level=True`` (``--refnn-run-top-level``, ``refnn conform --run-top-level``) a notebook
or exported script runs every statement, and any other ``.py`` is imported as a module.
Either way the course's helper modules (``reg_utils``, ``gc_utils``, …) are refnn's stand-ins
while the file is loaded (:data:`refnn.notebook.HELPER_MODULES`), and the file's own directory is
put on ``sys.path`` (for other modules beside it).

Anything that goes wrong *while importing* is not a broken rule: it is raised as
:class:`TargetImportError`, whose :attr:`~TargetImportError.problem` says the cause
(:func:`refnn.conformance.causes.import_cause`: portability for ``np.int`` or a Python 2 ``print``,
environment for a missing helper module, unfinished for a file that does not parse) with a hint.
(A file is loaded statement by statement: one that does not parse voids only its own functions,
:mod:`refnn.notebook`.)

**Whose functions are judged** (:meth:`Target.whose`). A target's functions are sorted into the
learner's (judged), code the course hands out (``given``: not judged) and refnn's stand-ins
(``stand-in``: refnn's functions imported into the target, e.g. the course helper modules
:data:`refnn.notebook.HELPER_MODULES` or ``from refnn.course import *``; never counted for or
against it), by the target's *policy*:

* ``everything`` — a dotted module (``refnn.course``, an adapter, a module object given to
  :func:`refnn.conformance.run`): every function it provides is judged;
* ``own`` — a ``.py`` file: the functions it defines (``__module__`` is the file's module) are
  judged; the ones it imports are not (a catalog entry's ``from refnn.course import *``);
* ``assignment`` — a notebook, or a ``.py`` file exported from one (it holds the course's
  ``# GRADED FUNCTION`` markers or cell markers, ``# In[ ]:`` or ``# %%``): as ``own``, and moreover the functions
  the course hands out (:mod:`refnn.conformance.course_functions` roles ``given`` and ``helper``:
  ``backward_propagation_n``, ``predict``, …) are not judged even when the notebook defines them.

Any module may instead declare its judged set itself: ``__refnn_judged__ = ("name", …)``; then only
those functions are judged (the others count as given, or as stand-ins when they are refnn's).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from refnn.conformance import causes
from refnn.conformance.course_functions import role_of
from refnn.conformance.outcome import TargetProblem
from refnn.notebook.cells import NotebookReadError

DEFAULT_TARGET = "refnn.course"
ENV_VAR = "REFNN_TARGET"


Policy = Literal["everything", "own", "assignment"]
Whose = Literal["judged", "given", "stand-in"]
JUDGED_ATTRIBUTE = "__refnn_judged__"
"""A module attribute naming the functions to judge (any other is not the learner's)."""


class TargetImportError(Exception):
    """The target could not be imported (never a broken rule).

    Attributes:
        problem: the cause, classified (:class:`~refnn.conformance.outcome.TargetProblem`:
            ``kind`` is ``environment``, ``portability`` or ``unfinished``), with hint and place.
    """

    def __init__(self, message: str, problem: TargetProblem | None = None) -> None:
        super().__init__(message)
        self.problem = problem if problem is not None else TargetProblem(message)


@dataclass(frozen=True)
class Target:
    """A loaded target: the module and where it came from."""

    module: ModuleType
    spec: str
    """What the user named: a dotted module name or a path."""
    source: str
    """How it was chosen: ``"--refnn-target"``, ``"$REFNN_TARGET"`` or ``"default"``."""
    policy: Policy = "everything"
    """Whose functions are judged (see the module's docstring)."""

    def defines(self, func: Callable[..., Any]) -> bool:
        """Whether ``func`` is defined by the target itself (not imported into it)."""
        inner = getattr(func, "__wrapped__", func)
        return getattr(inner, "__module__", None) == self.module.__name__

    def whose(self, name: str, func: Callable[..., Any], kind: str = "network") -> Whose:
        """``judged`` (the learner's), ``given`` (code the course hands out, or imported from
        elsewhere) or ``stand-in`` (refnn's) for the target's function ``name`` of ``kind``."""
        declared = getattr(self.module, JUDGED_ATTRIBUTE, None)
        if declared is None and self.policy == "everything":
            return "judged"
        if declared is not None:
            if name in tuple(declared):
                return "judged"
        elif self.defines(func):
            if self.policy == "own" or role_of(name, kind) not in ("given", "helper"):
                return "judged"
            return "given"
        module = str(getattr(getattr(func, "__wrapped__", func), "__module__", "") or "")
        return "stand-in" if module.split(".")[0] == "refnn" else "given"

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
        return option, "--refnn-target"
    env = os.environ.get(ENV_VAR)
    if env:
        return env, f"${ENV_VAR}"
    return DEFAULT_TARGET, "default"


def is_path_spec(spec: str) -> bool:
    """Whether ``spec`` names a file rather than a dotted module."""
    return spec.endswith((".py", ".ipynb")) or os.sep in spec or "/" in spec


def environment_hint(exc: BaseException) -> str:
    """The hint of :func:`refnn.conformance.causes.import_cause` for ``exc`` (empty if none)."""
    return causes.import_cause(exc).hint


def _module_name_for(path: Path) -> str:
    # Not under the "refnn" prefix: the project's warning filters must not apply to a learner's file.
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"conformance_target_{stem}_{digest}"


def _import_file(spec: str) -> ModuleType:
    """The ``.py`` file ``spec`` imported as a module (its top-level code runs), the course's
    helper modules being refnn's while it runs."""
    from refnn.notebook import course_helpers

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
        sys.path.insert(0, folder)  # other modules beside a learner's file
    sys.modules[name] = module
    try:
        with course_helpers():
            module_spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def load(option: str | None, *, run_top_level: bool = False) -> Target:
    """Import the target named by ``option`` / ``$REFNN_TARGET`` / the default.

    A file's top-level code runs only with ``run_top_level`` (see the module's docstring); a
    dotted module name is always imported.

    Raises:
        TargetImportError: whatever went wrong, with the cause and a hint.
    """
    spec, source = resolve_spec(option)
    policy: Policy = "everything"
    try:
        if is_path_spec(spec):
            if not Path(spec).expanduser().is_file():
                kind = "notebook" if spec.endswith(".ipynb") else "file"
                raise TargetImportError(f"target {kind} {spec!r} does not exist")
            module, policy = _load_file(spec, run_top_level)
        else:
            module = importlib.import_module(spec)
    except TargetImportError:
        raise
    except (KeyboardInterrupt, SystemExit) as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise TargetImportError(f"target {spec!r} called exit() while being imported") from exc
    except NotebookReadError as exc:
        raise TargetImportError(str(exc), TargetProblem(
            str(exc), hint="open it in Jupyter and save it again, or export it as a .py script",
            where=str(Path(spec).expanduser()))) from None
    except BaseException as exc:  # noqa: BLE001 - any failure while importing is not a broken rule
        raise _import_error(spec, exc) from exc
    return Target(module=module, spec=spec, source=source, policy=policy)


def _import_error(spec: str, exc: BaseException) -> TargetImportError:
    where = causes.last_frame(exc)
    problem = causes.import_cause(exc, where=where)
    return TargetImportError(
        f"target {spec!r} failed to import: {type(exc).__name__}: {exc}"
        + (f"\n  at {where}" if where else "")
        + (f"\n  hint: {problem.hint}" if problem.hint else ""), problem)


def _load_file(spec: str, run_top_level: bool) -> tuple[ModuleType, Policy]:
    """A notebook or ``.py`` file as a module, and its policy."""
    from refnn.notebook import load_notebook

    if spec.endswith(".ipynb"):
        return load_notebook(spec, run_top_level=run_top_level), "assignment"
    exported = _exported_notebook(spec)
    policy: Policy = "assignment" if exported else "own"
    if run_top_level and not exported:
        return _import_file(spec), policy
    return load_notebook(spec, _module_name_for(Path(spec).expanduser().resolve()),
                         run_top_level=run_top_level), policy


def _exported_notebook(spec: str) -> bool:
    """Whether the ``.py`` file ``spec`` is a notebook export (the course's graded markers or
    cell markers: nbconvert's ``# In[ ]:``, the percent format's ``# %%``)."""
    from refnn.notebook import script_markers

    try:
        text = Path(spec).expanduser().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "# GRADED FUNCTION" in text or bool(script_markers(text))


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
