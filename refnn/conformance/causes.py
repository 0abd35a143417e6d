"""Why a target failed, when it is not a broken rule: unfinished, portability, environment.

:func:`classify` sorts an exception raised by a call of a target function (or by loading it) by its
*cause*, not its type:

* **unfinished** (:class:`~refnn.conformance.outcome.UnfinishedCode`): the function is still the
  course's template — ``raise NotImplementedError``, a ``# YOUR CODE STARTS HERE`` (old notebooks:
  ``### START CODE HERE ###``) block with nothing in it, or a ``None`` placeholder (``W1 = None``)
  that the failure ran into (:func:`unfinished`);
* **portability** (:class:`~refnn.conformance.outcome.PortabilityProblem`): code written for an
  older NumPy or Python — an alias NumPy removed (``np.int``, ``np.asscalar``, ``np.float_``), a
  NumPy-2 change (an array of one number assigned into a scalar slot, "only 0-dimensional arrays can
  be converted"; ``np.sum`` of a generator), Python 2 (``print x``, ``xrange``, ``dict.iteritems``,
  indexing ``dict.keys()``): with the line and the one-line fix;
* **environment** (:class:`~refnn.conformance.outcome.TargetEnvironmentError`): a helper module, a
  name a course helper module provides, or a data file is missing;
* otherwise ``None``: the learner's own bug, a broken rule. A ``NameError`` for a name that neither
  the target nor any course helper module defines is such a bug (:func:`undefined_name_hint`
  says so).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import linecache
import re
import sysconfig
import tokenize
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType, ModuleType, TracebackType
from typing import Any, Final

from refnn.conformance.course_functions import helper_names
from refnn.conformance.legacy_names import (
    MODULE_ALIASES,
    PYTHON2_METHODS,
    PYTHON2_NAMES,
    REMOVED_NUMPY,
)
from refnn.conformance.outcome import (
    PortabilityProblem,
    TargetEnvironmentError,
    TargetProblem,
    UnfinishedCode,
)

_START = re.compile(r"#+\s*(YOUR CODE (STARTS )?HERE|START CODE HERE)", re.IGNORECASE)
_END = re.compile(r"#+\s*(YOUR CODE ENDS HERE|END CODE HERE)", re.IGNORECASE)


def numpy_version() -> str:
    import numpy

    return str(numpy.__version__)


# ----------------------------------------------------------------------------------- unfinished


@dataclass(frozen=True)
class Template:
    """What is left of the course's template in a function."""

    reason: str
    """E.g. "``D1 = None`` is the template's placeholder"."""
    line: int
    """The line (in the function's file or notebook cell)."""
    placeholders: tuple[str, ...] = ()
    """Names the template assigns ``None`` to inside a code block."""


def _source_of(code: CodeType) -> tuple[list[str], int] | None:
    lines = linecache.getlines(code.co_filename)
    if not lines:
        return None
    start = code.co_firstlineno - 1
    try:
        block = inspect.getblock(lines[start:])
    except (IndexError, SyntaxError, tokenize.TokenError):
        return None
    return list(block), start + 1


