"""``refnn conform``: the conformance suite against a target, as a table per lecture topic, the
learner's functions with their verdicts, root causes with a way to reproduce them, and ``--json``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from refnn.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    Parser,
    UsageError,
    check_output_file,
    finite_float,
    one_line,
)
from refnn.conformance.outcome import PropertyRecord
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
                      progress=args.in_process or bool(args.n) or args.verbose,
                      run_top_level=args.run_top_level)
    progress.ENABLED = args.progress and not args.verbose
    out.write(f"refnn conform: target {request.shown_target}, tier {args.tier}, profile "
              f"{args.profile}" + (f", -n {args.n}" if args.n else "") + "\n")
    out.flush()
    records, exit_code, problem = _run(request, args)
    lines = ["", *report.table(records), *report.details(records)]
    status = EXIT_OK if report.verdict(records).passed and not problem else EXIT_FAILURE
    if problem:
        lines.insert(0, problem)
    lines += ["", report.verdict(records).text if not problem else
              f"FAIL: {problem.splitlines()[0]}"]
    out.write("\n".join(lines) + "\n")
    if args.json:
        doc = report.json_document(
            records, target=request.shown_target, tier=args.tier, profile=args.profile,
            properties_dir=str(Path(args.properties) if args.properties else ""),
            exit_status=status, pytest_exit_status=exit_code)
        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
        to_stdout = args.json == "-"
        text = json.dumps(doc, indent=2,
                          ensure_ascii=to_stdout and not encoding.startswith("utf")) + "\n"
        if to_stdout:
            sys.stdout.write(text)
        else:
            Path(args.json).expanduser().write_text(text, encoding="utf-8")
    return status


def _run(request: Request, args: argparse.Namespace) -> tuple[list[PropertyRecord], int, str]:
    """``(records, pytest's exit status, problem)``: the suite in this process (``--in-process``),
    or in a child process under a total time and memory budget, so that whatever the target does
    (exit, crash, hang, exhaust memory) the run ends with a verdict, never a false pass."""
    if args.in_process or args.n or args.verbose:
        try:
            result = conform(request)
        except ConformUsageError as exc:
            raise UsageError(one_line(str(exc), 300)) from None
        problem = ""
        if result.exit_code not in (0, 1) or (result.exit_code == 1 and not any(
                r.failing or r.outcome == "consequence" for r in result.records)):
            tail = [ln for ln in result.output.splitlines() if ln.strip()][-6:]
            problem = (f"the suite did not run to the end (pytest exit status {result.exit_code})"
                       ":\n" + "\n".join("  " + ln for ln in tail))
        return result.records, result.exit_code, problem
    from refnn.conformance.target import DEFAULT_TARGET
    from refnn.grading.isolate import judge_isolated
    from refnn.grading.limits import Limits

    spec = request.target or os.environ.get("REFNN_TARGET") or DEFAULT_TARGET
    iso = judge_isolated(spec, request, Limits(timeout=args.timeout, memory_mb=args.memory))
    if iso.ending.kind == "usage":
        raise UsageError(one_line(iso.ending.text or "the suite rejected the request", 300))
    problem = "" if iso.ending.finished else f"the target's run was stopped: {iso.ending.text}"
    return list(iso.records), iso.pytest_exit if iso.pytest_exit is not None else -1, problem


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
                   "Jupyter notebook (a file's imports, functions and constants only, see "
                   "--run-top-level); "
                   "default $REFNN_TARGET, else refnn.course")
    p.add_argument("--run-top-level", action="store_true",
                   help="run the target file's top-level code (a notebook's every cell, magics "
                   "ignored; a .py imported as a module); by default only its imports, functions "
                   "and constant assignments are taken, and a dotted module is imported either way")
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
                   help="the suite's folder (default: the installed refnn.properties, or a "
                   "checkout's properties/)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print pytest's own report (failures in full, with Hypothesis's "
                   "counterexample)")
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help="no progress bar (it is drawn only on a terminal anyway)")
    p.add_argument("--timeout", type=finite_float, default=1800.0, metavar="SECONDS",
                   help="total wall-clock budget of the run (default 1800); the target is judged "
                   "in a child process that is stopped at the budget, with a verdict")
    p.add_argument("--memory", type=int, default=4096, metavar="MB",
                   help="address-space limit of the judging process (default 4096; 0: none)")
    p.add_argument("--in-process", action="store_true",
                   help="judge in this process, without the child's protection (what -n and "
                   "--verbose do)")
    p.set_defaults(func=cmd_conform)
