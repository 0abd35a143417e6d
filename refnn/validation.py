"""Argument checks, in one place, so every public function words its errors the same way.

Every message has the shape ``"<function>: argument '<name>' must be <expected>, got <actual>"``,
optionally followed by ``"; <hint>"`` where an explanation helps. ``<function>`` is the public
function the user called (each public function checks its own arguments, under its own name and
its own argument names, and then calls unchecked code: :mod:`refnn.kernel` never validates).
Type problems raise :class:`TypeError`; wrong shapes, ranges or values raise :class:`ValueError`.
Nothing here modifies its input: conversions return new arrays.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from refnn.types import BoolArray, FloatArray, Params


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def message(func: str, name: str, expected: str, got: str, hint: str | None = None) -> str:
    """``"<func>: argument '<name>' must be <expected>, got <got>"`` (``"; <hint>"`` appended)."""
    text = f"{func}: argument '{name}' must be {expected}, got {got}"
    return text if hint is None else f"{text}; {hint}"


def fail_type(func: str, name: str, expected: str, got: object, hint: str | None = None
              ) -> TypeError:
    """Build the :class:`TypeError` for argument ``name`` of ``func`` (``got``: the value)."""
    return TypeError(message(func, name, expected, _describe(got), hint))


def fail_value(func: str, name: str, expected: str, got: str, hint: str | None = None
               ) -> ValueError:
    """Build the :class:`ValueError` for argument ``name`` of ``func`` (``got``: its description)."""
    return ValueError(message(func, name, expected, got, hint))


def float_array(
    func: str,
    name: str,
    value: object,
    *,
    ndim: int = 2,
    shape: tuple[int | None, ...] | None = None,
    shape_text: str | None = None,
    finite: bool = True,
) -> FloatArray:
    """Return ``value`` as a float64 array, checking its type, rank, shape and finiteness.

    ``shape`` may hold ``None`` for a free dimension; ``shape_text`` is how the expected shape is
    named in the message (e.g. ``"(n_x, m)"``). Integer and boolean arrays are converted; complex,
    object and string arrays are refused. The caller's array is never modified (a float64 input is
    returned as is, and refnn never writes into it).
    """
    value = as_plain_array(func, name, value)
    if value.dtype.kind not in "fiub":
        raise fail_type(func, name, "a real-valued numeric array", value)
    if value.dtype.kind == "f" and value.dtype != np.float64:
        arr = value.astype(np.float64)
    elif value.dtype.kind in "iub":
        arr = value.astype(np.float64)
    else:
        arr = value
    expected_shape = shape_text or (str(shape) if shape is not None else f"{ndim}-D")
    if arr.ndim != ndim:
        raise fail_value(
            func, name, f"a {ndim}-D array of shape {expected_shape}", f"shape {arr.shape}"
        )
    if shape is not None:
        for want, have in zip(shape, arr.shape):
            if want is not None and want != have:
                filled = _fill(shape, arr.shape)
                spelled = expected_shape if expected_shape == filled else f"{expected_shape} = {filled}"
                raise fail_value(func, name, f"of shape {spelled}", f"shape {arr.shape}")
    if finite and not _all_finite(arr):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise fail_value(func, name, "finite", f"{bad} non-finite value(s) (nan or inf)")
    return arr


MAX_ENTRIES = 2**30
"""The most float64 entries (8 GiB) one argument may ask refnn to allocate: larger sizes are refused
with a message naming the argument before anything is allocated (:func:`entry_budget`)."""


def as_plain_array(func: str, name: str, value: object) -> np.ndarray:
    """``value`` as a plain :class:`numpy.ndarray` (never a subclass such as ``np.matrix``, whose
    ``*`` is a matrix product); nested lists and tuples are converted, ragged ones refused."""
    if isinstance(value, np.ndarray):
        return value if type(value) is np.ndarray else np.asarray(value)
    if isinstance(value, (list, tuple)):
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):
            raise fail_value(func, name, "a rectangular array (nested lists of equal lengths)",
                             "a ragged nested sequence") from None
        if arr.dtype == object:
            raise fail_value(func, name, "a rectangular array (nested lists of equal lengths)",
                             "a ragged nested sequence or non-numeric entries")
        return arr
    raise fail_type(func, name, "a numpy array", value)


def real_array(func: str, name: str, value: object) -> FloatArray:
    """Any-shape real array (or a real scalar) as float64, non-finite values allowed: for
    elementwise functions such as ``relu`` and ``sigmoid``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        arr = np.asarray(value, dtype=np.float64)
    else:
        arr = as_plain_array(func, name, value)
    if arr.dtype.kind not in "fiub":
        raise fail_type(func, name, "a real-valued numeric array", arr)
    return arr if arr.dtype == np.float64 else arr.astype(np.float64)


