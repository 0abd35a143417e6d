"""The ``refnn`` command (also ``python -m refnn``).

::

    refnn conform     [--target SPEC] [--tier all|properties|golden] [--profile dev|ci|thorough]
                      [-n N] [--json FILE] [-k EXPR] [--rule ID] [-x] [--verbose]
    refnn experiment  init|regularization [--iterations N] [--learning-rate A]
                      [--lambd L] [--keep-prob P] [--data PATH] [--plot DIR]
    refnn diagnose    --train-error E --dev-error E [--bayes-error E]
    refnn gradcheck   [--fixed] [--layers 64,128,64,1 [--m M] [--seed S] [--lambd L]]

Exit status: 0 success; 1 a failure (a broken rule or an environment error in ``conform``, a
failed gradient check, a run that diverged); 2 a usage error (bad option or value, a missing
file or optional dependency). Errors are one line on stderr, without a traceback.

``refnn conform`` runs the conformance suite in this process (:func:`refnn.conformance.run`) on
the suite's ``properties/`` directory: the checkout's (an editable install), or the copy a wheel
installs under ``<prefix>/share/refnn/`` (:mod:`refnn.resources`); ``--properties DIR`` points at
another copy.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from refnn.experiments import Experiment, RunOutcome

PROG = "refnn"

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad option, value or missing input: exit status 2, one line.

    ``prog`` is the (sub)command it concerns, when known (``"refnn conform"``).
    """

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


class CommandFailure(Exception):
    """The command ran but could not finish (e.g. training diverged): exit status 1, one line."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``refnn conform: error: … (see refnn conform --help)``."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')", self.prog)


# ------------------------------------------------------------------------------------- conform

TOPICS: dict[str, str] = {
    "INIT": "initialization",
    "COST": "cost",
    "L2": "L2 regularization",
    "DROP": "dropout",
    "GC": "gradient checking",
    "NET": "network (forward, backward, update)",
    "SEED": "the course's seeded numbers",
    "SPLIT": "train/dev/test splits",
    "MISMATCH": "dev/test mismatch",
    "NORM": "input normalization",
    "DIAG": "bias/variance diagnosis",
    "ESTOP": "early stopping",
    "AUG": "data augmentation",
    "DEPTH": "vanishing/exploding gradients",
}
"""Lecture topic of each rule-id prefix of ``docs/SPEC.md``, in the spec's order."""

TIERS = {"all": None, "properties": "not golden", "golden": "golden"}
PROFILES = ("dev", "ci", "thorough")
OUTCOMES = ("passed", "failed", "environment", "skipped", "error")


def topic_of(rules: Sequence[str]) -> str:
    """The lecture topic of a property: that of its first rule's prefix (``DROP-3`` → dropout)."""
    if not rules:
        return "(no rule)"
    prefix = rules[0].rsplit("-", 1)[0]
    return TOPICS.get(prefix, prefix)


def _topic_order(topic: str) -> int:
    names = list(TOPICS.values())
    return names.index(topic) if topic in names else len(names)


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_summary(message: str) -> str:
    """The evidence of a property's failure report on one line: the first line after its header
    (``RULE …``, ``property: …``, ``target: …``), with the indented lines that continue it
    (``expected …`` / ``actual …``)."""
    lines = message.splitlines()
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or s.startswith(("RULE ", "property:", "target:", "[gw")):
            continue
        parts = [s]
        for more in lines[i + 1:i + 3]:
            if not more.startswith(" ") or more.strip().startswith("Failing test case"):
                break
            parts.append(more.strip())
        return _one_line("; ".join(parts).replace(":; ", ": "), 200)
    return ""


ENV_PREFIX = "ENVIRONMENT ERROR (not a broken rule): "


