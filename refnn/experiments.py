"""The course's week-1 experiments, re-run: initialization on the circles, regularization on the
football data — with the course's published figures beside refnn's (``refnn experiment``).

* **init** (Initialization notebook): ``[2, 10, 5, 1]``, learning rate 0.01, 15000 iterations of
  batch gradient descent from zeros, random×10 and He weights (the course's initializers and their
  ``np.random.seed(3)``), on :func:`refnn.datasets.load_course_circles`; cost shown every 1000.
* **regularization** (Regularization notebook): ``[2, 20, 3, 1]``, learning rate 0.3, 30000
  iterations from the course's ``initialize_parameters`` (seed 3), on the football ``data.mat``:
  no regularization, L2 with ``λ = 0.7``, and dropout with ``keep_prob = 0.86``; cost shown every
  10000.

The course's dropout model reseeds its mask stream at every call, so it uses *one* set of masks in
all iterations (a course mistake that its published numbers depend on; see
:mod:`refnn.course.regularization`). The dropout run reproduces that: its masks are those the
course's :func:`~refnn.course.regularization.forward_propagation_with_dropout` draws, held fixed.

Each run is :func:`refnn.training.train` in chunks (``params=`` the previous chunk's result; with
no fresh randomness this is the same computation as one call), so a caller can show progress.

The course's figures come from ``golden/`` (:mod:`refnn.golden`). A figure is shown as comparable
only where the run's settings make it so: the costs when the learning rate (and ``λ``,
``keep_prob``) are the course's, the accuracies when the iteration count is too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from refnn import golden
from refnn.datasets import Dataset, football_path, load_course_circles, load_football
from refnn.training import accuracy, train
from refnn.types import BoolArray, FloatArray, Params

EXPERIMENTS = ("init", "regularization")


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run of an experiment: a name, the course's golden entry, and the settings."""

    name: str
    title: str
    golden_id: str
    layers_dims: tuple[int, ...]
    learning_rate: float
    num_iterations: int
    init: str = "course"
    """``"zeros"``, ``"random"``, ``"he"`` (Initialization) or ``"course"`` (Regularization's)."""
    lambd: float = 0.0
    keep_prob: float = 1.0


@dataclass(frozen=True, slots=True)
class CourseFigures:
    """The course's published results for a run, and whether they apply to its settings."""

    costs: dict[int, float]
    train_accuracy: float
    test_accuracy: float
    cost_tolerance: golden.Tolerance
    costs_comparable: bool
    """The learning rate, ``λ`` and ``keep_prob`` are the course's (costs at iteration i compare)."""
    accuracies_comparable: bool
    """…and so is the number of iterations."""

    def cost_matches(self, iteration: int, cost: float) -> bool | None:
        """Whether ``cost`` at ``iteration`` is the course's within golden's tolerance (``None``:
        nothing to compare)."""
        if not self.costs_comparable or iteration not in self.costs:
            return None
        want = self.costs[iteration]
        if not math.isfinite(want) or not math.isfinite(cost):
            return want == cost
        return abs(cost - want) <= self.cost_tolerance.abs + self.cost_tolerance.rel * abs(want)


@dataclass(slots=True)
class RunOutcome:
    """What :func:`run` returns: every iteration's cost, the trained parameters, the accuracies."""

    spec: RunSpec
    costs: FloatArray
    params: Params
    train_accuracy: float
    test_accuracy: float
    course: CourseFigures | None = None


@dataclass(frozen=True, slots=True)
class Experiment:
    """An experiment: its data, its runs and how often the course printed the cost."""

    name: str
    title: str
    data: Dataset
    data_text: str
    runs: tuple[RunSpec, ...]
    print_every: int
    golden_file: str
    notes: tuple[str, ...] = field(default=())


INIT_DEFAULTS = {"learning_rate": 0.01, "num_iterations": 15000}
REG_DEFAULTS = {"learning_rate": 0.3, "num_iterations": 30000, "lambd": 0.7, "keep_prob": 0.86}


def init_experiment(*, num_iterations: int | None = None,
                    learning_rate: float | None = None) -> Experiment:
    """The Initialization notebook's three runs on the course's circles (300 train, 100 test)."""
    n = INIT_DEFAULTS["num_iterations"] if num_iterations is None else num_iterations
    lr = INIT_DEFAULTS["learning_rate"] if learning_rate is None else learning_rate
    dims = (2, 10, 5, 1)
    runs = tuple(
        RunSpec(name, title, f"init_model_{name}", dims, lr, int(n), init=name)
        for name, title in (("zeros", "zeros initialization"),
                            ("random", "random initialization (×10)"),
                            ("he", "He initialization"))
    )
    return Experiment("init", "Initialization (W1A1)", load_course_circles(),
                      "circles (train 300, test 100)", runs, 1000, "initialization")


def football_data(path: str | os.PathLike[str] | None = None) -> tuple[Dataset, Path]:
    """The football data from ``path`` (default :func:`refnn.datasets.football_path`:
    ``$REFNN_FOOTBALL_MAT``, else the checkout's ``../shared/data/football.mat``).

    Raises:
        FileNotFoundError: no file there (the message says how to get it).
        ValueError: not the right kind of file.
    """
    file = Path(path) if path is not None else football_path()
    return load_football(file), file


