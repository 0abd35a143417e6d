"""Weight initialization: one variance-scaling rule, and the lecture's schemes as named presets.

Every scheme draws ``W[l]: (n[l], n[l-1])`` with i.i.d. entries of mean 0 and variance

    Var(W[l]_ij) = scale / fan,   fan = 1 (``"constant"``), n[l-1] (``"fan_in"``) or (n[l-1] + n[l]) / 2 (``"fan_avg"``),

and sets every ``b[l]: (n[l], 1)`` to zero (the lecture: only ``W`` needs random values to break symmetry).

=========  ==================  ====================================  ===========================
preset     course name         Var(W[l]_ij)                          JAX / Keras, PyTorch
=========  ==================  ====================================  ===========================
zeros      ..._zeros           0 (symmetry is never broken)          ``zeros``, ``nn.init.zeros_``
random     ..._random          scale², scale = 10 by default         ``normal(stddev=10)``
he         ..._he              2 / n[l-1]                            ``he_normal`` (truncated!), ``kaiming_normal_``
xavier     (notes: Xavier)     1 / n[l-1]                            ``lecun_normal`` (truncated!)
glorot     —                   2 / (n[l-1] + n[l])                   ``glorot_normal`` (truncated!), ``xavier_normal_``
=========  ==================  ====================================  ===========================

The course's "Xavier" √(1/n[l-1]) is what JAX/Keras call LeCun; their "xavier"/"glorot" averages the
two fans. JAX/Keras lay a dense kernel out as ``(fan_in, fan_out)`` — the transpose of the course's
``W[l]`` — and their ``*_normal`` presets draw from a *truncated* normal; refnn draws from a plain
normal (the course's ``np.random.randn``) or, as a named option, a uniform with the same variance,
``U(-√(3·Var), √(3·Var))``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from refnn import validation
from refnn.types import Distribution as Distribution
from refnn.types import FanMode as FanMode
from refnn.types import FloatArray, InitScheme, Params
UnitDraw = Callable[[tuple[int, int]], FloatArray]
"""A function returning i.i.d. draws of mean 0 and variance 1 of the given shape."""

_SQRT3 = float(np.sqrt(3.0))


@dataclass(frozen=True, slots=True)
class VarianceScaling:
    """The rule ``Var(W[l]_ij) = scale / fan(n[l-1], n[l])``.

    Attributes:
        name: the preset's name.
        scale: the numerator (``2`` for He; ``scale²`` = 100 for the course's random ×10).
        mode: how the fan is computed: ``"constant"`` (fan = 1), ``"fan_in"`` (fan = n[l-1]) or
            ``"fan_avg"`` (fan = (n[l-1] + n[l]) / 2).
    """

    name: str
    scale: float
    mode: FanMode

    def __post_init__(self) -> None:
        func = "VarianceScaling"
        if not isinstance(self.name, str):
            raise validation.fail_type(func, "name", "a str", self.name)
        validation.real(func, "scale", self.scale, low=0.0,
                        range_text=">= 0 and finite (the variance numerator)")
        if not isinstance(self.mode, str) or self.mode not in ("constant", "fan_in", "fan_avg"):
            raise validation.fail_value(func, "mode", "one of 'constant', 'fan_in', 'fan_avg'",
                                        repr(self.mode))

    def variance(self, n_in: int, n_out: int) -> float:
        """``Var(W[l]_ij)`` for a layer with ``n_in = n[l-1]`` inputs and ``n_out = n[l]`` units."""
        if self.mode == "constant":
            return self.scale
        if self.mode == "fan_in":
            return self.scale / n_in
        return self.scale / ((n_in + n_out) / 2.0)

    def std(self, n_in: int, n_out: int) -> float:
        """The standard deviation ``√Var``; ``√(2./n)`` for He exactly as the course computes it."""
        if self.mode == "fan_in":
            return float(np.sqrt(self.scale / n_in))
        return float(np.sqrt(self.variance(n_in, n_out)))


PRESETS: dict[str, VarianceScaling] = {
    "zeros": VarianceScaling("zeros", 0.0, "constant"),
    "random": VarianceScaling("random", 100.0, "constant"),
    "he": VarianceScaling("he", 2.0, "fan_in"),
    "xavier": VarianceScaling("xavier", 1.0, "fan_in"),
    "glorot": VarianceScaling("glorot", 1.0, "fan_avg"),
}
"""The named schemes. ``random`` has std 10 (the course's ×10); see :func:`initialize` for ``scale``."""


def resolve_scheme(func: str, scheme: object, scale: object = None) -> VarianceScaling:
    """Turn a preset name (or a :class:`VarianceScaling`) and an optional ``scale`` into a rule.

    ``scale`` is the standard deviation of the ``"random"`` preset (default 10, the course's ×10) and
    is refused for the other presets, whose variance is fixed by the lecture.
    """
    if isinstance(scheme, VarianceScaling):
        rule = scheme
    elif isinstance(scheme, str):
        if scheme not in PRESETS:
            raise validation.fail_value(
                func, "scheme", f"one of {sorted(PRESETS)} or a VarianceScaling", repr(scheme)
            )
        rule = PRESETS[scheme]
    else:
        raise validation.fail_type(func, "scheme", "a preset name or a VarianceScaling", scheme)
    if scale is not None:
        if rule.name != "random":
            raise validation.fail_value(
                func, "scale", "None unless scheme='random' (the std of the random preset)",
                repr(scale),
            )
        std = validation.real(func, "scale", scale, low=0.0, range_text=">= 0")
        rule = VarianceScaling("random", std * std, "constant")
    return rule


def unit_draws(rng: np.random.Generator, distribution: Distribution) -> UnitDraw:
    """Mean-0, variance-1 draws from ``rng``: ``standard_normal``, or ``U(-√3, √3)``."""
    validation.generator("unit_draws", rng)
    if distribution not in ("normal", "uniform"):
        raise validation.fail_value("unit_draws", "distribution", "'normal' or 'uniform'",
                                    repr(distribution))
    if distribution == "normal":
        return lambda shape: rng.standard_normal(shape)
    return lambda shape: rng.uniform(-_SQRT3, _SQRT3, shape)


def initialize_from_draws(
    layer_dims: tuple[int, ...], rule: VarianceScaling, draw: UnitDraw
) -> Params:
    """The general mechanism: ``W[l] = draw((n[l], n[l-1])) · std(l)`` for ``l = 1..L``; ``b[l] = 0``.

    Layers are drawn in order ``W1, W2, …`` (biases consume no draws), so a ``draw`` backed by the
    legacy ``RandomState`` stream reproduces the course's ``randn(n[l], n[l-1]) * std`` bit for bit.
    The zeros preset consumes no draws at all.
    """
    func = "initialize_from_draws"
    layer_dims = validation.layer_dims(func, layer_dims)
    if not isinstance(rule, VarianceScaling):
        raise validation.fail_type(func, "rule", "a VarianceScaling", rule)
    if not callable(draw):
        raise validation.fail_type(func, "draw", "a function shape -> unit-variance draws", draw)
    params: Params = {}
    for l in range(1, len(layer_dims)):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        if rule.scale == 0.0:
            params[f"W{l}"] = np.zeros((n_out, n_in))
        else:
            unit = draw((n_out, n_in))
            if not isinstance(unit, np.ndarray) or unit.shape != (n_out, n_in):
                raise validation.fail_value(
                    func, "draw", f"a function returning an array of the shape asked, "
                    f"({n_out}, {n_in})", validation._describe(unit))
            params[f"W{l}"] = np.asarray(unit) * rule.std(n_in, n_out)
        params[f"b{l}"] = np.zeros((n_out, 1))
    return params


def initialize(
    layer_dims: Sequence[int],
    scheme: InitScheme | VarianceScaling = "he",
    *,
    rng: np.random.Generator,
    distribution: Distribution = "normal",
    scale: float | None = None,
) -> Params:
    """Initialize an L-layer network's parameters with a named scheme.

    Args:
        layer_dims: ``[n_x, n[1], …, n[L]]``, positive ints (at least two).
        scheme: ``"zeros"``, ``"random"``, ``"he"``, ``"xavier"``, ``"glorot"`` or a
            :class:`VarianceScaling`.
        rng: the generator every draw comes from (refnn never uses numpy's global stream).
        distribution: ``"normal"`` (default, the course's ``randn``) or ``"uniform"`` with the same
            variance.
        scale: the standard deviation of ``"random"`` (default 10, as in the course).

    Returns:
        ``{"W1": (n[1], n[0]), "b1": (n[1], 1), …}`` with zero biases.

    Example:
        >>> import numpy as np
        >>> p = initialize([1000, 500, 1], "he", rng=np.random.default_rng(0))
        >>> p["W1"].shape, p["b1"].shape, round(float(p["W1"].var() * 1000), 1)
        ((500, 1000), (500, 1), 2.0)
    """
    func = "initialize"
    dims = validation.layer_dims(func, layer_dims)
    rule = resolve_scheme(func, scheme, scale)
    gen = validation.generator(func, rng)
    if distribution not in ("normal", "uniform"):
        raise validation.fail_value(func, "distribution", "'normal' or 'uniform'", repr(distribution))
    return initialize_from_draws(dims, rule, unit_draws(gen, distribution))
