"""A learner's Jupyter notebook (``.ipynb``) as a conformance target.

:func:`load_notebook` turns a notebook into a module *without running it*. What is taken from its
code cells, in notebook order:

* top-level ``import`` and ``from … import`` statements, and
* top-level function definitions (``def``/``async def``, with their decorators),

and nothing else — no assignments, no calls, no classes, no test cells. They are executed in the
order they appear, so the last definition of a name wins, as when the notebook is run top to
bottom. IPython syntax (``%magic``, ``!shell`` lines, ``%%cell`` magics) is dropped first.

The course's helper modules come from :mod:`refnn.course`, whatever lies beside the notebook:
while the notebook's statements run, ``init_utils``, ``reg_utils``, ``gc_utils``, ``testCases`` and
``public_tests`` in :data:`sys.modules` are aliases of :data:`HELPER_MODULES`, and restored after.

An import that fails (``matplotlib`` not installed, a name refnn's helpers lack such as
``plot_decision_boundary``) does not stop the loading: the name is bound to a stand-in that raises
:class:`ModuleNotFoundError` when used, so only the functions that need it fail — as environment
errors, not broken rules (the conformance suite classifies an ``ImportError`` raised by a target
function that way). Which imports failed is kept in :attr:`NotebookInfo.missing`.

**One broken cell does not void the notebook.** A code cell that does not parse is split into its
top-level statements and each is parsed alone, so the cell's other imports and functions are still
taken. A function whose own code does not parse (a Python 2 ``print x``; an unfinished
``W1 =``), or whose definition raises when executed (a default argument ``dtype=np.int`` on
NumPy ≥ 1.24), is replaced by a stand-in with the same signature that raises the cause when called
— :class:`~refnn.conformance.outcome.PortabilityProblem` or
:class:`~refnn.conformance.outcome.UnfinishedCode` (:func:`refnn.conformance.causes.syntax_cause`),
naming the notebook, the code cell and the line — so the suite reports that function, and judges
every other one. They are listed in :attr:`NotebookInfo.broken`. (If another cell defines the
name properly, that definition stays, as when the notebook is run.) Statements that define
nothing and do not parse are skipped (:attr:`NotebookInfo.skipped_cells`).

What raises: only a file that is not a notebook (:class:`FileNotFoundError` or
:class:`ValueError`). A relic inside a function body (``np.int`` under NumPy ≥ 1.24) raises only when
the function is called; the suite reports it as portability then.

Example:
    >>> import json, tempfile, os
    >>> cells = [{"cell_type": "code", "source": ["import numpy as np\\n", "%matplotlib inline"]},
    ...          {"cell_type": "code", "source": "def f(x):\\n    return 1\\nprint(f(2))"},
    ...          {"cell_type": "code", "source": "def f(x):\\n    return np.square(x)"}]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "nb.ipynb")
    ...     with open(path, "w") as fh:
    ...         json.dump({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, fh)
    ...     module = load_notebook(path)
    >>> int(module.f(3)), notebook_info(module).functions
    (9, ('f',))
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import importlib
import json
import linecache
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

HELPER_MODULES: dict[str, str] = {
    "init_utils": "refnn.course.init_utils",
    "reg_utils": "refnn.course.reg_utils",
    "gc_utils": "refnn.course.gc_utils",
    "testCases": "refnn.course.standins.testCases",
    "public_tests": "refnn.course.standins.public_tests",
}
"""The course's helper modules a notebook imports, and the refnn modules that stand in for them."""

INFO_ATTRIBUTE = "__refnn_notebook__"
"""The module attribute holding the :class:`NotebookInfo` of a loaded notebook."""

_DEFINES = re.compile(r"^(?:async\s+def|def|import|from|@)\b", re.MULTILINE)
"""A cell holding one of these at the start of a line would contribute to the module."""


@dataclass(frozen=True, slots=True)
class CodeCell:
    """One code cell: its 1-based number among the notebook's code cells, and its source."""

    number: int
    source: str

    def filename(self, notebook: Path) -> str:
        """The name its code is compiled under (tracebacks show it): ``"nb.ipynb [code cell 3]"``."""
        return f"{notebook} [code cell {self.number}]"


@dataclass(frozen=True, slots=True)
class NotebookInfo:
    """What :func:`load_notebook` took from a notebook.

    Attributes:
        path: the notebook.
        functions: the names of the functions defined (each once, in order of last definition).
        imports: how many import statements were run.
        missing: ``"name: reason"`` for every name an import could not provide.
        skipped_cells: the code cells with a statement that does not parse and defines nothing
            (never run).
        broken: the functions that could not be defined (their code does not parse, or their
            definition raised), each replaced by a stand-in raising the cause.
    """

    path: Path
    functions: tuple[str, ...]
    imports: int
    missing: tuple[str, ...]
    skipped_cells: tuple[int, ...]
    broken: tuple[BrokenDefinition, ...] = ()


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


