"""Pictures of the course's experiments (``refnn experiment … --plot DIR``): PNG files, headless.

matplotlib is an optional extra (``pip install 'refnn[plot]'``); :func:`require_matplotlib` says so
in one line when it is missing. The figures are drawn on matplotlib's Agg canvas directly (no
``pyplot``, no window, no global backend switch), so they work on a machine without a display.

* :func:`cost_curve` — the cost of every iteration, with the course's printed costs as markers;
* :func:`decision_boundary` — the trained model's prediction ``1{A[L] > 0.5}`` over the plane, with
  the training points coloured by label (the course's ``plot_decision_boundary``).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from refnn.training import predict
from refnn.types import FloatArray

INSTALL_HINT = "pip install 'refnn[plot]'  (or: pip install matplotlib)"


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed."""


def require_matplotlib() -> None:
    """Raise :class:`PlotUnavailable` (one line, with the install command) without matplotlib."""
    try:
        found = importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        found = False
    if found:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            found = False
    if not found:
        raise PlotUnavailable(f"--plot needs matplotlib, which is not installed: {INSTALL_HINT}")


def cost_curve(path: Path, costs: FloatArray, title: str,
               course_costs: Mapping[int, float] | None = None) -> Path:
    """Write the cost of every iteration (``costs[i]`` at iteration ``i``) to ``path`` as a PNG.

    Non-finite costs (the random×10 run starts at ``inf``) are left out of the line; the course's
    printed costs, when given, are drawn as markers.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    it = np.arange(costs.size)
    finite = np.isfinite(costs)
    ax.plot(it[finite], costs[finite], color="tab:blue", linewidth=1.5, label="refnn")
    if course_costs:
        pts = sorted((i, c) for i, c in course_costs.items() if math.isfinite(c) and i < costs.size)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o", color="tab:orange",
                    markersize=5, label="course (published)")
    shown = costs[finite]
    if shown.size and shown.min() > 0 and shown.max() / shown.min() > 20:
        ax.set_yscale("log")  # e.g. random×10 starts near 50 and ends near 0.4
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper right")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.13, top=0.91)
    fig.savefig(path, format="png")
    return path


def decision_boundary(path: Path, params: Mapping[str, FloatArray], X: FloatArray, Y: FloatArray,
                      title: str, *, resolution: int = 250) -> Path:
    """Write the model's decision regions over the plane of ``X (2, m)``, with the points of
    ``(X, Y)`` on top, to ``path`` as a PNG.

    Raises:
        ValueError: ``X`` does not have two features.
    """
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"decision_boundary: argument 'X' must be (2, m), got shape {X.shape}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    span = np.maximum(X.max(axis=1) - X.min(axis=1), 1e-3)
    lo = X.min(axis=1) - 0.15 * span
    hi = X.max(axis=1) + 0.15 * span
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    Z = predict(params, grid).reshape(xx.shape)
    fig = Figure(figsize=(5.6, 4.8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.contourf(xx, yy, Z, levels=[-0.5, 0.5, 1.5], cmap="Spectral", alpha=0.8)
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap="Spectral", edgecolors="k", s=18, linewidths=0.5)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title)
    fig.subplots_adjust(left=0.13, right=0.96, bottom=0.11, top=0.88)
    fig.savefig(path, format="png")
    return path


__all__ = ["INSTALL_HINT", "PlotUnavailable", "cost_curve", "decision_boundary",
           "require_matplotlib"]