def regularization_experiment(data: Dataset, data_text: str, *, num_iterations: int | None = None,
                              learning_rate: float | None = None, lambd: float | None = None,
                              keep_prob: float | None = None) -> Experiment:
    """The Regularization notebook's three runs on the football data."""
    n = int(REG_DEFAULTS["num_iterations"] if num_iterations is None else num_iterations)
    lr = REG_DEFAULTS["learning_rate"] if learning_rate is None else learning_rate
    lam = REG_DEFAULTS["lambd"] if lambd is None else lambd
    kp = REG_DEFAULTS["keep_prob"] if keep_prob is None else keep_prob
    dims = (data.train_X.shape[0], 20, 3, 1)
    runs = (
        RunSpec("none", "no regularization", "reg_model_no_regularization", dims, lr, n),
        RunSpec("l2", f"L2 regularization, λ = {lam:g}", "reg_model_l2", dims, lr, n, lambd=lam),
        RunSpec("dropout", f"dropout, keep_prob = {kp:g}", "reg_model_dropout", dims, lr, n,
                keep_prob=kp),
    )
    return Experiment("regularization", "Regularization (W1A2)", data, data_text, runs, 10000,
                      "regularization")


def course_figures(experiment: Experiment, spec: RunSpec) -> CourseFigures | None:
    """The course's published figures for ``spec`` (``None`` when ``golden/`` is not available)."""
    try:
        entry = golden.entry(experiment.golden_file, spec.golden_id)
    except (FileNotFoundError, KeyError):
        return None
    recipe = entry.get("recipe")
    assert isinstance(recipe, dict)

    def same(key: str, value: float, default: float) -> bool:
        want = recipe.get(key, default)
        return isinstance(want, (int, float)) and float(want) == float(value)

    costs_ok = (same("learning_rate", spec.learning_rate, math.nan)
                and same("lambd", spec.lambd, 0.0) and same("keep_prob", spec.keep_prob, 1.0))
    return CourseFigures(
        costs=entry.costs("costs"),
        train_accuracy=entry.scalar("train_accuracy"),
        test_accuracy=entry.scalar("test_accuracy"),
        cost_tolerance=entry.tolerance("costs"),
        costs_comparable=costs_ok,
        accuracies_comparable=costs_ok and same("num_iterations", spec.num_iterations, math.nan),
    )


def initial_parameters(spec: RunSpec) -> Params:
    """The course's starting weights for ``spec`` (its initializers, with their global seeding)."""
    dims = list(spec.layers_dims)
    if spec.init == "course":
        from refnn.course.reg_utils import initialize_parameters

        return initialize_parameters(dims)
    from refnn.course import initialization

    initializers: dict[str, Callable[[list[int]], Params]] = {
        "zeros": initialization.initialize_parameters_zeros,
        "random": initialization.initialize_parameters_random,
        "he": initialization.initialize_parameters_he,
    }
    return initializers[spec.init](dims)


def course_dropout_masks(params: Params, X: FloatArray, keep_prob: float) -> list[BoolArray]:
    """The masks the course's dropout forward pass draws (``D1``, ``D2``: cache entries 1 and 6),
    which its model uses in every iteration."""
    from refnn.course.regularization import forward_propagation_with_dropout

    _, cache = forward_propagation_with_dropout(X, params, keep_prob)
    return [np.asarray(cache[1], dtype=bool), np.asarray(cache[6], dtype=bool)]


def run(experiment: Experiment, spec: RunSpec, *, chunk: int = 1000,
        progress: Callable[[int], None] | None = None) -> RunOutcome:
    """Train ``spec`` on the experiment's data, ``chunk`` iterations at a time.

    Args:
        progress: called with the number of iterations done after each chunk.

    Raises:
        ValueError: bad settings, or gradient descent diverged.
    """
    data = experiment.data
    params = initial_parameters(spec)
    masks: list[BoolArray] | None = None
    if spec.keep_prob < 1:
        masks = course_dropout_masks(params, data.train_X, spec.keep_prob)
    rng = np.random.default_rng(0)  # unused: no fresh dropout masks are drawn
    pieces: list[FloatArray] = []
    done = 0
    while done < spec.num_iterations:
        k = min(chunk, spec.num_iterations - done)
        result = train(data.train_X, data.train_Y, list(spec.layers_dims), rng=rng, params=params,
                       learning_rate=spec.learning_rate, num_iterations=k, lambd=spec.lambd,
                       keep_prob=spec.keep_prob, masks=masks)
        pieces.append(result.costs)
        params = result.params
        done += k
        if progress is not None:
            progress(done)
    costs = np.concatenate(pieces) if pieces else np.empty(0)
    return RunOutcome(spec, costs, params, accuracy(params, data.train_X, data.train_Y),
                      accuracy(params, data.test_X, data.test_Y),
                      course_figures(experiment, spec))


__all__ = [
    "EXPERIMENTS",
    "CourseFigures",
    "Experiment",
    "RunOutcome",
    "RunSpec",
    "course_dropout_masks",
    "course_figures",
    "football_data",
    "init_experiment",
    "initial_parameters",
    "regularization_experiment",
    "run",
]