class _Missing:
    """A stand-in for a name an import could not provide: using it raises ModuleNotFoundError."""

    def __init__(self, name: str, reason: str) -> None:
        self._name = name
        self._reason = reason

    def _fail(self) -> NoReturn:
        raise ModuleNotFoundError(f"{self._name!r} is not available here: {self._reason}",
                                  name=self._name)

    def __getattr__(self, attr: str) -> object:
        if attr.startswith("__"):
            raise AttributeError(attr)
        self._fail()

    def __call__(self, *args: object, **kwargs: object) -> object:
        self._fail()

    def __repr__(self) -> str:
        return f"<missing {self._name}: {self._reason}>"


def _cell_source(cell: object) -> str:
    if not isinstance(cell, dict):
        raise ValueError("a notebook cell is not a JSON object")
    src = cell.get("source", cell.get("input", ""))
    if isinstance(src, list):
        return "".join(str(s) for s in src)
    if isinstance(src, str):
        return src
    raise ValueError("a notebook cell's source is neither a string nor a list of strings")


def code_cells(path: str | Path) -> list[CodeCell]:
    """The code cells of the notebook at ``path`` (nbformat 4, or 3's first worksheet), in order.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the file is not a Jupyter notebook.
    """
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no notebook at '{file}'")
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"'{file}' is not a Jupyter notebook (not JSON: {exc})") from None
    cells: object = None
    if isinstance(doc, dict):
        cells = doc.get("cells")
        worksheets = doc.get("worksheets")
        if cells is None and isinstance(worksheets, list) and worksheets:
            first = worksheets[0]
            cells = first.get("cells") if isinstance(first, dict) else None
    if not isinstance(cells, list):
        raise ValueError(f"'{file}' is not a Jupyter notebook (no list of 'cells')")
    out: list[CodeCell] = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            out.append(CodeCell(len(out) + 1, _cell_source(cell)))
    return out


def strip_ipython(source: str) -> str:
    """``source`` with IPython-only lines blanked (line numbers kept): ``%magic``, ``!shell``,
    ``?help``; a cell magic (first line ``%%…``) blanks the whole cell."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n" * len(lines)
    kept = ["" if ln.lstrip().startswith(("%", "!", "?")) else ln for ln in lines]
    return "\n".join(kept) + ("\n" if source.endswith("\n") else "")


@dataclass(frozen=True, slots=True)
class _Statement:
    node: ast.stmt
    filename: str


@dataclass(frozen=True, slots=True)
class _Unparsed:
    """A top-level statement of a cell that does not parse and would define ``names``."""

    names: tuple[str, ...]
    header: str
    """The ``def`` line(s), for the stand-in's signature (empty when unknown)."""
    error: SyntaxError
    cell: int
    filename: str


_CONTINUES = re.compile(r"^(?:\)|\]|\}|else\b|elif\b|except\b|finally\b)")
_DEF_NAME = re.compile(r"^(?:async\s+)?def\s+(\w+)", re.MULTILINE)


def _chunks(text: str) -> list[tuple[int, str]]:
    """``text`` split into top-level statements: ``(first line index, source)``, each source
    padded with blank lines so that line numbers stay those of the cell."""
    lines = text.splitlines(True)
    starts: list[int] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or line[0] in " \t" or stripped.startswith("#"):
            continue
        if _CONTINUES.match(stripped):
            continue
        if starts and lines[starts[-1]].lstrip().startswith("@") and i == _next_code(lines,
                                                                                    starts[-1]):
            continue  # the def under a decorator
        starts.append(i)
    if not starts:
        return [(0, text)]
    starts[0] = 0
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        out.append((start, "\n" * start + "".join(lines[start:end])))
    return out


def _next_code(lines: list[str], after: int) -> int:
    for j in range(after + 1, len(lines)):
        if lines[j].strip() and not lines[j].strip().startswith("#"):
            return j
    return -1


def _def_header(chunk: str) -> str:
    """The ``def name(...):`` line(s) of ``chunk`` as a parseable stub, or empty."""
    m = _DEF_NAME.search(chunk)
    if m is None:
        return ""
    rest = chunk[m.start():]
    for end in range(len(rest)):
        if rest[end] == ":" and rest[:end].count("(") == rest[:end].count(")") > 0:
            stub = rest[:end + 1] + "\n    pass\n"
            try:
                ast.parse(stub)
            except SyntaxError:
                continue
            return stub
    return ""


