"""The precision policy of :mod:`refnn.gradcheck`: float64 only, refused loudly otherwise.

Why: a two-sided difference divides the rounding error of ``J`` by ``2ε``. In float32 the unit
roundoff is ``u = 2⁻²⁴ ≈ 6e-8``, so at the course's ``ε = 1e-7`` the noise in every numerical
derivative is about ``u·|J| / (2ε) ≈ 0.3·|J|`` — as large as the derivative itself; a *correct*
gradient then scores a relative difference of about 0.4, far past the course's "worry" mark
(``1e-3``). A float32 check can only be made meaningful with ``ε ≈ u^{1/3}·scale ≈ 4e-3`` and
thresholds near ``1e-3``, where it can no longer tell a ``1e-4`` bug from noise — so refnn does not
offer one. In float64 (``u ≈ 1.1e-16``) the same noise is about ``1e-9·|J|``.

The rule, applied to every argument and result of a check:

* ``theta``, ``grad``, the parameters and the gradients must be float64 arrays (ints and bools
  are converted, they are exact); float16/float32 (complex64 for complex-step) raise
  :class:`TypeError` naming the argument;
* the cost function must return a float64 value (a Python ``float`` or ``int``, ``numpy.float64``
  or a size-1 float64 array); a float32 result raises :class:`TypeError`; ``nan``/``inf`` raise
  :class:`ValueError` naming the evaluation point.
"""

from __future__ import annotations

import numbers

import numpy as np

from refnn import validation
from refnn.types import FloatArray

UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2
"""``u = 2⁻⁵³``, the relative rounding error of one float64 operation."""

_WHY = (
    "float64 (gradient checks are meaningless in lower precision: in float32 a correct gradient "
    "scores ~0.4 at epsilon=1e-7; cast with .astype(numpy.float64))"
)


def refuse_low_precision(func: str, name: str, value: object) -> None:
    """Raise :class:`TypeError` if ``value`` is a float or complex array/scalar below double precision."""
    dtype: np.dtype[np.generic] | None = None
    if isinstance(value, (np.ndarray, np.generic)):
        dtype = value.dtype
    if dtype is None:
        return
    if (dtype.kind == "f" and dtype.itemsize < 8) or (dtype.kind == "c" and dtype.itemsize < 16):
        raise validation.fail_type(func, name, _WHY, value)


def float64_array(func: str, name: str, value: object, *, ndim: int | None = None) -> FloatArray:
    """``value`` as a finite float64 array (any shape unless ``ndim``), refusing float16/float32."""
    refuse_low_precision(func, name, value)
    if not isinstance(value, np.ndarray) and isinstance(value, (numbers.Real, np.generic)):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and ndim is None:
        return validation.float_array(func, name, value, ndim=value.ndim)
    return validation.float_array(func, name, value, ndim=1 if ndim is None else ndim)


def real_cost_value(func: str, value: object, where: str) -> float:
    """Check what a cost function returned at ``where`` and return it as a ``float``."""
    refuse_low_precision(func, f"cost (its value at {where})", value)
    if isinstance(value, np.ndarray):
        if value.size != 1 or value.dtype.kind not in "fiub":
            raise validation.fail_type(
                func, f"cost (its value at {where})", "a real scalar (float64)", value
            )
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise validation.fail_type(func, f"cost (its value at {where})", "a real scalar (float64)",
                                   value)
    out = float(value)
    if not np.isfinite(out):
        raise validation.fail_value(func, f"cost (its value at {where})", "finite", repr(out))
    return out


def complex_cost_value(func: str, value: object, where: str) -> complex:
    """Check what a cost function returned for a complex argument (complex-step) at ``where``."""
    refuse_low_precision(func, f"cost (its value at {where})", value)
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise validation.fail_type(func, f"cost (its value at {where})", "a complex scalar",
                                       value)
        value = value.reshape(()).item()
    if not isinstance(value, (complex, np.complexfloating)):
        raise validation.fail_value(
            func, "cost",
            "a function that accepts complex input and returns a complex value (complex-step "
            "differentiation; float(), .real or a real-typed output array drop the imaginary part)",
            f"{value!r} (type {type(value).__name__}) at {where}",
        )
    out = complex(value)
    if not (np.isfinite(out.real) and np.isfinite(out.imag)):
        raise validation.fail_value(func, f"cost (its value at {where})", "finite", repr(out))
    return out
