"""``refnn diagnose``: the bias/variance verdict and the basic recipe."""

from __future__ import annotations

import argparse
import re
from typing import TextIO

from refnn.cli.common import EXIT_OK, Parser


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
    if args.bayes_error > args.train_error:
        out.write(f"warning: the training error {_pct(args.train_error)} is below the Bayes "
                  f"(optimal) error {_pct(args.bayes_error)}: either the Bayes estimate is too "
                  "high, or the model fits noise of the training set (the dev error then shows "
                  "the variance); the negative avoidable bias below counts as none\n")
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


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn diagnose``."""
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