def template_left(code: CodeType) -> Template | None:
    """The course's template left in the function of ``code``, or ``None`` when it looks finished.

    Looks for ``raise NotImplementedError``, a ``YOUR CODE STARTS HERE`` / ``START CODE HERE`` block
    holding no statement before its end marker (or the end of the function), and ``name = None``
    inside such a block (the old notebooks' placeholders).
    """
    found = _source_of(code)
    if found is None:
        return None
    lines, first = found
    placeholders: list[str] = []
    first_placeholder = 0
    inside = False
    block_start = 0
    block_has_code = False
    empty_block = 0
    for offset, raw in enumerate(lines):
        text = raw.strip()
        number = first + offset
        if _START.search(text):
            if inside and not block_has_code and not empty_block:
                empty_block = block_start
            inside, block_start, block_has_code = True, number, False
            continue
        if _END.search(text):
            if inside and not block_has_code and not empty_block:
                empty_block = block_start
            inside = False
            continue
        if not text or text.startswith("#"):
            continue
        if re.match(r"raise\s+NotImplementedError\b", text):
            return Template("raise NotImplementedError (the template is not filled in)", number)
        if inside:
            block_has_code = True
            m = re.match(r"([\w\[\]'\"., +()]+?)\s*=\s*None\s*(#.*)?$", text)
            if m:
                placeholders.append(m.group(1).strip())
                first_placeholder = first_placeholder or number
    if inside and not block_has_code and not empty_block:
        empty_block = block_start
    if placeholders:
        return Template(f"{placeholders[0]} = None is the template's placeholder", first_placeholder,
                        tuple(placeholders))
    if empty_block:
        return Template("the block after '# YOUR CODE STARTS HERE' is empty", empty_block)
    return None


def _none_assignment(code: CodeType) -> tuple[str, int] | None:
    """The first ``name = None`` statement of the function (anywhere), with its line."""
    found = _source_of(code)
    if found is None:
        return None
    lines, first = found
    for offset, raw in enumerate(lines[1:], start=1):
        m = re.match(r"\s*([A-Za-z_]\w*(\[[^\]]+\])?)\s*=\s*None\s*(#.*)?$", raw)
        if m:
            return m.group(1), first + offset
    return None


# ------------------------------------------------------------------------------------ frames


def target_frames(tb: TracebackType | None) -> list[tuple[CodeType, int, dict[str, Any],
                                                          dict[str, Any]]]:
    """``(code, line, globals, locals)`` of the traceback's frames in the target's own code (not
    refnn's, numpy's or the standard library's)."""
    out = []
    while tb is not None:
        frame = tb.tb_frame
        if not _is_library(frame.f_code.co_filename, frame.f_globals):
            out.append((frame.f_code, tb.tb_lineno, frame.f_globals, frame.f_locals))
        tb = tb.tb_next
    return out


_LIBRARIES: Final[frozenset[str]] = frozenset({
    "refnn", "numpy", "scipy", "hypothesis", "pytest", "_pytest", "pluggy", "importlib",
})
_STDLIB: Final[str] = sysconfig.get_paths()["stdlib"]


def _is_library(filename: str, globals_: dict[str, Any]) -> bool:
    """Whether a frame runs refnn's, a library's or the standard library's code (not the target's)."""
    module = str(globals_.get("__name__", ""))
    if module.split(".")[0] in _LIBRARIES:
        return True
    return (filename.startswith(("<frozen", _STDLIB)) or "/site-packages/" in filename
            or "/dist-packages/" in filename)


def where_of(code: CodeType, line: int) -> str:
    """``file:line`` (``notebook [code cell N]:line``)."""
    return f"{code.co_filename}:{line}"


def line_text(code: CodeType, line: int) -> str:
    return linecache.getline(code.co_filename, line).strip()