def _statements(path: Path, cells: Sequence[CodeCell]
                ) -> tuple[list[_Statement], list[int], list[_Unparsed]]:
    statements: list[_Statement] = []
    skipped: list[int] = []
    unparsed: list[_Unparsed] = []
    for cell in cells:
        text = strip_ipython(cell.source)
        filename = cell.filename(path)
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        try:
            trees = [ast.parse(text, filename=filename)]
        except SyntaxError:
            trees = []
            for _, chunk in _chunks(text):
                try:
                    trees.append(ast.parse(chunk, filename=filename))
                except SyntaxError as exc:
                    names = tuple(_DEF_NAME.findall(chunk))
                    if names:
                        unparsed.append(_Unparsed(names, _def_header(chunk), exc, cell.number,
                                                  filename))
                    elif cell.number not in skipped:
                        skipped.append(cell.number)
        for tree in trees:
            for node in tree.body:
                if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                     ast.AsyncFunctionDef)):
                    statements.append(_Statement(node, filename))
    return statements, skipped, unparsed


def _stand_in(name: str, problem: Exception, header: str, module: str) -> Any:
    """A function named ``name`` (with the signature of ``header`` when known) raising ``problem``
    (a fresh copy at each call)."""
    from refnn.conformance.outcome import TargetProblem

    def broken(*args: object, **kwargs: object) -> NoReturn:
        if isinstance(problem, TargetProblem):
            error = type(problem)(problem.message, hint=problem.hint, where=problem.where,
                                  function=problem.function)
            error.args = (str(error),)  # reports that print args[0] show place and hint
            raise error
        raise problem

    broken.__name__ = broken.__qualname__ = name
    broken.__module__ = module
    broken.__doc__ = f"{name} could not be defined: {problem}"
    signature = _signature_of(header)
    if signature is not None:
        broken.__signature__ = signature  # type: ignore[attr-defined]
    return broken


def _signature_of(header: str) -> Any:
    """The :class:`inspect.Signature` of a ``def`` stub (defaults shown as their source)."""
    import inspect

    if not header:
        return None
    node = ast.parse(header).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    a = node.args

    class _Source:
        def __init__(self, text: str) -> None:
            self.text = text

        def __repr__(self) -> str:
            return self.text

    P = inspect.Parameter
    params: list[inspect.Parameter] = []
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        kind = P.POSITIONAL_ONLY if i < len(a.posonlyargs) else P.POSITIONAL_OR_KEYWORD
        params.append(P(arg.arg, kind, default=P.empty if default is None
                        else _Source(ast.unparse(default))))
    if a.vararg is not None:
        params.append(P(a.vararg.arg, P.VAR_POSITIONAL))
    for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults):
        params.append(P(arg.arg, P.KEYWORD_ONLY, default=P.empty if kw_default is None
                        else _Source(ast.unparse(kw_default))))
    if a.kwarg is not None:
        params.append(P(a.kwarg.arg, P.VAR_KEYWORD))
    return inspect.Signature(params)