def environment_error(message: str) -> tuple[str, str]:
    """``(error, hint)`` from an environment error's report: its ``ENVIRONMENT ERROR …`` line
    (without that prefix) and the ``hint: …`` line after it (``""`` when there is none)."""
    lines = [ln.strip() for ln in message.splitlines()]
    for i, line in enumerate(lines):
        if "ENVIRONMENT ERROR" in line:
            hint = next((h for h in lines[i + 1:i + 8] if h.startswith("hint:")), "")
            return line.split(ENV_PREFIX, 1)[-1], hint.removeprefix("hint:").strip()
    return failure_summary(message), ""


def environment_summary(message: str) -> str:
    """An environment error's report on one line: the error and its hint."""
    error, hint = environment_error(message)
    return _one_line(error, 400) + (f" (hint: {hint})" if hint else "")


@dataclass(frozen=True)
class _Row:
    nodeid: str
    topic: str
    outcome: str
    rules: tuple[str, ...]
    summary: str
    message: str


def _check_target(spec: str | None) -> None:
    if spec is None:
        return
    if spec.endswith((".py", ".ipynb")) or "/" in spec or os.sep in spec:
        if not Path(spec).expanduser().is_file():
            raise UsageError(f"no target file '{spec}'")
        return
    try:
        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        found = None
    if found is None:
        raise UsageError(f"no module named '{spec}' (give a dotted module name, or a path to a "
                         ".py file or an .ipynb notebook)")


def _check_output_file(path: str) -> None:
    if path == "-":
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise UsageError(f"cannot write '{path}': no directory '{folder}'")


def _properties_path(option: str | None) -> Path:
    if option is not None:
        p = Path(option)
        if not p.exists():
            raise UsageError(f"no properties directory '{option}'")
        return p
    from refnn.conformance.runner import properties_dir

    try:
        return properties_dir()
    except FileNotFoundError:
        raise UsageError(
            "the conformance suite (properties/) is neither in a refnn checkout nor installed "
            "under <prefix>/share/refnn/: reinstall refnn, or pass --properties DIR"
        ) from None


def cmd_conform(args: argparse.Namespace, out: TextIO) -> int:
    """``refnn conform``: run the suite, print a table per lecture topic, return the exit status."""
    _check_target(args.target)
    if args.json:
        _check_output_file(args.json)
    if args.json == "-":
        out = sys.stderr  # standard output carries the JSON alone
    props = _properties_path(args.properties)
    extra = [f"--hypothesis-profile={args.profile}"]
    marker = TIERS[args.tier]
    if marker is not None:
        extra += ["-m", marker]
    if args.k:
        extra += ["-k", args.k]
    for rule in args.rule or []:
        extra += ["--rule", rule]
    if args.exitfirst:
        extra.append("-x")
    if args.n is not None:
        if importlib.util.find_spec("xdist") is None:
            raise UsageError("-n needs pytest-xdist, which is not installed: pip install pytest-xdist")
        extra += ["-n", args.n]
    from refnn import progress
    from refnn.conformance import run

    progress.ENABLED = args.progress and not args.verbose
    extra += ["-p", "refnn.progress"]
    target = args.target
    shown = target or os.environ.get("REFNN_TARGET") or "refnn.course"
    out.write(f"refnn conform: target {shown}, tier {args.tier}, profile {args.profile}"
              + (f", -n {args.n}" if args.n else "") + "\n")
    out.flush()
    result = run(target, extra, properties=props, quiet=not args.verbose)
    rows = [
        _Row(o.nodeid, topic_of(o.rules), o.outcome, o.rules,
             environment_summary(o.message) if o.outcome == "environment"
             else failure_summary(o.message) if o.outcome in ("failed", "error")
             else o.message.removeprefix("Skipped: "),
             o.message)
        for o in result.outcomes
    ]
    code = result.exit_code
    if code == 4:  # pytest's usage error
        tail = [ln for ln in result.output.splitlines() if "error" in ln.lower()]
        raise UsageError(_one_line(tail[-1] if tail else "pytest rejected the arguments", 300))
    if code == 5 or (not rows and code == 0):
        raise UsageError("no property matched the selection (--tier, -k, --rule)")
    status = EXIT_FAILURE if any(r.outcome in ("failed", "environment", "error") for r in rows) \
        else EXIT_OK
    if code not in (0, 1) or (code == 1 and status == EXIT_OK):
        status = EXIT_FAILURE
        tail = [ln for ln in result.output.splitlines() if ln.strip()][-6:]
        out.write("the suite did not run to the end (pytest exit status "
                  f"{code}):\n" + "\n".join("  " + ln for ln in tail) + "\n")
    _print_conform_table(rows, out)
    if args.json:
        _write_json(args, shown, props, rows, result.exit_code, status)
    return status


