"""``refnn experiment init|regularization``: the course's experiments beside its published figures."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from refnn.cli.common import EXIT_OK, CommandFailure, Parser, UsageError, finite_float

if TYPE_CHECKING:
    from refnn.experiments import Experiment, RunOutcome


def _fmt_cost(x: float) -> str:
    return f"{x:.16g}" if math.isfinite(x) else str(x)


def cmd_experiment(args: argparse.Namespace, out: TextIO) -> int:
    """``refnn experiment init|regularization``: re-run the course's runs, print costs and
    accuracies beside the course's published figures, optionally write PNG pictures."""
    from refnn import experiments as ex
    from refnn.progress import ProgressBar

    if args.plot is not None:
        from refnn.plots import PlotUnavailable, require_matplotlib

        try:
            require_matplotlib()
        except PlotUnavailable as exc:
            raise UsageError(str(exc)) from None
        plot_dir = Path(args.plot).expanduser()
        if plot_dir.exists() and not plot_dir.is_dir():
            raise UsageError(f"--plot: '{args.plot}' is not a directory")
    if args.iterations is not None and args.iterations < 1:
        raise UsageError(f"--iterations must be at least 1, got {args.iterations}")
    if args.learning_rate is not None and not args.learning_rate > 0:
        raise UsageError(f"--learning-rate must be > 0, got {args.learning_rate}")
    if args.which == "init":
        experiment = ex.init_experiment(num_iterations=args.iterations,
                                        learning_rate=args.learning_rate)
    else:
        if args.lambd is not None and not args.lambd >= 0:
            raise UsageError(f"--lambd must be >= 0, got {args.lambd}")
        if args.keep_prob is not None and not 0 < args.keep_prob <= 1:
            raise UsageError(f"--keep-prob must be in (0, 1], got {args.keep_prob}")
        path = args.data
        try:
            data, file = ex.football_data(path)
        except FileNotFoundError:
            where = path or os.environ.get("REFNN_FOOTBALL_MAT")
            # without either, the default is a development checkout's, not a path to show
            found = f"no football data at '{where}'" if where else "no football data given"
            raise UsageError(
                f"{found}: pass --data PATH to the course's W1A2/datasets/data.mat, or set "
                "$REFNN_FOOTBALL_MAT") from None
        text = (f"football data ({file}; train {data.train_X.shape[1]}, "
                f"test {data.test_X.shape[1]})")
        experiment = ex.regularization_experiment(
            data, text, num_iterations=args.iterations, learning_rate=args.learning_rate,
            lambd=args.lambd, keep_prob=args.keep_prob)
    first = experiment.runs[0]
    out.write(f"refnn experiment {experiment.name}: the course's {experiment.title} on the "
              f"{experiment.data_text}\nnetwork {list(first.layers_dims)}, learning rate "
              f"{first.learning_rate:g}, {first.num_iterations} iterations; cost every "
              f"{experiment.print_every}\n('=': the course's published figure, matched within the "
              "tolerance golden/ records for it)\n")
    outcomes: list[ex.RunOutcome] = []
    for spec in experiment.runs:
        bar = ProgressBar(spec.num_iterations, f"{spec.name:>8}", enabled=None if args.progress
                          else False)
        bar.update(0)
        try:
            outcome = ex.run(experiment, spec, progress=bar.update)
        except ValueError as exc:
            bar.close()
            raise CommandFailure(f"the {spec.name} run failed: {exc}") from None
        bar.close()
        outcomes.append(outcome)
        _print_run(experiment, outcome, out)
    _print_summary(outcomes, out)
    if args.plot is not None:
        written = _write_plots(experiment, outcomes, Path(args.plot).expanduser())
        out.write(f"\nwrote {len(written)} pictures to {args.plot}: "
                  + ", ".join(p.name for p in written) + "\n")
    return EXIT_OK