@contextmanager
def course_helpers() -> Iterator[None]:
    """Alias the course's helper module names to :data:`HELPER_MODULES` in :data:`sys.modules`
    for the duration; the previous entries (or their absence) are restored after."""
    saved = {name: sys.modules.get(name) for name in HELPER_MODULES}
    try:
        for name, target in HELPER_MODULES.items():
            sys.modules[name] = importlib.import_module(target)
        yield
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def _bound_names(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """``(bound name, what it imports)`` for each alias of an import (``*`` gives none)."""
    out: list[tuple[str, str]] = []
    for alias in node.names:
        if alias.name == "*":
            continue
        if isinstance(node, ast.Import):
            bound = alias.asname or alias.name.split(".")[0]
            out.append((bound, alias.name))
        else:
            module = "." * node.level + (node.module or "")
            out.append((alias.asname or alias.name, f"{module}.{alias.name}"))
    return out


def _run_import(stmt: _Statement, namespace: dict[str, object], missing: list[str]) -> None:
    node = stmt.node
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    try:
        exec(compile(ast.Module(body=[node], type_ignores=[]), stmt.filename, "exec"), namespace)
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
            exec(compile(ast.Module(body=[one], type_ignores=[]), stmt.filename, "exec"), namespace)
        except ImportError as exc:
            reason = f"{type(exc).__name__}: {exc}"
            bound = _bound_names(one)
            if not bound:
                where = node.module if isinstance(node, ast.ImportFrom) else alias.name
                missing.append(f"* (from {where}): {reason}")
            for name, what in bound:
                namespace[name] = _Missing(what, reason)
                missing.append(f"{name}: {reason}")


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"notebook_target_{stem}_{digest}"


def load_notebook(path: str | Path, module_name: str | None = None) -> ModuleType:
    """The notebook at ``path`` as a module: its imports and function definitions only.

    The module is registered in :data:`sys.modules` under ``module_name`` (default
    ``notebook_target_<stem>_<hash>``, outside the ``refnn`` prefix); its ``__file__`` is the
    notebook; the functions' code is compiled under ``"<path> [code cell N]"`` with the cell's
    source in :mod:`linecache`, so tracebacks point into the notebook. The notebook's folder is
    put on :data:`sys.path` (for other modules beside it), as for a ``.py`` target.

    Raises:
        FileNotFoundError, ValueError: not a notebook.
    """
    from refnn.conformance import causes
    from refnn.conformance.outcome import TargetProblem

    file = Path(path).expanduser().resolve()
    cells = code_cells(file)
    statements, skipped, unparsed = _statements(file, cells)
    name = module_name or _module_name(file)
    module = ModuleType(name, f"A learner's notebook, {file.name}: its imports and functions.")
    module.__file__ = str(file)
    namespace = module.__dict__
    namespace["__builtins__"] = builtins
    folder = str(file.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    missing: list[str] = []
    functions: dict[str, None] = {}
    failed: dict[str, tuple[BrokenDefinition, TargetProblem, str]] = {}
    imports = 0
    sys.modules[name] = module
    try:
        with course_helpers():
            for stmt in statements:
                if isinstance(stmt.node, (ast.Import, ast.ImportFrom)):
                    _run_import(stmt, namespace, missing)
                    imports += 1
                    continue
                assert isinstance(stmt.node, (ast.FunctionDef, ast.AsyncFunctionDef))
                code = compile(ast.Module(body=[stmt.node], type_ignores=[]), stmt.filename,
                               "exec")
                fname = stmt.node.name
                try:
                    exec(code, namespace)
                except Exception as exc:  # noqa: BLE001 - the definition's fault, reported per function
                    where = f"{stmt.filename}:{stmt.node.lineno}"
                    problem = causes.import_cause(exc, where=where)
                    problem.function = fname
                    problem.message = f"{fname}() could not be defined: {problem.message}"
                    cell = int(stmt.filename.rsplit("code cell ", 1)[-1].rstrip("]"))
                    failed[fname] = (BrokenDefinition(fname, cell, stmt.node.lineno, problem.kind,
                                                      str(problem)), problem,
                                     _def_line(ast.unparse(stmt.node)))
                    continue
                functions.pop(fname, None)
                functions[fname] = None
                failed.pop(fname, None)
            for bad in unparsed:
                where = f"{bad.filename}:{bad.error.lineno}"
                for fname in bad.names:
                    if fname in functions:
                        continue  # another cell defines it (as when the notebook is run)
                    problem = causes.syntax_cause(bad.error, function=fname, where=where)
                    failed[fname] = (BrokenDefinition(fname, bad.cell, bad.error.lineno or 0,
                                                      problem.kind, str(problem)), problem,
                                     bad.header)
            for fname, (_, cause, header) in failed.items():
                namespace[fname] = _stand_in(fname, cause, _header_only(header), name)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    setattr(module, INFO_ATTRIBUTE, NotebookInfo(file, tuple(functions), imports,
                                                 tuple(missing), tuple(skipped),
                                                 tuple(b for b, _, _ in failed.values())))
    return module


def _def_line(source: str) -> str:
    """The ``def`` line of an unparsed function (decorators dropped), as a stub."""
    for line in source.splitlines():
        if line.startswith(("def ", "async def ")):
            return line + "\n    pass\n"
    return ""


def _header_only(header: str) -> str:
    """``header`` when it parses as a stub ``def``, else empty."""
    try:
        ast.parse(header)
    except SyntaxError:
        return ""
    return header


def notebook_info(module: ModuleType) -> NotebookInfo:
    """The :class:`NotebookInfo` of a module made by :func:`load_notebook`.

    Raises:
        ValueError: ``module`` was not loaded from a notebook.
    """
    info = getattr(module, INFO_ATTRIBUTE, None)
    if not isinstance(info, NotebookInfo):
        raise ValueError(f"module {module.__name__!r} was not loaded from a notebook")
    return info


__all__ = [
    "HELPER_MODULES",
    "BrokenDefinition",
    "CodeCell",
    "NotebookInfo",
    "code_cells",
    "course_helpers",
    "load_notebook",
    "notebook_info",
    "strip_ipython",
]