def _print_conform_table(rows: Sequence[_Row], out: TextIO) -> None:
    counts: dict[str, Counter[str]] = {}
    for r in rows:
        counts.setdefault(r.topic, Counter())[r.outcome] += 1
    width = max([len("topic")] + [len(t) for t in counts]) + 2
    errors = sum(c["error"] for c in counts.values())
    head = f"{'topic':<{width}}{'passed':>8}{'failed':>8}{'env':>6}{'skipped':>9}"
    if errors:
        head += f"{'error':>7}"
    out.write("\n" + head + "\n" + "-" * len(head) + "\n")
    total: Counter[str] = Counter()
    for topic in sorted(counts, key=lambda t: (_topic_order(t), t)):
        c = counts[topic]
        total.update(c)
        line = (f"{topic:<{width}}{c['passed']:>8}{c['failed']:>8}{c['environment']:>6}"
                f"{c['skipped']:>9}")
        out.write(line + (f"{c['error']:>7}" if errors else "") + "\n")
    out.write("-" * len(head) + "\n")
    out.write(f"{'total':<{width}}{total['passed']:>8}{total['failed']:>8}"
              f"{total['environment']:>6}{total['skipped']:>9}"
              + (f"{total['error']:>7}" if errors else "") + "\n")
    failed = [r for r in rows if r.outcome in ("failed", "error")]
    if failed:
        from refnn.conformance import rules as spec_rules

        out.write("\nbroken rules (one line per failed property):\n")
        for r in sorted(failed, key=lambda r: (_topic_order(r.topic), r.rules, r.nodeid)):
            rid = ", ".join(r.rules) or "?"
            statement = spec_rules.statement(r.rules[0]) if r.rules else ""
            name = r.nodeid.rsplit("::", 1)[-1]
            kind = "SUITE ERROR " if r.outcome == "error" else ""
            out.write(f"  {kind}{rid}: {statement or '(rule text not available)'} — {name}\n")
            if r.summary:
                out.write(f"      {r.summary}\n")
    env: dict[str, tuple[str, str]] = {}
    for r in rows:
        if r.outcome == "environment":
            error, hint = environment_error(r.message)
            # one line per distinct failure: the same error from calls with other arguments is one
            env.setdefault(error.rsplit(" raised ", 1)[-1] + hint, (error, hint))
    if env:
        out.write("\nenvironment errors (the target's environment, not a broken rule):\n")
        for error, hint in list(env.values())[:8]:
            out.write(f"  {_one_line(error, 240)}\n" + (f"      hint: {hint}\n" if hint else ""))
    skips = Counter(r.summary for r in rows if r.outcome == "skipped")
    if skips:
        out.write("\nskipped:\n")
        for reason, n in skips.most_common(6):
            out.write(f"  {n:3d} × {_one_line(reason, 140)}\n")
        if len(skips) > 6:
            out.write(f"  … and {len(skips) - 6} more reasons (see --json)\n")
    ran = total["passed"] + total["failed"] + total["environment"] + total["error"]
    broken = sorted({rid for r in failed for rid in r.rules})
    if failed or total["environment"]:
        parts = []
        if failed:
            parts.append(f"{len(failed)} properties broke {len(broken)} rule(s): "
                         + ", ".join(broken))
        if total["environment"]:
            parts.append(f"{total['environment']} environment error(s)")
        out.write("\nFAIL: " + "; ".join(parts) + "\n")
    elif ran == 0:
        out.write("\nPASS (vacuous): no property ran — the target provides none of the functions "
                  "they need\n")
    else:
        out.write(f"\nPASS: all {ran} properties that ran passed\n")


