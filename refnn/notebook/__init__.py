"""A learner's Jupyter notebook (``.ipynb``), or a script exported from one, as a conformance
target — read without running its top-level code.

:func:`load_notebook` turns the file into a module. What is taken from its code cells, in cell
order (:mod:`refnn.notebook.loader`):

* top-level ``import`` and ``from … import`` statements,
* top-level function definitions (``def``/``async def``, with their decorators), and
* top-level assignments whose value is safe to evaluate: literals, lambdas, names already taken,
  arithmetic on them, a few pure constructors (``np.array([...])``) —
  :mod:`refnn.notebook.top_level`;

and nothing else — no calls, no loops, no classes, no test cells. The last binding of a name
wins, as when the notebook is run top to bottom. IPython syntax (``%magic``, ``!shell`` lines,
``%%cell`` magics, nbconvert's ``get_ipython()`` calls) is dropped first. A name that only the
code not run assigns is remembered (:class:`UnrunName`): a function that uses it is reported
with the name and the cell (:func:`unrun_name_problem`), not with a bare ``NameError``. With
``run_top_level=True`` every statement runs (the user asked for it).

The file is read by :mod:`refnn.notebook.cells`: a notebook with :mod:`nbformat` (validated,
nbformat 3 upgraded to 4, a clear :class:`ValueError` naming the file when it is not a readable
notebook); a ``.py`` script split at nbconvert's ``# In[ ]:`` or the percent format's ``# %%``
markers (one cell without them), its line numbers kept.

The course's helper modules come from :mod:`refnn.course`, whatever lies beside the notebook:
while the notebook's statements run, ``init_utils``, ``reg_utils``, ``gc_utils``, ``testCases`` and
``public_tests`` in :data:`sys.modules` are aliases of :data:`HELPER_MODULES`, and restored after
(:mod:`refnn.notebook.standins`).

An import that fails (``matplotlib`` not installed, a name refnn's helpers lack such as
``plot_decision_boundary``) does not stop the loading: the name is bound to a stand-in that raises
:class:`ModuleNotFoundError` when used, so only the functions that need it fail — as environment
errors, not broken rules. Which imports failed is kept in :attr:`NotebookInfo.missing`.

**One broken cell does not void the notebook.** A code cell that does not parse is split into its
top-level statements and each is parsed alone (:mod:`refnn.notebook.statements`), so the cell's
other imports and functions are still taken. A function whose own code does not parse (a Python 2
``print x``; an unfinished ``W1 =``), or whose definition raises when executed (a default
argument ``dtype=np.int`` on NumPy ≥ 1.24), is replaced by a stand-in with the same signature that
raises the cause when called — :class:`~refnn.conformance.outcome.PortabilityProblem` or
:class:`~refnn.conformance.outcome.UnfinishedCode`, naming the notebook, the code cell and the
line — so the suite reports that function, and judges every other one. They are listed in
:attr:`NotebookInfo.broken`. Statements that define nothing and do not parse are skipped
(:attr:`NotebookInfo.skipped_cells`).

What raises: only a file that is not a readable notebook (:class:`FileNotFoundError` or
:class:`ValueError`), and with ``run_top_level`` whatever the top-level code raises.

Example:
    >>> import json, tempfile, os
    >>> def cell(source):
    ...     return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
    ...             "source": source}
    >>> cells = [cell(["import numpy as np\\n", "%matplotlib inline"]),
    ...          cell("def f(x):\\n    return 1\\nprint(f(2))"),
    ...          cell("power = 2\\ndef f(x):\\n    return np.power(x, power)")]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = os.path.join(d, "nb.ipynb")
    ...     with open(path, "w") as fh:
    ...         json.dump({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": cells}, fh)
    ...     module = load_notebook(path)
    >>> int(module.f(3)), notebook_info(module).functions, notebook_info(module).constants
    (9, ('f',), ('power',))
"""

from __future__ import annotations

from refnn.notebook.cells import (
    CodeCell,
    NotebookReadError,
    code_cells,
    read_cells,
    script_markers,
    strip_ipython,
)
from refnn.notebook.loader import (
    INFO_ATTRIBUTE,
    BrokenDefinition,
    NotebookInfo,
    UnrunName,
    load_notebook,
    notebook_info,
    unrun_name_problem,
)
from refnn.notebook.standins import HELPER_MODULES, course_helpers

__all__ = [
    "HELPER_MODULES",
    "INFO_ATTRIBUTE",
    "BrokenDefinition",
    "CodeCell",
    "NotebookReadError",
    "NotebookInfo",
    "UnrunName",
    "code_cells",
    "course_helpers",
    "load_notebook",
    "notebook_info",
    "read_cells",
    "script_markers",
    "strip_ipython",
    "unrun_name_problem",
]