def entry_budget(func: str, name: str, entries: int, what: str = "") -> None:
    """Refuse a size that would allocate more than :data:`MAX_ENTRIES` float64 entries."""
    if entries > MAX_ENTRIES:
        raise fail_value(
            func, name, f"sizes needing at most 2**30 float64 entries (8 GiB){what}",
            f"sizes needing {entries} entries",
        )


def _all_finite(arr: FloatArray) -> bool:
    return bool(np.isfinite(arr).all())


def _fill(shape: tuple[int | None, ...], actual: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(a if w is None else w) for w, a in zip(shape, actual)) + ")"


def labels(func: str, name: str, value: object, m: int | None = None) -> FloatArray:
    """Check a label row ``Y: (1, m)`` with entries in {0, 1}; return it as float64."""
    arr = float_array(
        func, name, value, ndim=2, shape=(1, m), shape_text="(1, m)" if m is None else f"(1, {m})"
    )
    if arr.shape[1] == 0:
        raise fail_value(func, name, "labels of at least one example (m >= 1)", f"shape {arr.shape}")
    if not np.all((arr == 0.0) | (arr == 1.0)):
        odd = arr[(arr != 0.0) & (arr != 1.0)]
        raise fail_value(func, name, "labels in {0, 1}", f"value {float(odd.flat[0])!r}")
    return arr


def positive_int(func: str, name: str, value: object) -> int:
    """Check a positive integer (``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral,)):
        raise fail_type(func, name, "a positive int", value)
    if int(value) <= 0:
        raise fail_value(func, name, "a positive int", repr(value))
    return int(value)


def non_negative_int(func: str, name: str, value: object) -> int:
    """Check an integer ``>= 0`` (``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise fail_type(func, name, "an int >= 0", value)
    if int(value) < 0:
        raise fail_value(func, name, "an int >= 0", repr(value))
    return int(value)


def real(
    func: str,
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    range_text: str | None = None,
) -> float:
    """Check a finite real scalar in an interval; return it as ``float``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail_type(func, name, "a real number", value)
    x = float(value)
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    text = range_text or (
        f"in {lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    )
    ok = np.isfinite(x)
    if low is not None:
        ok = ok and (x > low if low_open else x >= low)
    if high is not None:
        ok = ok and (x < high if high_open else x <= high)
    if not ok:
        raise fail_value(func, name, text, repr(value))
    return x


def lambd(func: str, value: object) -> float:
    """Check the L2 strength ``λ >= 0``."""
    return real(func, "lambd", value, low=0.0, range_text=">= 0 (the L2 strength λ)")


def learning_rate(func: str, value: object) -> float:
    """Check the learning rate ``α > 0``."""
    return real(func, "learning_rate", value, low=0.0, low_open=True, range_text="> 0")


def layer_dims(func: str, value: object, name: str = "layer_dims") -> tuple[int, ...]:
    """Check ``[n_x, n1, …, n_L]``: at least two positive ints."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise fail_type(func, name, "a sequence of positive ints [n_x, n1, ..., nL]", value)
    dims = list(value)
    if len(dims) < 2:
        raise fail_value(
            func, name, "at least two sizes [n_x, ..., nL]", f"{len(dims)} size(s) {dims!r}"
        )
    out = []
    for i, d in enumerate(dims):
        if isinstance(d, bool) or not isinstance(d, numbers.Integral):
            raise fail_type(func, f"{name}[{i}]", "a positive int", d)
        if int(d) <= 0:
            raise fail_value(func, f"{name}[{i}]", "a positive int", repr(d))
        out.append(int(d))
    entry_budget(func, name, sum(a * b + b for a, b in zip(out, out[1:])),
                 " for the weights and biases")
    return tuple(out)


def keep_probs(func: str, value: object, n_layers: int) -> tuple[float, ...]:
    """Expand ``keep_prob`` (a scalar, or one value per hidden layer) to one value per layer ``1..L``.

    The output layer's entry is always ``1.0``: dropout never touches the output layer.
    """
    n_hidden = n_layers - 1
    if isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, (str, bytes)):
        values = list(value)
        if len(values) != n_hidden:
            raise fail_value(
                func, "keep_prob", f"a scalar or {n_hidden} value(s), one per hidden layer",
                f"{len(values)} value(s)",
            )
    else:
        values = [value] * n_hidden
    return tuple(keep_prob(func, v) for v in values) + (1.0,)


