"""What a target's names are bound to when the real thing is not there: the course's helper
modules (refnn's own), a name an import could not provide, a function that could not be
defined, and IPython's ``get_ipython``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

HELPER_MODULES: dict[str, str] = {
    "init_utils": "refnn.course.init_utils",
    "reg_utils": "refnn.course.reg_utils",
    "gc_utils": "refnn.course.gc_utils",
    "testCases": "refnn.course.standins.testCases",
    "public_tests": "refnn.course.standins.public_tests",
}
"""The course's helper modules a notebook imports, and the refnn modules that stand in for them."""


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


class Missing:
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


class NoIPython:
    """What ``get_ipython()`` returns in a target run outside IPython (only when its top-level
    code is run): every method is accepted and does nothing, as the magics are ignored."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return lambda *args, **kwargs: None

    def __repr__(self) -> str:
        return "<no IPython: refnn ignores magics>"


def get_ipython() -> NoIPython:
    """The stand-in for IPython's ``get_ipython`` (:class:`NoIPython`)."""
    return NoIPython()


def broken_function(name: str, problem: Exception, header: str, module: str) -> Any:
    """A function named ``name`` (with the signature of the ``def`` stub ``header`` when it
    parses) raising ``problem`` (a fresh copy at each call)."""
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
    signature = signature_of(header)
    if signature is not None:
        broken.__signature__ = signature  # type: ignore[attr-defined]
    return broken


class _Source:
    """A default value shown as its source text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def signature_of(header: str) -> inspect.Signature | None:
    """The :class:`inspect.Signature` of a ``def`` stub (defaults shown as their source), or
    ``None`` when ``header`` is empty or does not parse."""
    try:
        body = ast.parse(header).body if header else []
    except SyntaxError:
        return None
    if not body or not isinstance(body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    a = body[0].args
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


__all__ = ["HELPER_MODULES", "Missing", "NoIPython", "broken_function", "course_helpers",
           "get_ipython", "signature_of"]