# ---------------------------------------------------------------------------- classification


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _size_of_assigned_value(text: str, g: dict[str, Any], loc: dict[str, Any]) -> int | None:
    """The number of entries of the value a failing ``a[i] = expr`` / ``float(expr)`` line
    converts, when it can be evaluated without calling anything; else ``None``."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    stmt = tree.body[0]
    expr: ast.expr | None = None
    if isinstance(stmt, (ast.Assign, ast.AugAssign)) and any(
            isinstance(t, ast.Subscript) for t in
            (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])):
        expr = stmt.value
    if expr is None or any(isinstance(n, (ast.Call, ast.Lambda, ast.NamedExpr))
                           for n in ast.walk(expr)):
        return None
    try:
        value = eval(compile(ast.Expression(expr), "<refnn>", "eval"), dict(g), dict(loc))
    except Exception:  # noqa: BLE001 - not evaluable: unknown
        return None
    import numpy as np

    return int(np.size(value))


def classify(exc: BaseException, *, function: str = "",
             func: Callable[..., Any] | None = None) -> TargetProblem | str | None:
    """The cause of ``exc``, raised by a call of the target function ``function``.

    Returns:
        a :class:`TargetProblem` (unfinished, portability, environment); or a hint (``str``) when
        the failure is the learner's bug and the suite can say more (an undefined name); or
        ``None`` (a plain broken rule).
    """
    frames = target_frames(exc.__traceback__)
    where, text = "", ""
    if frames:
        code, line, g, loc = frames[-1]
        where, text = where_of(code, line), line_text(code, line)
    unfinished = _unfinished_cause(exc, frames, func, function)
    if unfinished is not None:
        return unfinished
    port = _portability(exc, frames, where, text, function)
    if port is not None:
        return port
    return _environment_or_bug(exc, frames, where, function)


def _unfinished_cause(exc: BaseException, frames: list[tuple[CodeType, int, dict[str, Any],
                                                              dict[str, Any]]],
                      func: Callable[..., Any] | None, function: str) -> UnfinishedCode | None:
    if isinstance(exc, NotImplementedError):
        codes = [f[0] for f in frames]
    else:
        codes = [f[0] for f in frames]
        if func is not None and getattr(func, "__code__", None) is not None:
            codes.insert(0, func.__code__)
    for code in reversed(codes):
        left = template_left(code)
        if left is not None:
            return UnfinishedCode(
                f"{code.co_name}() is unfinished: {left.reason}",
                where=f"{code.co_filename}:{left.line}",
                hint="fill in the code between '# YOUR CODE STARTS HERE' and '# YOUR CODE ENDS "
                     "HERE' (the template's None placeholders included)",
                function=code.co_name)
    if "NoneType" in str(exc) and isinstance(exc, (TypeError, AttributeError)) and frames:
        code = frames[-1][0]
        placeholder = _none_assignment(code)
        if placeholder is not None:
            name, line = placeholder
            return UnfinishedCode(
                f"{code.co_name}() is unfinished: {name} = None (a template placeholder) is used "
                f"as a value: {type(exc).__name__}: {exc}",
                where=f"{code.co_filename}:{line}",
                hint=f"replace '{name} = None' by the code that computes {name}",
                function=code.co_name)
    return None


def _portability(exc: BaseException, frames: list[tuple[CodeType, int, dict[str, Any],
                                                         dict[str, Any]]],
                 where: str, text: str, function: str) -> PortabilityProblem | None:
    message = f"{type(exc).__name__}: {exc}"
    shown = f" in `{text}`" if text else ""

    def problem(hint: str) -> PortabilityProblem:
        return PortabilityProblem(
            f"{function or 'the target'} runs only on an older NumPy/Python: {message}{shown}",
            hint=hint, where=where, function=function)

    if isinstance(exc, AttributeError):
        obj = getattr(exc, "obj", None)
        name = getattr(exc, "name", None) or ""
        is_numpy = (isinstance(obj, ModuleType) and obj.__name__ == "numpy") or \
            str(exc).startswith("module 'numpy' has no attribute")
        if is_numpy:
            if not name:
                m = re.search(r"attribute '(\w+)'", str(exc))
                name = m.group(1) if m else ""
            if name in REMOVED_NUMPY:
                since, repl = REMOVED_NUMPY[name]
                return problem(f"np.{name} was removed in NumPy {since} (this is NumPy "
                               f"{numpy_version()}); use {repl}")
            return None
        if isinstance(obj, dict) and name in PYTHON2_METHODS:
            return problem(f"dict.{name} is Python 2; use {PYTHON2_METHODS[name]}")
        return None
    if isinstance(exc, NameError) and not isinstance(exc, UnboundLocalError):
        name = getattr(exc, "name", None) or ""
        if name in PYTHON2_NAMES and not hasattr(builtins, name):
            return problem(f"{name} is a Python 2 builtin; in Python 3 use {PYTHON2_NAMES[name]}")
        return None
    texts = [str(e) for e in _chain(exc)]
    if isinstance(exc, TypeError) and any("np.sum(generator)" in t for t in texts):
        return problem("NumPy 2 no longer sums a generator: use the builtin sum(...) or "
                       "np.sum(np.fromiter(...)) (or build a list first)")
    if isinstance(exc, (TypeError, ValueError)) and any(
            "only 0-dimensional arrays can be converted" in t or
            "only length-1 arrays can be converted" in t or
            "only size-1 arrays can be converted" in t for t in texts):
        size = None
        if frames:
            code, line, g, loc = frames[-1]
            size = _size_of_assigned_value(text, g, loc)
        if size is not None and size != 1:
            return None  # a real bug: more than one number where one belongs
        return problem("NumPy ≥ 2 no longer turns an array of one number (shape (1,) or (1, 1)) "
                       "into a scalar: take the number out with .item() or float(...), or "
                       "index it (x[0, 0])")
    if isinstance(exc, TypeError):
        m = re.search(r"'(dict_keys|dict_values|dict_items|map|zip|filter|range)' object "
                      r"(is not subscriptable|does not support item assignment)", str(exc))
        if m:
            return problem(f"in Python 3 {m.group(1).replace('_', '.')}(...) is a view/iterator, "
                           "not a list: wrap it in list(...)")
    return None


def _course_helper_names() -> frozenset[str]:
    names = set(helper_names())
    from refnn.notebook import HELPER_MODULES

    import importlib

    for module in HELPER_MODULES.values():
        try:
            names |= {n for n in dir(importlib.import_module(module)) if not n.startswith("_")}
        except ImportError:  # pragma: no cover - refnn's own modules
            continue
    return frozenset(names)


def _environment_or_bug(exc: BaseException, frames: list[tuple[CodeType, int, dict[str, Any],
                                                                dict[str, Any]]],
                        where: str, function: str) -> TargetProblem | str | None:
    message = f"{type(exc).__name__}: {exc}"
    call = function or "the target"

    def env(hint: str) -> TargetEnvironmentError:
        return TargetEnvironmentError(f"{call} could not run here: {message}", hint=hint,
                                      where=where, function=function)

    if isinstance(exc, ModuleNotFoundError):
        return env(f"module {exc.name!r} is not importable here; put the course's helper files "
                   "(e.g. reg_utils.py, gc_utils.py, testCases.py) beside the target, or "
                   "install it")
    if isinstance(exc, ImportError):
        return env("a helper module lacks a name the target imports from it")
    if isinstance(exc, FileNotFoundError):
        return env("a data file the target reads is missing (e.g. datasets/data.mat beside "
                   "the notebook)")
    if isinstance(exc, NameError) and not isinstance(exc, UnboundLocalError):
        name = getattr(exc, "name", None) or ""
        if frames:  # a name only the target's top-level code (not run) assigns
            from refnn.notebook import unrun_name_problem

            unrun = unrun_name_problem(name, frames[-1][2], frames[-1][0].co_name, where)
            if unrun is not None:
                return unrun
        if name in MODULE_ALIASES:
            return env(f"the notebook's import cell provides {name}: {MODULE_ALIASES[name]}")
        if name in _course_helper_names():
            return env(f"{name} comes from the course's helper modules; import it as the "
                       f"notebook does (e.g. from reg_utils import {name})")
        return undefined_name_hint(name, frames)
    if isinstance(exc, AttributeError):
        obj = getattr(exc, "obj", None)
        if isinstance(obj, ModuleType) and obj.__name__.split(".")[0] != "numpy":
            return env(f"module {obj.__name__!r} here lacks {getattr(exc, 'name', '?')!r}")
        if obj is None and str(exc).startswith("module '") and "numpy" not in str(exc):
            return env("a module here lacks a name the target uses")
    return None


def undefined_name_hint(name: str, frames: list[tuple[CodeType, int, dict[str, Any],
                                                      dict[str, Any]]]) -> str:
    """The hint for a name the learner's function uses but nothing defines (their bug)."""
    inside = f" in {frames[-1][0].co_name}()" if frames else ""
    return (f"'{name}' is used{inside} but defined nowhere in the target (nor in the course's "
            "helper modules): a typo, or a variable set in another cell?")


