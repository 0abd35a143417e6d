"""A cell's top-level statements, parsed one by one so that one that does not parse voids only
itself.

:func:`parse_cells` parses each code cell (after :func:`~refnn.notebook.cells.strip_ipython`); a
cell that does not parse is split into its top-level statements (:func:`chunks`) and each is
parsed alone. A statement that still does not parse is kept as an :class:`Unparsed` when it
would define functions (their names and, when it parses, the ``def`` line for a stand-in's
signature), else its cell is listed as skipped.
"""

from __future__ import annotations

import ast
import linecache
import re
from collections.abc import Sequence
from dataclasses import dataclass

from refnn.notebook.cells import CodeCell, strip_ipython


@dataclass(frozen=True, slots=True)
class Statement:
    """One top-level statement of a code cell (its line numbers are those of the cell's
    :attr:`~refnn.notebook.cells.CodeCell.filename`)."""

    node: ast.stmt
    cell: CodeCell


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A top-level statement of a cell that does not parse and would define ``names``."""

    names: tuple[str, ...]
    header: str
    """The ``def`` line(s), for the stand-in's signature (empty when unknown)."""
    error: SyntaxError
    cell: CodeCell


@dataclass(frozen=True, slots=True)
class Parsed:
    """The statements of a file's code cells, in order, and what did not parse."""

    statements: tuple[Statement, ...]
    skipped: tuple[int, ...]
    """Code cells with a statement that does not parse and defines nothing."""
    unparsed: tuple[Unparsed, ...]


_CONTINUES = re.compile(r"^(?:\)|\]|\}|else\b|elif\b|except\b|finally\b)")
DEF_NAME = re.compile(r"^(?:async\s+)?def\s+(\w+)", re.MULTILINE)


def chunks(text: str) -> list[tuple[int, str]]:
    """``text`` split into top-level statements: ``(first line index, source)``, each source
    padded with blank lines so that line numbers stay those of ``text``."""
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


def def_header(chunk: str) -> str:
    """The ``def name(...):`` line(s) of ``chunk`` as a parseable stub, or empty."""
    m = DEF_NAME.search(chunk)
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


def parse_cells(cells: Sequence[CodeCell]) -> Parsed:
    """Every top-level statement of ``cells`` (IPython lines blanked), in order."""
    statements: list[Statement] = []
    skipped: list[int] = []
    unparsed: list[Unparsed] = []
    for cell in cells:
        text = cell.padded(strip_ipython(cell.source))
        if not cell.on_disk:  # a notebook's cell: tracebacks find its lines here
            linecache.cache[cell.filename] = (len(text), None, text.splitlines(True),
                                              cell.filename)
        try:
            trees = [ast.parse(text, filename=cell.filename)]
        except SyntaxError:
            trees = []
            for _, chunk in chunks(text):
                try:
                    trees.append(ast.parse(chunk, filename=cell.filename))
                except SyntaxError as exc:
                    names = tuple(DEF_NAME.findall(chunk))
                    if names:
                        unparsed.append(Unparsed(names, def_header(chunk), exc,
                                                 cell))
                    elif cell.number not in skipped:
                        skipped.append(cell.number)
        for tree in trees:
            statements += [Statement(node, cell) for node in tree.body]
    return Parsed(tuple(statements), tuple(skipped), tuple(unparsed))


__all__ = ["DEF_NAME", "Parsed", "Statement", "Unparsed", "chunks", "def_header", "parse_cells"]