def _print_run(experiment: Experiment, o: RunOutcome, out: TextIO) -> None:
    spec, course = o.spec, o.course
    out.write(f"\n{spec.title}\n")
    show_course = course is not None and course.costs_comparable
    head = f"  {'iteration':>9}  {'cost':<22}" + ("  course (published)" if show_course else "")
    out.write(head.rstrip() + "\n")
    for i in range(0, spec.num_iterations, experiment.print_every):
        cost = float(o.costs[i])
        line = f"  {i:>9}  {_fmt_cost(cost):<22}"
        if show_course and course is not None and i in course.costs:
            ok = course.cost_matches(i, cost)
            line += f"  {_fmt_cost(course.costs[i]):<22} {'=' if ok else '≠'}"
        out.write(line.rstrip() + "\n")
    for label, mine, theirs in (("train", o.train_accuracy,
                                 course.train_accuracy if course else None),
                                ("test", o.test_accuracy,
                                 course.test_accuracy if course else None)):
        line = f"  {label + ' accuracy':<15}{mine:.4f}"
        if course is not None and theirs is not None:
            if course.accuracies_comparable:
                line += f"   course {theirs:.4f} {'=' if mine == theirs else '≠'}"
            else:
                line += f"   (course {theirs:.4f} after its {_course_iterations(o)} iterations)"
        out.write(line + "\n")
    if course is None:
        out.write("  (the course's figures are in golden/, which is not available here)\n")
    elif not course.costs_comparable:
        out.write("  (the course's costs are not shown: its learning rate, λ or keep_prob "
                  "differ from this run's)\n")


def _course_iterations(o: RunOutcome) -> str:
    from refnn import golden

    file = "initialization" if o.spec.golden_id.startswith("init") else "regularization"
    try:
        n = golden.entry(file, o.spec.golden_id).get("recipe.num_iterations")
    except (FileNotFoundError, KeyError):
        return "?"
    return str(n)


def _print_summary(outcomes: Sequence[RunOutcome], out: TextIO) -> None:
    out.write(f"\n{'run':<10}{'train':>8}{'course':>8}{'test':>8}{'course':>8}  final cost\n")
    for o in outcomes:
        c = o.course
        ct = f"{c.train_accuracy:.4f}" if c and c.accuracies_comparable else "—"
        cs = f"{c.test_accuracy:.4f}" if c and c.accuracies_comparable else "—"
        final = _fmt_cost(float(o.costs[-1])) if o.costs.size else "—"
        out.write(f"{o.spec.name:<10}{o.train_accuracy:>8.4f}{ct:>8}{o.test_accuracy:>8.4f}"
                  f"{cs:>8}  {final}\n")


def _write_plots(experiment: Experiment, outcomes: Sequence[RunOutcome],
                 folder: Path) -> list[Path]:
    from refnn import plots

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandFailure(f"cannot create '{folder}': {exc.strerror}") from None
    written: list[Path] = []
    data = experiment.data
    for o in outcomes:
        stem = f"{experiment.name}_{o.spec.name}"
        course = o.course.costs if o.course and o.course.costs_comparable else None
        written.append(plots.cost_curve(folder / f"{stem}_cost.png", o.costs,
                                        f"{o.spec.title}: cost", course))
        written.append(plots.decision_boundary(
            folder / f"{stem}_boundary.png", o.params, data.train_X, data.train_Y,
            f"{o.spec.title}\ntrain {o.train_accuracy:.3f}, test {o.test_accuracy:.3f}"))
    return written


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn experiment init|regularization``."""
    p = sub.add_parser(
        "experiment", help="re-run the course's initialization or regularization experiment",
        description="Re-run the course's experiments and print the cost every 1000 (init) or "
        "10000 (regularization) iterations and the train/test accuracies beside the course's "
        "published figures (golden/).")
    esub = p.add_subparsers(dest="which", metavar="EXPERIMENT", parser_class=Parser)
    for name, text in (("init", "zeros / random×10 / He initialization on the circles data "
                                "([2, 10, 5, 1], learning rate 0.01, 15000 iterations)"),
                       ("regularization", "none / L2 λ=0.7 / dropout keep_prob=0.86 on the "
                                          "football data ([2, 20, 3, 1], learning rate 0.3, "
                                          "30000 iterations)")):
        e = esub.add_parser(name, help=text, description=f"The course's experiment: {text}.")
        e.add_argument("--iterations", type=int, metavar="N",
                       help="iterations of gradient descent per run (default: the course's)")
        e.add_argument("--learning-rate", type=finite_float, metavar="A",
                       help="learning rate (default: the course's)")
        if name == "regularization":
            e.add_argument("--lambd", type=finite_float, metavar="L",
                           help="λ of the L2 run (default 0.7)")
            e.add_argument("--keep-prob", type=finite_float, metavar="P",
                           help="keep_prob of the dropout run (default 0.86)")
            e.add_argument("--data", metavar="PATH",
                           help="the course's football data.mat (default $REFNN_FOOTBALL_MAT)")
        e.add_argument("--plot", metavar="DIR",
                       help="write PNG pictures to DIR: each run's cost curve and decision "
                       "boundary (needs matplotlib: pip install 'refnn[plot]')")
        e.add_argument("--no-progress", dest="progress", action="store_false",
                       help="no progress bar (it is drawn only on a terminal anyway)")
        e.set_defaults(func=cmd_experiment)
