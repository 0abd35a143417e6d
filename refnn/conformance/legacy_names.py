"""What older NumPy and Python code looks like: the names NumPy removed, Python 2's methods, and the
names a course notebook's import cell provides.

Data for :mod:`refnn.conformance.causes`, which reads a failure's cause from them (a
portability problem with its one-line fix, or a missing import cell rather than a bug).
"""

from __future__ import annotations

from typing import Final

REMOVED_NUMPY: Final[dict[str, tuple[str, str]]] = {
    "int": ("1.24", "int (or np.int64)"),
    "float": ("1.24", "float (or np.float64)"),
    "bool": ("1.24", "bool (or np.bool_)"),
    "object": ("1.24", "object"),
    "complex": ("1.24", "complex (or np.complex128)"),
    "str": ("1.24", "str"),
    "long": ("1.24", "int"),
    "unicode": ("1.24", "str"),
    "asscalar": ("1.23", "a.item()"),
    "float_": ("2.0", "np.float64"),
    "complex_": ("2.0", "np.complex128"),
    "int0": ("2.0", "np.intp"),
    "NaN": ("2.0", "np.nan"),
    "NAN": ("2.0", "np.nan"),
    "Inf": ("2.0", "np.inf"),
    "Infinity": ("2.0", "np.inf"),
    "infty": ("2.0", "np.inf"),
    "PINF": ("2.0", "np.inf"),
    "NINF": ("2.0", "-np.inf"),
    "product": ("2.0", "np.prod"),
    "cumproduct": ("2.0", "np.cumprod"),
    "sometrue": ("2.0", "np.any"),
    "alltrue": ("2.0", "np.all"),
    "round_": ("2.0", "np.round"),
    "string_": ("2.0", "np.bytes_"),
    "unicode_": ("2.0", "np.str_"),
    "mat": ("2.0", "np.asmatrix"),
    "msort": ("2.0", "np.sort(a, axis=0)"),
    "cast": ("2.0", "np.asarray(x, dtype=...)"),
    "trapz": ("2.0", "np.trapezoid"),
}
"""NumPy names removed since the course's NumPy 1.18: ``alias: (removed in, use instead)``."""

PYTHON2_NAMES: Final[dict[str, str]] = {
    "xrange": "range",
    "unicode": "str",
    "basestring": "str",
    "long": "int",
    "raw_input": "input",
    "unichr": "chr",
    "reduce": "functools.reduce (from functools import reduce)",
    "izip": "zip",
    "imap": "map",
    "file": "open",
    "execfile": "exec(open(path).read())",
    "cmp": "(a > b) - (a < b)",
}
"""Python 2 builtins that Python 3 does not have, and what to write instead."""

PYTHON2_METHODS: Final[dict[str, str]] = {
    "iteritems": ".items()", "itervalues": ".values()", "iterkeys": ".keys()",
    "has_key": "key in d", "next": "next(it)",
}

MODULE_ALIASES: Final[dict[str, str]] = {
    "np": "import numpy as np", "plt": "import matplotlib.pyplot as plt", "math": "import math",
    "sklearn": "import sklearn", "scipy": "import scipy", "copy": "import copy",
}
"""Names a notebook's import cell provides (a missing one is the environment's, not a bug)."""
