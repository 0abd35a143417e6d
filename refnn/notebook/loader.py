"""A notebook (or a script exported from one) as a module, without running its top-level code.

:func:`load_notebook` executes, in cell order, the file's ``import`` statements, its function
definitions and its kept top-level assignments (:mod:`refnn.notebook.top_level`), and nothing
else — unless asked to run the top-level code (``run_top_level=True``: every statement runs, as
a notebook's "Run All", magics ignored). What it took and what it left is its
:class:`NotebookInfo` (:func:`notebook_info`).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from refnn.notebook import top_level
from refnn.notebook.cells import CodeCell, read_cells
from refnn.notebook.standins import Missing, broken_function, course_helpers, get_ipython
from refnn.notebook.statements import Statement, parse_cells

if TYPE_CHECKING:
    from refnn.conformance.outcome import TargetProblem

INFO_ATTRIBUTE = "__refnn_notebook__"
"""The module attribute holding the :class:`NotebookInfo` of a loaded notebook."""


@dataclass(frozen=True, slots=True)
class BrokenDefinition:
    """A function of the notebook that could not be defined.

    Attributes:
        name: the function's name.
        cell: the code cell (1-based among the code cells).
        line: the line in that cell.
        kind: ``portability`` or ``unfinished`` (or ``environment``).
        message: the cause, with its hint.
    """

    name: str
    cell: int
    line: int
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class UnrunName:
    """A top-level name only code that is not run assigns.

    Attributes:
        name: the name.
        cell: the code cell of its (last) assignment.
        line: the line in that cell.
        where: ``file:line`` of the assignment (the notebook's ``"nb.ipynb [code cell 7]:3"``).
        reason: why that code is not run ("it calls `load_dataset`", "a for loop", …).
        failed: the assignment was safe to evaluate but raised (``reason`` says what).
        hint: for a failed one, the fix of its cause when refnn knows it (``np.int`` …).
    """

    name: str
    cell: int
    line: int
    where: str
    reason: str
    failed: bool = False
    hint: str = ""


@dataclass(frozen=True, slots=True)
class NotebookInfo:
    """What :func:`load_notebook` took from a notebook or script.

    Attributes:
        path: the file.
        functions: the names of the functions defined (each once, in order of last definition).
        imports: how many import statements were run.
        missing: ``"name: reason"`` for every name an import could not provide.
        skipped_cells: the code cells with a statement that does not parse and defines nothing
            (never run).
        broken: the functions that could not be defined (their code does not parse, or their
            definition raised), each replaced by a stand-in raising the cause.
        constants: the names bound by kept top-level assignments.
        unrun: the names only top-level code that was not run assigns.
        script: whether the file is a ``.py`` script (else a notebook).
        ran_top_level: whether all of the top-level code was run (``run_top_level=True``).
        schema_problem: nbformat's message for a notebook that breaks its schema (still read).
    """

    path: Path
    functions: tuple[str, ...]
    imports: int
    missing: tuple[str, ...]
    skipped_cells: tuple[int, ...]
    broken: tuple[BrokenDefinition, ...] = ()
    constants: tuple[str, ...] = ()
    unrun: tuple[UnrunName, ...] = ()
    script: bool = False
    ran_top_level: bool = False
    schema_problem: str = ""

    def unrun_name(self, name: str) -> UnrunName | None:
        """The :class:`UnrunName` of ``name``, or ``None``."""
        return next((u for u in self.unrun if u.name == name), None)


def _bound_by_import(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """``(bound name, what it imports)`` for each alias of an import (``*`` gives none)."""
    out: list[tuple[str, str]] = []
    for alias in node.names:
        if alias.name == "*":
            continue
        if isinstance(node, ast.Import):
            out.append((alias.asname or alias.name.split(".")[0], alias.name))
        else:
            module = "." * node.level + (node.module or "")
            out.append((alias.asname or alias.name, f"{module}.{alias.name}"))
    return out


def _exec(node: ast.stmt, cell: CodeCell, namespace: dict[str, Any]) -> None:
    exec(compile(ast.Module(body=[node], type_ignores=[]), cell.filename, "exec"), namespace)


def _run_import(stmt: Statement, namespace: dict[str, Any], missing: list[str]) -> None:
    node = stmt.node
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    try:
        _exec(node, stmt.cell, namespace)
        return
    except ImportError:
        pass
    # Retry alias by alias, so that one missing name does not hide the others.
    for alias in node.names:
        one: ast.Import | ast.ImportFrom
        if isinstance(node, ast.Import):
            one = ast.Import(names=[alias])
        else:
            one = ast.ImportFrom(module=node.module, names=[alias], level=node.level)
        ast.copy_location(one, node)
        try:
            _exec(one, stmt.cell, namespace)
        except ImportError as exc:
            reason = f"{type(exc).__name__}: {exc}"
            bound = _bound_by_import(one)
            if not bound:
                where = node.module if isinstance(node, ast.ImportFrom) else alias.name
                missing.append(f"* (from {where}): {reason}")
            for name, what in bound:
                namespace[name] = Missing(what, reason)
                missing.append(f"{name}: {reason}")


def _module_name(path: Path) -> str:
    # Not under the "refnn" prefix: the project's warning filters must not apply to a learner's file.
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"notebook_target_{stem}_{digest}"


class _Loading:
    """The state of one :func:`load_notebook` call."""

    def __init__(self, module: ModuleType, run_top_level: bool) -> None:
        self.module = module
        self.namespace: dict[str, Any] = module.__dict__
        self.run_top_level = run_top_level
        self.missing: list[str] = []
        self.functions: dict[str, None] = {}
        self.constants: dict[str, None] = {}
        self.unrun: dict[str, UnrunName] = {}
        self.failed: dict[str, tuple[BrokenDefinition, Exception, str]] = {}
        self.imports = 0

    def bind(self, names: list[str]) -> None:
        for name in names:
            self.unrun.pop(name, None)

    def statement(self, stmt: Statement) -> None:
        node = stmt.node
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _run_import(stmt, self.namespace, self.missing)
            self.imports += 1
            self.bind(top_level.bound_names(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.define(stmt, node)
        elif self.run_top_level:
            _exec(node, stmt.cell, self.namespace)  # what it raises is the loading's failure
        else:
            self.assignment(stmt)

    def define(self, stmt: Statement, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        from refnn.conformance import causes

        try:
            _exec(node, stmt.cell, self.namespace)
        except Exception as exc:  # noqa: BLE001 - the definition's fault, reported per function
            where = f"{stmt.cell.filename}:{node.lineno}"
            problem = causes.import_cause(exc, where=where)
            problem.function = node.name
            problem.message = f"{node.name}() could not be defined: {problem.message}"
            line = stmt.cell.line(node.lineno)
            self.failed[node.name] = (
                BrokenDefinition(node.name, stmt.cell.number, line, problem.kind, str(problem)),
                problem, _def_line(ast.unparse(node)))
            return
        self.functions.pop(node.name, None)
        self.functions[node.name] = None
        self.failed.pop(node.name, None)
        self.constants.pop(node.name, None)
        self.bind([node.name])

    def assignment(self, stmt: Statement) -> None:
        """Evaluate a kept top-level assignment; remember the names of any other statement."""
        node = stmt.node
        names = top_level.bound_names(node)
        if not names:
            return
        reason = top_level.unsafe_reason(node, self.namespace, self.unrun)
        value = top_level.assigned_value(node)
        if not reason and value is not None:
            reason = top_level.impure_call(value, self.namespace)
        failed, hint = False, ""
        if not reason:
            try:
                _exec(node, stmt.cell, self.namespace)
            except Exception as exc:  # noqa: BLE001 - not kept; the name says why when used
                from refnn.conformance import causes

                reason, failed = f"{type(exc).__name__}: {exc}", True
                hint = causes.import_cause(exc).hint
            else:
                for name in names:
                    self.constants.pop(name, None)
                    self.constants[name] = None
                self.bind(names)
                return
        line = stmt.cell.line(node.lineno)
        for name in names:
            if name not in self.namespace:  # a name kept code binds keeps that value
                self.unrun[name] = UnrunName(name, stmt.cell.number, line,
                                             f"{stmt.cell.filename}:{node.lineno}", reason,
                                             failed, hint)

    def info(self, path: Path, skipped: tuple[int, ...], script: bool, schema: str
             ) -> NotebookInfo:
        return NotebookInfo(path, tuple(self.functions), self.imports, tuple(self.missing),
                            skipped, tuple(b for b, _, _ in self.failed.values()),
                            tuple(self.constants), tuple(self.unrun.values()), script,
                            self.run_top_level, schema)


def load_notebook(path: str | Path, module_name: str | None = None, *,
                  run_top_level: bool = False) -> ModuleType:
    """The notebook (or ``.py`` script) at ``path`` as a module: its imports, function
    definitions and kept top-level assignments (every statement when ``run_top_level``).

    The module is registered in :data:`sys.modules` under ``module_name`` (default
    ``notebook_target_<stem>_<hash>``, outside the ``refnn`` prefix); its ``__file__`` is the
    file; a notebook's code is compiled under ``"<path> [code cell N]"`` with the cell's source in
    :mod:`linecache` (a script's under its own path and lines), so tracebacks point into the file.
    The file's folder is put on :data:`sys.path` (for other modules beside it); the course's
    helper modules come from refnn (:func:`~refnn.notebook.standins.course_helpers`).

    Raises:
        FileNotFoundError, ValueError: not a readable notebook.
        Exception: with ``run_top_level``, whatever the top-level code raised.
    """
    from refnn.conformance import causes

    file = Path(path).expanduser().resolve()
    read = read_cells(file)
    parsed = parse_cells(read.cells)
    name = module_name or _module_name(file)
    what = "script" if read.script else "notebook"
    module = ModuleType(name, f"A learner's {what}, {file.name}: its imports and functions.")
    module.__file__ = str(file)
    module.__dict__["__builtins__"] = builtins
    if run_top_level:
        module.__dict__["get_ipython"] = get_ipython
    folder = str(file.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    loading = _Loading(module, run_top_level)
    sys.modules[name] = module
    try:
        with course_helpers():
            for stmt in parsed.statements:
                loading.statement(stmt)
            for bad in parsed.unparsed:
                where = f"{bad.cell.filename}:{bad.error.lineno}"
                for fname in bad.names:
                    if fname in loading.functions:
                        continue  # another cell defines it (as when the notebook is run)
                    problem = causes.syntax_cause(bad.error, function=fname, where=where)
                    line = bad.cell.line(bad.error.lineno or bad.cell.first_line)
                    loading.failed[fname] = (BrokenDefinition(fname, bad.cell.number, line,
                                                              problem.kind, str(problem)),
                                             problem, bad.header)
            for fname, (_, cause, header) in loading.failed.items():
                loading.namespace[fname] = broken_function(fname, cause, header, name)
                loading.unrun.pop(fname, None)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    setattr(module, INFO_ATTRIBUTE, loading.info(file, parsed.skipped, read.script,
                                                 read.schema_problem))
    return module


def _def_line(source: str) -> str:
    """The ``def`` line of a function's source (decorators dropped), as a stub."""
    for line in source.splitlines():
        if line.startswith(("def ", "async def ")):
            return line + "\n    pass\n"
    return ""


def notebook_info(module: ModuleType) -> NotebookInfo:
    """The :class:`NotebookInfo` of a module made by :func:`load_notebook`.

    Raises:
        ValueError: ``module`` was not loaded from a notebook.
    """
    info = getattr(module, INFO_ATTRIBUTE, None)
    if not isinstance(info, NotebookInfo):
        raise ValueError(f"module {module.__name__!r} was not loaded from a notebook")
    return info


def unrun_name_problem(name: str, namespace: dict[str, Any], function: str, where: str = ""
                       ) -> TargetProblem | None:
    """The :class:`~refnn.conformance.outcome.TargetEnvironmentError` for a ``NameError`` of
    ``name`` raised in ``function``, whose globals are ``namespace`` (a module made by
    :func:`load_notebook`), when the loading explains it: ``name`` is assigned only by top-level
    code refnn did not run (or whose evaluation failed), or it may come from a ``from … import *``
    that failed. Else ``None`` (the learner's own undefined name).
    """
    from refnn.conformance.outcome import TargetEnvironmentError

    info = namespace.get(INFO_ATTRIBUTE)
    if not isinstance(info, NotebookInfo):
        return None
    user = f"{function}()" if function else "the target"
    unrun = info.unrun_name(name)
    if unrun is None:
        star = next((m for m in info.missing if m.startswith("* (from ")), "")
        if not star:
            return None
        module, reason = star[len("* (from "):].split("): ", 1)
        return TargetEnvironmentError(
            f"{user} uses `{name}`, which nothing in the target defines: it may come from "
            f"`from {module} import *`, which failed here ({reason})",
            hint=f"make {module} importable (put it beside the target, or install it)",
            where=where, function=function)
    line = unrun.where.rsplit(":", 1)[-1]
    place = (f"line {line} of {info.path.name}" if info.script
             else f"code cell {unrun.cell} (line {unrun.line})")
    if unrun.failed:
        return TargetEnvironmentError(
            f"{user} uses `{name}`, whose top-level assignment in {place} raised when refnn "
            f"evaluated it: {unrun.reason}",
            hint=unrun.hint or f"fix the assignment of `{name}`, or define it inside {user}",
            where=where, function=function)
    return TargetEnvironmentError(
        f"{user} uses `{name}`, assigned in {place} by code refnn does not run ({unrun.reason})",
        hint=(f"refnn takes a target's imports, functions and constant assignments, never its "
              f"other top-level code: define `{name}` inside {user} or pass it as an argument, "
              f"assign it a literal, a lambda or an import, or ask for the top-level code to run "
              f"(refnn conform --run-top-level)"),
        where=where, function=function)


__all__ = ["INFO_ATTRIBUTE", "BrokenDefinition", "NotebookInfo", "UnrunName", "load_notebook",
           "notebook_info", "unrun_name_problem"]