def _write_json(args: argparse.Namespace, shown: str, props: Path, rows: Sequence[_Row],
                pytest_code: int, status: int) -> None:
    totals = Counter(r.outcome for r in rows)
    topics: dict[str, Counter[str]] = {}
    for r in rows:
        topics.setdefault(r.topic, Counter())[r.outcome] += 1
    doc = {
        "schema": "refnn-conform/1",
        "target": shown,
        "tier": args.tier,
        "profile": args.profile,
        "properties_dir": str(props),
        "exit_status": status,
        "pytest_exit_status": pytest_code,
        "totals": {k: totals[k] for k in OUTCOMES},
        "topics": [
            {"topic": t, **{k: c[k] for k in OUTCOMES}}
            for t, c in sorted(topics.items(), key=lambda kv: (_topic_order(kv[0]), kv[0]))
        ],
        "rules_broken": sorted({rid for r in rows if r.outcome == "failed" for rid in r.rules}),
        "environment_errors": list(dict.fromkeys(r.summary for r in rows
                                                 if r.outcome == "environment")),
        "properties": [
            {"nodeid": r.nodeid, "topic": r.topic, "outcome": r.outcome, "rules": list(r.rules),
             "summary": r.summary, "message": r.message}
            for r in rows
        ],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.json == "-":
        sys.stdout.write(text)
    else:
        Path(args.json).expanduser().write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------------- experiment


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
        from refnn.datasets import football_path

        path = args.data
        try:
            data, file = ex.football_data(path)
        except FileNotFoundError:
            where = path or os.environ.get("REFNN_FOOTBALL_MAT") or str(football_path())
            raise UsageError(
                f"no football data at '{where}': pass --data PATH to the course's "
                "W1A2/datasets/data.mat, or set $REFNN_FOOTBALL_MAT") from None
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


# ------------------------------------------------------------------------------------ diagnose

_RATE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(%?)\s*$")


def parse_rate(text: str) -> float:
    """An error rate from ``"0.11"`` or ``"11%"`` (a fraction in [0, 1]).

    Raises:
        argparse.ArgumentTypeError: anything else (a bare number above 1 is refused as ambiguous).
    """
    m = _RATE.match(text)
    if not m:
        raise argparse.ArgumentTypeError(
            f"expected an error rate such as 0.11 or 11%, got {text!r}")
    value = float(m.group(1))
    if m.group(2):
        value /= 100.0
    elif value > 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a fraction in [0, 1]; write {text}% for a percentage")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"an error rate must be in [0, 100%], got {text!r}")
    return value


def _pct(x: float) -> str:
    return f"{100 * x:.4g}%"


def cmd_diagnose(args: argparse.Namespace, out: TextIO) -> int:
    """``refnn diagnose``: the bias/variance verdict and the basic recipe's advice."""
    from refnn.diagnosis import diagnose_bias_variance

    report = diagnose_bias_variance(args.train_error, args.dev_error,
                                    bayes_error=args.bayes_error,
                                    bias_threshold=args.bias_threshold,
                                    variance_threshold=args.variance_threshold)
    out.write(f"train error {_pct(args.train_error)}, dev error {_pct(args.dev_error)}, "
              f"Bayes (optimal) error {_pct(args.bayes_error)}\n")
    out.write(f"avoidable bias = train − Bayes = {100 * report.avoidable_bias:.4g} points "
              f"({'high' if report.high_bias else 'low'}: threshold "
              f"{100 * args.bias_threshold:g})\n")
    out.write(f"variance       = dev − train   = {100 * report.variance:.4g} points "
              f"({'high' if report.high_variance else 'low'}: threshold "
              f"{100 * args.variance_threshold:g})\n")
    out.write(f"verdict: {report.diagnosis.value}\n")
    if report.recipe:
        out.write("basic recipe — try, in this order:\n")
        for i, remedy in enumerate(report.recipe, start=1):
            out.write(f"  {i}. {remedy.value}\n")
        if report.high_bias and report.high_variance:
            out.write("  (fix the bias — training performance — first, then the variance)\n")
    else:
        out.write("basic recipe: done — neither bias nor variance is high\n")
    return EXIT_OK


# ----------------------------------------------------------------------------------- gradcheck


def parse_layers(text: str) -> list[int]:
    """``"64,128,64,1"`` → ``[64, 128, 64, 1]`` (at least two sizes, each ≥ 1, ending in 1)."""
    try:
        dims = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated layer sizes such as 64,128,64,1, got {text!r}") from None
    if len(dims) < 2 or any(d < 1 for d in dims) or dims[-1] != 1:
        raise argparse.ArgumentTypeError(
            f"expected at least two layer sizes >= 1 ending in 1 (one sigmoid output), got {text!r}")
    return dims


def cmd_gradcheck(args: argparse.Namespace, out: TextIO) -> int:
    """``refnn gradcheck``: a full gradient check and its report; exit 1 when it fails."""
    import numpy as np

    from refnn.gradcheck import check_network

    if args.layers is None:
        for option, value in (("--m", args.m), ("--seed", args.seed), ("--lambd", args.lambd),
                              ("--keep-prob", args.keep_prob)):
            if value is not None:
                raise UsageError(f"{option} applies to --layers (the course example is fixed)")
        from refnn.course import gradient_checking as gc
        from refnn.course.testCases import gradient_check_n_test_case

        X, y, params = gradient_check_n_test_case()
        _, cache = gc.forward_propagation_n(X, y, params)
        if args.fixed:
            grads = gc.backward_propagation_n(X, y, cache)
            which = "its backward_propagation_n with the two planted bugs fixed"
        else:
            grads = gc.backward_propagation_n_with_planted_bugs(X, y, cache)
            which = "the backward_propagation_n it gives (bugs planted: dW2 doubled, db1 with 4/m)"
        out.write("refnn gradcheck: the course's example (Gradient Checking, W1A3): network "
                  f"[4, 5, 3, 1], m = 3, seed 1;\nchecking {which}\n\n")
        Y = np.asarray(y, dtype=np.float64).reshape(1, -1)
        report = check_network(params, X, Y, grads=grads, worst=args.worst)
        out.write(str(report).rstrip() + "\n")
        course = gc.gradient_check_n(params, grads, X, y)
        published = _published_difference(args.fixed)
        out.write(f"\nthe course's gradient_check_n on this example: {course!r}"
                  + (f" (published: {published!r})" if published is not None else "") + "\n")
    else:
        if args.fixed:
            raise UsageError("--fixed applies to the course example, not to --layers")
        from refnn.init import initialize

        m = 10 if args.m is None else args.m
        if m < 1:
            raise UsageError(f"--m must be at least 1, got {m}")
        seed = 0 if args.seed is None else args.seed
        lambd = 0.0 if args.lambd is None else args.lambd
        keep_prob = 1.0 if args.keep_prob is None else args.keep_prob
        rng = np.random.default_rng(seed)
        params = initialize(args.layers, "he", rng=rng)
        X = rng.standard_normal((args.layers[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        n = sum(args.layers[i] * args.layers[i - 1] + args.layers[i]
                for i in range(1, len(args.layers)))
        out.write(f"refnn gradcheck: network {args.layers} ({n} parameters, He weights), m = {m}, "
                  f"seed {seed}, λ = {lambd:g}, keep_prob = {keep_prob:g}; checking "
                  "refnn.network.backward\n\n")
        mask_rng = np.random.default_rng(seed + 1)
        report = check_network(params, X, Y, lambd=lambd, keep_prob=keep_prob, rng=mask_rng,
                               worst=args.worst)
        out.write(str(report).rstrip() + "\n")
    return EXIT_OK if report.passed else EXIT_FAILURE


def _published_difference(fixed: bool) -> float | None:
    from refnn import golden

    entry_id = "gradient_check_n_fixed_backprop" if fixed else "gradient_check_n_buggy_backprop"
    try:
        return golden.entry("gradient_checking", entry_id).scalar("difference")
    except (FileNotFoundError, KeyError):
        return None


# -------------------------------------------------------------------------------------- parser


def _positive_int_or_auto(text: str) -> str:
    if text == "auto" or (text.isdigit() and int(text) >= 1):
        return text
    raise argparse.ArgumentTypeError(f"expected a number of workers >= 1 or 'auto', got {text!r}")


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``refnn`` argument parser (subcommands ``conform``, ``experiment``, ``diagnose``,
    ``gradcheck``)."""
    from refnn import __version__

    parser = _Parser(
        prog=PROG,
        description="refnn: a typed numpy reference of Improving Deep Neural Networks, week 1, "
        "and a conformance suite that judges any implementation of the course's functions.",
        epilog="exit status: 0 success, 1 failure, 2 usage error. "
        "'refnn COMMAND --help' describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"refnn {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "conform", help="run the conformance suite against an implementation",
        description="Run the conformance suite (properties/) against a target and print a table "
        "per lecture topic: passed / failed / environment errors / skipped, and the rule each "
        "failure broke. Exit 0 when every property that ran passed, 1 on any failure or "
        "environment error, 2 on a usage error.")
    p.add_argument("--target", metavar="SPEC",
                   help="the implementation: a dotted module name, a path to a .py file, or a "
                   "Jupyter notebook (.ipynb: its imports and top-level functions only); "
                   "default $REFNN_TARGET, else refnn.course")
    p.add_argument("--tier", choices=tuple(TIERS), default="all",
                   help="all (default); properties: the lecture's rules only (-m 'not golden'); "
                   "golden: the course's exact seeded numbers only")
    p.add_argument("--profile", choices=PROFILES, default="ci",
                   help="Hypothesis profile: dev (fewest examples, fast), ci (derandomized: the "
                   "same examples in every run; default), thorough (most examples)")
    p.add_argument("-n", metavar="N", type=_positive_int_or_auto,
                   help="run on N worker processes (pytest-xdist); 'auto' for one per core")
    p.add_argument("--json", metavar="FILE",
                   help="also write the results as JSON to FILE ('-': to standard output, "
                   "with the table on standard error)")
    p.add_argument("-k", metavar="EXPR", help="only properties whose names match EXPR (pytest -k)")
    p.add_argument("--rule", metavar="ID", action="append",
                   help="only properties citing a rule starting with ID, e.g. L2 or DROP-3 "
                   "(repeatable)")
    p.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failure")
    p.add_argument("--properties", metavar="DIR",
                   help="the suite's properties/ directory (default: the checkout's)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print pytest's own report (failures in full, with Hypothesis's "
                   "counterexample)")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="no progress bar (it is drawn only on a terminal anyway)")
    p.set_defaults(func=cmd_conform)

    p = sub.add_parser(
        "experiment", help="re-run the course's initialization or regularization experiment",
        description="Re-run the course's experiments and print the cost every 1000 (init) or "
        "10000 (regularization) iterations and the train/test accuracies beside the course's "
        "published figures (golden/).")
    esub = p.add_subparsers(dest="which", metavar="EXPERIMENT", parser_class=_Parser)
    for name, text in (("init", "zeros / random×10 / He initialization on the circles data "
                                "([2, 10, 5, 1], learning rate 0.01, 15000 iterations)"),
                       ("regularization", "none / L2 λ=0.7 / dropout keep_prob=0.86 on the "
                                          "football data ([2, 20, 3, 1], learning rate 0.3, "
                                          "30000 iterations)")):
        e = esub.add_parser(name, help=text, description=f"The course's experiment: {text}.")
        e.add_argument("--iterations", type=int, metavar="N",
                       help="iterations of gradient descent per run (default: the course's)")
        e.add_argument("--learning-rate", type=_float, metavar="A",
                       help="learning rate (default: the course's)")
        if name == "regularization":
            e.add_argument("--lambd", type=_float, metavar="L",
                           help="λ of the L2 run (default 0.7)")
            e.add_argument("--keep-prob", type=_float, metavar="P",
                           help="keep_prob of the dropout run (default 0.86)")
            e.add_argument("--data", metavar="PATH",
                           help="the course's football data.mat (default $REFNN_FOOTBALL_MAT)")
        e.add_argument("--plot", metavar="DIR",
                       help="write PNG pictures to DIR: each run's cost curve and decision "
                       "boundary (needs matplotlib: pip install 'refnn[plot]')")
        e.add_argument("--no-progress", dest="progress", action="store_false",
                       help="no progress bar (it is drawn only on a terminal anyway)")
        e.set_defaults(func=cmd_experiment)

    p = sub.add_parser(
        "diagnose", help="bias/variance verdict and the basic recipe's advice",
        description="Diagnose high bias and/or high variance from the training and dev errors "
        "(refnn.diagnosis) and print the lecture's basic recipe. Errors as fractions (0.11) or "
        "percentages (11%%).")
    p.add_argument("--train-error", type=parse_rate, required=True, metavar="E")
    p.add_argument("--dev-error", type=parse_rate, required=True, metavar="E")
    p.add_argument("--bayes-error", type=parse_rate, default=0.0, metavar="E",
                   help="optimal (Bayes) or human-level error (default 0)")
    p.add_argument("--bias-threshold", type=parse_rate, default=0.02, metavar="E",
                   help="avoidable bias above this is high (default 2%%)")
    p.add_argument("--variance-threshold", type=parse_rate, default=0.02, metavar="E",
                   help="dev - train above this is high (default 2%%)")
    p.set_defaults(func=cmd_diagnose)

    p = sub.add_parser(
        "gradcheck", help="gradient check with a report naming the worst coordinates",
        description="Check backprop against two-sided differences (refnn.gradcheck) and print "
        "the report: the difference, per-block differences, the culprit blocks and the worst "
        "coordinates by name. Default: the course's example, with the backward pass it gives "
        "(two planted bugs). Exit 1 when the check fails.")
    p.add_argument("--fixed", action="store_true",
                   help="course example: check the backward pass with its bugs fixed")
    p.add_argument("--layers", type=parse_layers, metavar="SIZES",
                   help="check refnn's backprop on a random network instead, e.g. 64,128,64,1")
    p.add_argument("--m", type=int, metavar="M", help="with --layers: examples (default 10)")
    p.add_argument("--seed", type=int, metavar="S", help="with --layers: seed (default 0)")
    p.add_argument("--lambd", type=_float, metavar="L", help="with --layers: L2 λ (default 0)")
    p.add_argument("--keep-prob", type=_float, metavar="P",
                   help="with --layers: dropout keep_prob, masks held fixed (default 1)")
    p.add_argument("--worst", type=int, default=5, metavar="K",
                   help="how many worst coordinates to list (default 5)")
    p.set_defaults(func=cmd_gradcheck)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``refnn`` command with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    stream = sys.stdout if out is None else out
    parser = build_parser()
    prog = PROG
    try:
        args = parser.parse_args(args_list)
        func: Callable[[argparse.Namespace, TextIO], int] | None = getattr(args, "func", None)
        if func is None:
            if getattr(args, "command", None) == "experiment":
                raise UsageError("which experiment? init or regularization "
                                 "(see 'refnn experiment --help')", f"{PROG} experiment")
            raise UsageError("a command is required: conform, experiment, diagnose or gradcheck "
                             "(see 'refnn --help')")
        prog = f"{PROG} {args.command}"
        if args.command == "experiment":
            prog += f" {args.which}"
        return func(args, stream)
    except UsageError as exc:
        sys.stderr.write(f"{exc.prog or prog}: error: {exc}\n")
        return EXIT_USAGE
    except CommandFailure as exc:
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return EXIT_FAILURE
    except (ValueError, TypeError) as exc:  # refnn's argument checks on the values given
        sys.stderr.write(f"{prog}: error: {_one_line(str(exc), 400)}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK


__all__ = ["build_parser", "main", "parse_layers", "parse_rate", "topic_of"]
