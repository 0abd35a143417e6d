"""The code cells of a target file: a Jupyter notebook read with :mod:`nbformat`, or a ``.py``
script split at the cell markers a notebook export leaves.

* ``.ipynb``: read with ``nbformat`` and upgraded to nbformat 4 (a version-3 notebook's
  worksheets included). A file that is not UTF-8 JSON, has no supported ``nbformat`` version,
  or whose cells cannot be read (a code cell without a text ``source``) is refused with a
  :class:`ValueError` naming the file and the place. A schema violation Jupyter itself tolerates
  (a missing cell ``id``, an unknown metadata key) does not stop the reading: nbformat's message is
  kept in :attr:`Cells.schema_problem`.
* ``.py``: split at nbconvert's ``# In[ ]:`` / ``# In[3]:`` markers or at percent-format cell
  markers (``# %%``, ``#%%``, ``# %% [markdown]`` starts a markdown cell, which is not code); a
  script without markers is one cell. Each cell keeps its lines' numbers in the file
  (:attr:`CodeCell.first_line`), so tracebacks point into the script itself.

IPython-only lines are blanked by :func:`strip_ipython` (line numbers kept): ``%magic``,
``!shell``, ``?help``, a ``%%cell`` magic's whole cell, and the ``get_ipython()…`` calls nbconvert
writes for them.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOTEBOOK_SUFFIX = ".ipynb"

_NBCONVERT_MARK = re.compile(r"^# In\[[ \d]*\]:\s*$")
_PERCENT_MARK = re.compile(r"^#\s?%%(?P<rest>.*)$")
_GET_IPYTHON = re.compile(r"^\s*get_ipython\(\)")


@dataclass(frozen=True, slots=True)
class CodeCell:
    """One code cell.

    Attributes:
        number: its 1-based number among the file's code cells.
        source: its code.
        filename: the name its code is compiled under, which tracebacks show:
            ``"nb.ipynb [code cell 3]"`` for a notebook, the script's own path for a ``.py``.
        first_line: the line of ``filename`` its first line is (1 for a notebook's cell).
        on_disk: whether ``filename`` is a file holding the code (a script), so tracebacks
            read its lines from there.
    """

    number: int
    source: str
    filename: str = ""
    first_line: int = 1
    on_disk: bool = False

    def padded(self, text: str | None = None) -> str:
        """``text`` (default: the source) preceded by blank lines, so that its line numbers are
        those of :attr:`filename`."""
        return "\n" * (self.first_line - 1) + (self.source if text is None else text)

    def line(self, padded_line: int) -> int:
        """The line within the cell of line ``padded_line`` of :meth:`padded` text."""
        return padded_line - self.first_line + 1


@dataclass(frozen=True, slots=True)
class Cells:
    """The code cells of a file, and what reading it noticed.

    Attributes:
        path: the file.
        cells: its code cells, in order.
        script: whether it is a ``.py`` script (else a notebook).
        markers: for a script, the cell markers it was split at (``"nbconvert"``, ``"percent"``
            or ``""``: one cell).
        schema_problem: nbformat's validation message for a notebook that breaks its schema in a
            way that does not prevent reading it (empty when valid).
    """

    path: Path
    cells: tuple[CodeCell, ...]
    script: bool = False
    markers: str = ""
    schema_problem: str = ""


def strip_ipython(source: str) -> str:
    """``source`` with IPython-only lines blanked (line numbers kept): ``%magic``, ``!shell``,
    ``?help``, the ``get_ipython().run_line_magic(…)`` statements nbconvert writes for magics;
    a cell magic (first line ``%%…``) blanks the whole cell."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n" * len(lines)
    kept = ["" if ln.lstrip().startswith(("%", "!", "?")) or _GET_IPYTHON.match(ln) else ln
            for ln in lines]
    return "\n".join(kept) + ("\n" if source.endswith("\n") else "")


def read_cells(path: str | Path) -> Cells:
    """The code cells of the notebook or script at ``path`` (see the module's docstring).

    Raises:
        FileNotFoundError: no file at ``path``.
        NotebookReadError: (a :class:`ValueError`) a notebook that cannot be read (not JSON, no supported nbformat version,
            unreadable cells), naming the file and the problem.
    """
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no notebook or script at '{file}'")
    if file.suffix == NOTEBOOK_SUFFIX:
        return _notebook_cells(file)
    return _script_cells(file)


def code_cells(path: str | Path) -> list[CodeCell]:
    """The code cells of the notebook (or script) at ``path``, in order (:func:`read_cells`).

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the file is not a readable Jupyter notebook.
    """
    return list(read_cells(path).cells)


class NotebookReadError(ValueError):
    """A file that is not a Jupyter notebook refnn can read (the message names it and why)."""


def _refuse(file: Path, why: str) -> NotebookReadError:
    return NotebookReadError(f"'{file}' is not a Jupyter notebook refnn can read: {why}")


def _notebook_cells(file: Path) -> Cells:
    import nbformat  # imported here: loading a module target never pays for it
    from nbformat.validator import ValidationError

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(file, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(file, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
                      ) from None
    if not isinstance(doc, dict):
        raise _refuse(file, f"its JSON is a {type(doc).__name__}, not an object")
    version = doc.get("nbformat")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse(file, "it has no 'nbformat' version number")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a missing cell id: nbformat fills it in
            reads: Any = nbformat.reader.reads  # nbformat has no type hints
            convert: Any = nbformat.convert
            nb = convert(reads(text), 4)
    except nbformat.NBFormatError as exc:
        raise _refuse(file, f"{exc} (refnn reads nbformat 1 to 4)") from None
    except ValidationError as exc:
        raise _refuse(file, _first_line(exc.message)) from None
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise _refuse(file, f"its structure is invalid ({type(exc).__name__}: {exc})") from None
    problem: ValidationError | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except ValidationError as exc:
        problem = exc
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise _refuse(file, "it has no list of 'cells'")
    out: list[CodeCell] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise _refuse(file, f"cell {index} (the code cell {len(out) + 1}) has a 'source' of "
                          f"type {type(source).__name__}, not text")
        number = len(out) + 1
        out.append(CodeCell(number, source, f"{file} [code cell {number}]"))
    shown = ""
    if problem is not None:
        place = "/".join(str(p) for p in problem.absolute_path)
        shown = _first_line(problem.message) + (f" (at {place})" if place else "")
    return Cells(file, tuple(out), schema_problem=shown)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


def script_markers(text: str) -> str:
    """The cell markers of a script: ``"nbconvert"`` (``# In[ ]:``), ``"percent"`` (``# %%``) or
    ``""`` (none)."""
    lines = text.splitlines()
    if any(_NBCONVERT_MARK.match(ln) for ln in lines):
        return "nbconvert"
    if any(_PERCENT_MARK.match(ln) for ln in lines):
        return "percent"
    return ""


def _script_cells(file: Path) -> Cells:
    text = file.read_text(encoding="utf-8", errors="replace")
    markers = script_markers(text)
    lines = text.splitlines(True)
    name = str(file)
    if not markers:
        return Cells(file, (CodeCell(1, text, name, 1, True),), script=True)
    out: list[CodeCell] = []
    start, code = 0, True

    def close(end: int) -> None:
        body = "".join(lines[start:end])
        if code and any(ln.strip() and not ln.lstrip().startswith("#") for ln in lines[start:end]):
            out.append(CodeCell(len(out) + 1, body, name, start + 1, True))

    for i, line in enumerate(lines):
        if markers == "nbconvert":
            is_mark, is_code = bool(_NBCONVERT_MARK.match(line)), True
        else:
            m = _PERCENT_MARK.match(line)
            is_mark = m is not None
            is_code = m is None or not re.search(r"\[(markdown|md|raw)\]", m.group("rest"))
        if is_mark:
            close(i)
            start, code = i + 1, is_code
    close(len(lines))
    return Cells(file, tuple(out), script=True, markers=markers)


__all__ = ["CodeCell", "Cells", "NOTEBOOK_SUFFIX", "NotebookReadError", "code_cells", "read_cells", "script_markers",
           "strip_ipython"]
