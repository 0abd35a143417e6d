"""Which of a target's top-level statements are safe to evaluate without running its code, and
which names the others would have bound.

A top-level assignment is *kept* (evaluated while loading) when its value is a :func:`safe
<unsafe_reason>` expression: literals and containers of them, names already bound by the loading
(imports, functions, earlier kept assignments, builtins), attributes and subscripts of those,
arithmetic, comparisons and conditional expressions on them, lambdas (their bodies run only when
called), and calls of a short list of pure constructors (:data:`PURE_CALLS`: ``float``,
``range``, ``np.array``, ``np.zeros``, …, checked by identity when evaluated). ``scale = 0.5``,
``relu = lambda z: np.maximum(0, z)``, ``layers = [2, 20, 3, 1]``, ``eps = np.float64(1e-7)`` are
kept; ``X, Y = load_dataset()``, ``m = X.shape[1]`` (``X`` was not kept) and a ``for`` loop are
not.

Every other statement is not run; the names it would bind (:func:`bound_names`) are remembered,
so a function that uses one is told where it was assigned instead of getting a bare
``NameError``.
"""

from __future__ import annotations

import ast
import builtins
import functools
from collections.abc import Container, Iterator, Mapping
from typing import Any

_PURE_BUILTINS = ("abs", "bool", "complex", "dict", "float", "frozenset", "int", "len", "list",
                  "max", "min", "range", "round", "set", "slice", "str", "tuple")
_PURE_NUMPY = ("array", "asarray", "zeros", "ones", "full", "eye", "identity", "arange",
               "linspace", "float64", "float32", "int64", "int32", "sqrt", "exp", "log")


@functools.cache
def pure_calls() -> frozenset[int]:
    """The ids of the callables a kept assignment may call (:data:`PURE_CALLS`)."""
    import numpy as np

    objs = [getattr(builtins, n) for n in _PURE_BUILTINS] + [getattr(np, n) for n in _PURE_NUMPY]
    return frozenset(id(o) for o in objs)


PURE_CALLS = _PURE_BUILTINS + tuple(f"np.{n}" for n in _PURE_NUMPY)
"""The callables a kept top-level assignment may call (builtins, and numpy's by identity)."""


def assigned_value(node: ast.stmt) -> ast.expr | None:
    """The value of a plain assignment to names (``a = …``, ``a, b = …``, ``a: T = …``,
    ``a += …``), or ``None`` for any other statement."""
    if isinstance(node, ast.Assign) and all(_names_only(t) for t in node.targets):
        return node.value
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
        return node.value
    return None


def _names_only(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, ast.Starred):
        return _names_only(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_names_only(e) for e in target.elts)
    return False


def unsafe_reason(node: ast.stmt, bound: Mapping[str, Any], unrun: Container[str]) -> str:
    """Why the top-level statement ``node`` is not kept, or ``""`` when it is a kept assignment.

    ``bound`` holds the names the loading has bound so far; ``unrun`` the names only code that is
    not run assigns."""
    value = assigned_value(node)
    if value is None:
        return _statement_kind(node)
    if isinstance(node, ast.AugAssign):
        target = node.target
        assert isinstance(target, ast.Name)
        if target.id not in bound:
            return f"it updates `{target.id}`, which is not kept"
    return _expression_reason(value, bound, unrun)


def _statement_kind(node: ast.stmt) -> str:
    kinds = {ast.For: "a for loop", ast.While: "a while loop", ast.If: "an if statement",
             ast.With: "a with statement", ast.Try: "a try statement",
             ast.ClassDef: "a class definition", ast.Expr: "an expression statement",
             ast.Assign: "an assignment to an attribute or an item"}
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    return f"a {type(node).__name__} statement"


def _expression_reason(expr: ast.expr, bound: Mapping[str, Any], unrun: Container[str]) -> str:
    for node in _walk_outside_lambdas(expr):
        if isinstance(node, ast.Name):
            if node.id in unrun:
                return f"it needs `{node.id}`, which is not kept either"
            if node.id not in bound and not hasattr(builtins, node.id):
                return f"it uses `{node.id}`, which nothing before it defines"
        elif isinstance(node, ast.Call):
            if not _callee_is_path(node.func):
                return "it calls the result of an expression"
        elif not isinstance(node, _SAFE_NODES):
            return f"its value is computed by {_expression_kind(node)}"
    return ""


_SAFE_NODES = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred, ast.Attribute,
               ast.Subscript, ast.Slice, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare,
               ast.IfExp, ast.Lambda, ast.keyword, ast.expr_context, ast.operator,
               ast.unaryop, ast.boolop, ast.cmpop, ast.arguments, ast.arg)


def _expression_kind(node: ast.AST) -> str:
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return "a comprehension"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    return f"a {type(node).__name__} expression"


def _walk_outside_lambdas(expr: ast.expr) -> Iterator[ast.AST]:
    """The nodes of ``expr``, without a lambda's body (only its default values are evaluated)."""
    todo: list[ast.AST] = [expr]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.Lambda):
            todo += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            continue
        todo += list(ast.iter_child_nodes(node))


def _callee_is_path(func: ast.expr) -> bool:
    """Whether a call's callee is a dotted name (``float``, ``np.array``)."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name)


def impure_call(expr: ast.expr, namespace: dict[str, Any]) -> str:
    """The first call in ``expr`` (outside lambda bodies) whose callee, evaluated in
    ``namespace``, is not one of :data:`PURE_CALLS` (``""`` when there is none)."""
    allowed = pure_calls()
    for node in _walk_outside_lambdas(expr):
        if isinstance(node, ast.Call):
            try:
                callee = eval(compile(ast.Expression(node.func), "<refnn>", "eval"),
                              dict(namespace))
            except Exception:  # noqa: BLE001 - not evaluable: not kept
                callee = None
            if id(callee) not in allowed:
                return f"it calls `{ast.unparse(node.func)}`"
    return ""


def bound_names(node: ast.stmt) -> list[str]:
    """The names a top-level statement binds in the module (not inside its functions, classes,
    lambdas or comprehensions), in order."""
    out: list[str] = []

    def add(name: str) -> None:
        if name not in out:
            out.append(name)

    todo: list[ast.AST] = [node]
    while todo:
        cur = todo.pop(0)
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(cur.name)
            if cur is not node:
                continue
            todo += [*cur.decorator_list]
            continue
        if isinstance(cur, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                            ast.GeneratorExp)):
            continue
        if isinstance(cur, ast.Name) and isinstance(cur.ctx, ast.Store):
            add(cur.id)
        elif isinstance(cur, (ast.Import, ast.ImportFrom)):
            for alias in cur.names:
                if alias.name != "*":
                    add(alias.asname or alias.name.split(".")[0])
        elif isinstance(cur, ast.ExceptHandler) and cur.name:
            add(cur.name)
        elif isinstance(cur, (ast.MatchAs, ast.MatchStar)) and cur.name:
            add(cur.name)
        todo += list(ast.iter_child_nodes(cur))
    return out


__all__ = ["PURE_CALLS", "assigned_value", "bound_names", "impure_call", "pure_calls",
           "unsafe_reason"]