def keep_prob(func: str, value: object, name: str = "keep_prob") -> float:
    """Check one dropout keep probability in ``(0, 1]``."""
    return real(func, name, value, low=0.0, high=1.0, low_open=True, range_text="in (0, 1]")


def generator(func: str, value: object, name: str = "rng", hint: str | None = None
              ) -> np.random.Generator:
    """Check an explicit :class:`numpy.random.Generator` (no silent fallback to a global stream)."""
    if not isinstance(value, np.random.Generator):
        raise fail_type(
            func, name, "a numpy.random.Generator (e.g. numpy.random.default_rng(0))", value, hint
        )
    return value


def params(func: str, value: object, name: str = "parameters") -> tuple[Params, tuple[int, ...]]:
    """Check a parameter dict ``{"W1", "b1", …, "WL", "bL"}`` and infer ``layer_dims`` from it.

    Shapes must chain: ``W[l]: (n[l], n[l-1])``, ``b[l]: (n[l], 1)``. Returns float64 arrays (new
    objects only where a conversion was needed) and the inferred ``(n_x, n1, …, nL)``.
    """
    if not isinstance(value, Mapping):
        raise fail_type(func, name, "a dict with keys W1, b1, ..., WL, bL", value)
    n_layers = 0
    while f"W{n_layers + 1}" in value:
        n_layers += 1
    if n_layers == 0:
        raise fail_value(func, name, "a dict with keys W1, b1, ..., WL, bL", f"keys {sorted(value)}")
    expected = {f"{kind}{l}" for l in range(1, n_layers + 1) for kind in "Wb"}
    extra = sorted(str(k) for k in value if k not in expected)
    if extra:
        raise fail_value(
            func, name, "a dict with exactly the keys "
            + ", ".join(f"W{l}, b{l}" for l in range(1, n_layers + 1))
            + f" (an {n_layers}-layer network: W1..W{n_layers} numbered without a gap)",
            f"extra key(s) {extra}",
            "a gap in the numbering (e.g. W1, W3 without W2) is refused, not skipped",
        )
    out: Params = {}
    dims: list[int] = []
    for l in range(1, n_layers + 1):
        if f"b{l}" not in value:
            raise fail_value(func, name, f"a dict with a key 'b{l}' beside 'W{l}'",
                             f"keys {sorted(value)}")
        W = float_array(func, f"{name}['W{l}']", value[f"W{l}"], ndim=2,
                        shape_text=f"(n[{l}], n[{l - 1}])")
        if l == 1:
            dims.append(W.shape[1])
        elif W.shape[1] != dims[-1]:
            raise fail_value(
                func, f"{name}['W{l}']",
                f"of shape (n[{l}], n[{l - 1}]) = ({W.shape[0]}, {dims[-1]}) to follow W{l - 1}",
                f"shape {W.shape}",
            )
        dims.append(W.shape[0])
        b = float_array(func, f"{name}['b{l}']", value[f"b{l}"], ndim=2,
                        shape=(W.shape[0], 1), shape_text=f"(n[{l}], 1)")
        out[f"W{l}"] = W
        out[f"b{l}"] = b
    return out, tuple(dims)


def no_extra_layers(func: str, name: str, grads: Mapping[object, object], n_layers: int) -> None:
    """Refuse gradient keys ``dW{l}``/``db{l}`` of a layer the parameters do not have (a gradient
    dict of another network); other keys (``dZ1``, ``dA1``, ...) are allowed and ignored."""
    extra = sorted(str(k) for k in grads if isinstance(k, str) and k[:2] in ("dW", "db")
                   and k[2:].isdigit() and not 1 <= int(k[2:]) <= n_layers)
    if extra:
        raise fail_value(func, name, f"gradients of the {n_layers} layer(s) of the parameters "
                         f"(dW1, db1, ..., dW{n_layers}, db{n_layers})", f"extra key(s) {extra}")


def mask(func: str, name: str, value: object, shape: tuple[int, ...]) -> BoolArray:
    """Check a dropout mask of the given shape: boolean, or numeric with entries in {0, 1}."""
    if not isinstance(value, np.ndarray):
        raise fail_type(func, name, f"a boolean numpy array of shape {shape}", value)
    value = np.asarray(value)  # a subclass (np.matrix) would make '*' a matrix product
    if value.shape != shape:
        raise fail_value(func, name, f"of shape {shape}", f"shape {value.shape}")
    if value.dtype == np.bool_:
        return value
    if value.dtype.kind not in "iuf" or not np.all((value == 0) | (value == 1)):
        raise fail_value(func, name, "a mask with entries in {0, 1}",
                         f"an array of dtype {value.dtype} with other values")
    return value.astype(np.bool_)