# ---------------------------------------------------------------------------------- syntax


_PY2_SYNTAX: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"^\s*print\s+[^\s(=]"), "a Python 2 print statement; use print(...)"),
    (re.compile(r"^\s*print\s*$"), "a Python 2 print statement; use print()"),
    (re.compile(r"^\s*exec\s+[\"'\w]"), "a Python 2 exec statement; use exec(...)"),
    (re.compile(r"except\s+[\w.]+\s*,\s*\w+\s*:"), "Python 2 'except E, e:'; use 'except E as e:'"),
    (re.compile(r"^\s*raise\s+[\w.]+\s*,"), "Python 2 'raise E, msg'; use 'raise E(msg)'"),
    (re.compile(r"<>"), "Python 2 '<>'; use '!='"),
    (re.compile(r"`[^`]+`"), "Python 2 backquotes; use repr(...)"),
    (re.compile(r"\b0\d+\b"), "a Python 2 octal literal; use 0o..."),
)


def syntax_cause(exc: SyntaxError, *, function: str = "", where: str = "") -> TargetProblem:
    """A :class:`SyntaxError` as portability (Python 2 syntax) or unfinished code (anything else:
    a cell that does not parse because it is not finished)."""
    text = (exc.text or "").rstrip("\n")
    place = where or (f"{exc.filename}:{exc.lineno}" if exc.filename else "")
    detail = f"SyntaxError: {exc.msg}" + (f" in `{text.strip()}`" if text.strip() else "")
    what = f"{function}() " if function else ""
    hint = ""
    if "Missing parentheses in call to 'print'" in (exc.msg or ""):
        hint = "a Python 2 print statement; this is Python 3 (use print(...))"
    elif "Missing parentheses in call to 'exec'" in (exc.msg or ""):
        hint = "a Python 2 exec statement; this is Python 3 (use exec(...))"
    elif "multiple exception types must be parenthesized" in (exc.msg or ""):
        hint = "Python 2 'except E, e:'; this is Python 3 (use 'except E as e:')"
    elif "leading zeros in decimal integer literals" in (exc.msg or ""):
        hint = "a Python 2 octal literal; this is Python 3 (use 0o...)"
    else:
        for pattern, text_hint in _PY2_SYNTAX:
            if pattern.search(text):
                hint = text_hint + " (this is Python 3)"
                break
    if hint:
        short = hint.split(";")[0].replace(" (this is Python 3)", "")
        return PortabilityProblem(f"{what}does not parse as Python 3 ({short}): {detail}", hint=hint,
                                  where=place, function=function)
    return UnfinishedCode(f"{what}does not parse: {detail} (an unfinished cell?)",
                          hint="finish the code at that line so that the cell runs",
                          where=place, function=function)


def import_cause(exc: BaseException, *, where: str = "") -> TargetProblem:
    """The cause of an exception raised while importing (loading) a target."""
    if isinstance(exc, SyntaxError):
        return syntax_cause(exc, where=where)
    found = classify(exc)
    if isinstance(found, TargetProblem):
        if where and not found.where:
            found.where = where
        return found
    return TargetEnvironmentError(f"{type(exc).__name__}: {exc}", where=where,
                                  hint=found if isinstance(found, str) else "")


def last_frame(exc: BaseException) -> str:
    """``file:line in function`` of the last frame outside the import machinery."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    outside = [f for f in frames if "importlib" not in f.filename and "conformance" not in f.filename]
    if not outside:
        return ""
    f = outside[-1]
    return f"{f.filename}:{f.lineno} in {f.name}"
