"""``refnn conform``: the conformance suite against a target, as a table per lecture topic, the
learner's functions with their verdicts, root causes with a way to reproduce them, and ``--json``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from refnn.cli.common import EXIT_FAILURE, EXIT_OK, Parser, UsageError, check_output_file, one_line
from refnn.conformance.conform import (
    PROFILES,
    TIERS,
    ConformUsageError,
    Request,
    check_target,
    conform,
    suite_path,
)


def _positive_int_or_auto(text: str) -> str:
    if text == "auto" or (text.isdigit() and int(text) >= 1):
        return text
    raise argparse.ArgumentTypeError(f"expected a number of workers >= 1 or 'auto', got {text!r}")


def cmd_conform(args: argparse.Namespace, out: TextIO) -> int:
    """Run the suite, print the report, return the exit status (0 pass, 1 fail)."""
    from refnn import progress
    from refnn.conformance import report

    if args.json:
        check_output_file(args.json)
    try:
        check_target(args.target)
        suite_path(args.properties)
    except ConformUsageError as exc:
        raise UsageError(str(exc)) from None
    if args.json == "-":
        out = sys.stderr  # standard output carries the JSON alone
    request = Request(target=args.target, tier=args.tier, profile=args.profile, k=args.k,
                      rules=tuple(args.rule or ()), exitfirst=args.exitfirst, workers=args.n,
                      properties=args.properties, quiet=not args.verbose,
                      progress=True)
    progress.ENABLED = args.progress and not args.verbose
    out.write(f"refnn conform: target {request.shown_target}, tier {args.tier}, profile "
              f"{args.profile}" + (f", -n {args.n}" if args.n else "") + "\n")
    out.flush()
    try:
        result = conform(request)
    except ConformUsageError as exc:
        raise UsageError(one_line(str(exc), 300)) from None
    records = result.records
    lines = ["", *report.table(records), *report.details(records)]
    status = EXIT_OK if report.verdict(records).passed else EXIT_FAILURE
    if result.exit_code not in (0, 1) or (result.exit_code == 1 and status == EXIT_OK):
        status = EXIT_FAILURE
        tail = [ln for ln in result.output.splitlines() if ln.strip()][-6:]
        lines.insert(0, f"the suite did not run to the end (pytest exit status "
                        f"{result.exit_code}):\n" + "\n".join("  " + ln for ln in tail))
    lines += ["", report.verdict(records).text]
    out.write("\n".join(lines) + "\n")
    if args.json:
        doc = report.json_document(
            records, target=request.shown_target, tier=args.tier, profile=args.profile,
            properties_dir=str(Path(args.properties) if args.properties else ""),
            exit_status=status, pytest_exit_status=result.exit_code)
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
        to_stdout = args.json == "-"
        text = json.dumps(doc, indent=2,
                          ensure_ascii=to_stdout and not encoding.startswith("utf")) + "\n"
        if to_stdout:
            sys.stdout.write(text)
        else:
            Path(args.json).expanduser().write_text(text, encoding="utf-8")
    return status


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn conform``."""
    p = sub.add_parser(
        "conform", help="run the conformance suite against an implementation",
        description="Run the conformance suite (properties/) against a target and print a table "
        "per lecture topic (passed / broken rules / consequences / target problems / not judged "
        "/ skipped), the learner's functions with their verdicts, and each root cause with its "
        "evidence and a snippet that reproduces it. Exit 0 when every property that judged the "
        "target passed, 1 on any broken rule or target problem (or when nothing was judged), 2 "
        "on a usage error.")
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
