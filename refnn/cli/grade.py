"""``refnn grade``: a class's submissions (files, folders, globs; ``.py`` and ``.ipynb``), each
judged in its own process under limits, several at a time; a table, ``--csv``, ``--json``,
``--gradescope``, ``--html``; ``--shard K/N`` and ``--merge``; ``--gradescope-autograder``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from refnn.cli.common import EXIT_FAILURE, EXIT_OK, Parser, UsageError, check_output_file
from refnn.grading.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value


def _whole(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of workers >= 1, got {text!r}")
    return int(text)


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from refnn.grading import outputs

    if not args.json:
        raise UsageError("--merge needs --json ALL.json (where to write the merged document)")
    docs = []
    for name in args.merge:
        try:
            docs.append(json.loads(Path(name).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--merge: cannot read '{name}': {exc}") from None
    try:
        merged = outputs.merge(docs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    outputs.write_atomic(args.json, outputs.dumps(merged))
    s = merged["summary"]
    out.write(f"refnn grade: merged {len(docs)} document(s): {s['submissions']} submission(s), "
              f"{s['pass']} pass, {s['fail']} fail, {s['error']} error → {args.json}\n")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace, out: TextIO) -> int:
    """Judge and grade the submissions; exit 0 when every one passed, 1 otherwise."""
    from refnn.conformance.conform import ConformUsageError, Request, pytest_args, suite_path
    from refnn.grading import outputs, points as points_mod, submissions
    from refnn.grading.batch import GradescopeWriter, default_workers, grade_batch
    from refnn.grading.limits import Limits

    for name in (args.json, args.csv, args.gradescope, args.html, args.gradescope_autograder):
        if name and name != "-":
            check_output_file(name)
    if args.merge:
        return _merge(args, out)
    try:
        table = points_mod.load(args.points)
        if args.assignment:
            table.assignment(args.assignment)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--points: {exc}") from None
    tier = args.tier or ("all" if table.golden else "properties")
    if args.json == "-":
        out = sys.stderr  # standard output carries the JSON alone
    if args.gradescope_autograder:
        from refnn.grading.autograder import write_bundle

        write_bundle(args.gradescope_autograder, points=args.points,
                                assignment=args.assignment, tier=tier, profile=args.profile,
                                timeout=args.timeout, memory_mb=args.memory)
        out.write(f"refnn grade: wrote the Gradescope autograder {args.gradescope_autograder}\n")
        return EXIT_OK
    if not args.paths:
        raise UsageError("which submissions? give files, folders or globs (see 'refnn grade "
                         "--help')")
    try:
        found = submissions.find(args.paths)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    shard_text = None
    if args.shard:
        try:
            k, n = submissions.parse_shard(args.shard)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        root = Path(args.shard_root).resolve() if args.shard_root else \
            submissions.common_root(found)
        found = submissions.shard(found, k, n, root)
        shard_text = f"{k}/{n}"
    if args.gradescope and len(found) != 1:
        raise UsageError(f"--gradescope writes one submission's results.json; {len(found)} "
                         "submissions were given")
    request = Request(tier=tier, profile=args.profile, k=args.k, rules=tuple(args.rule or ()),
                      properties=args.properties, run_top_level=args.run_top_level)
    try:
        suite_path(args.properties)
        pytest_args(request)
    except ConformUsageError as exc:
        raise UsageError(str(exc)) from None
    workers = args.j or default_workers()
    limits = Limits(timeout=args.timeout, memory_mb=args.memory, network=args.allow_network)
    out.write(f"refnn grade: {len(found)} submission(s), tier {tier}, profile {args.profile}, "
              f"-j {workers}, {args.timeout:g} s and {args.memory} MB each"
              + (f", shard {shard_text}" if shard_text else "") + "\n")
    out.flush()
    writer = None
    if args.gradescope:
        writer = GradescopeWriter(args.gradescope, str(found[0]), table, args.assignment)
    t0 = time.monotonic()
    done = [0]

    def progress(_index: int, g: object) -> None:
        done[0] += 1
        if not args.quiet:
            from refnn.grading.grade import SubmissionGrade

            assert isinstance(g, SubmissionGrade)
            sys.stderr.write(f"[{done[0]}/{len(found)}] {g.verdict.upper():<5} "
                             f"{g.score:g}/{g.max_score:g}  {g.path}  ({g.seconds:.1f} s)\n")
            sys.stderr.flush()

    grades = grade_batch(found, request, table, limits=limits, workers=workers,
                         assignment=args.assignment, on_grade=progress,
                         on_event=writer.on_event if writer is not None else None)
    elapsed = time.monotonic() - t0
    if writer is not None:
        writer.write(grades[0])
    out.write("\n".join(outputs.table(grades)) + "\n")
    rate = len(grades) / elapsed * 60 if elapsed > 0 else 0.0
    out.write(f"judged in {elapsed:.1f} s ({rate:.1f} submissions/min)\n")
    settings = {"tier": tier, "profile": args.profile, "timeout": args.timeout,
                "memory_mb": args.memory, "points": table.source,
                "assignment": args.assignment, "shard": shard_text,
                "rules": list(args.rule or ()), "k": args.k}
    if args.json:
        doc = outputs.json_document(grades, settings, with_records=args.json_records)
        if args.json == "-":
            sys.stdout.write(outputs.dumps(doc))
        else:
            outputs.write_atomic(args.json, outputs.dumps(doc))
    if args.csv:
        outputs.write_atomic(args.csv, outputs.csv_text(grades))
    if args.html:
        from refnn.grading.html import page

        outputs.write_atomic(args.html, page(grades, settings))
    return EXIT_OK if all(g.verdict == "pass" for g in grades) else EXIT_FAILURE


def add_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    """``refnn grade``."""
    p = sub.add_parser(
        "grade", help="judge a class's submissions, each isolated, in parallel",
        description="Judge every submission (.py files and .ipynb notebooks; folders are "
        "searched, globs expanded) with the conformance suite, each in its own process with a "
        "wall clock, a memory limit and no network, several at once; top-level code is never "
        "run. Prints one row per submission (verdict pass/fail/error, score, reason, its "
        "functions) and writes --csv, --json, --gradescope, --html. Exit 0 when every "
        "submission passed, 1 otherwise, 2 on a usage error.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="submission files, folders or globs")
    p.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"wall clock per submission, seconds (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--memory", type=_whole, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help=f"address space per judging process, MB (default {DEFAULT_MEMORY_MB}; "
                   "0: no limit)")
    p.add_argument("-j", type=_workers, metavar="N", help="judge N submissions at once "
                   "(default: one per core)")
    p.add_argument("--run-top-level", action="store_true",
                   help="run each submission's top-level code (a notebook's every cell, a .py "
                   "imported as a module) inside its sandbox; by default only its imports, "
                   "functions and constants are taken")
    p.add_argument("--allow-network", action="store_true",
                   help="let submissions open network sockets (blocked by default)")
    p.add_argument("--tier", choices=("all", "properties", "golden"),
                   help="default: properties (the lecture's rules), or all when the points "
                   "table says golden = true")
    p.add_argument("--profile", choices=("dev", "ci", "thorough"), default="ci",
                   help="Hypothesis profile (default ci: the same examples for every student)")
    p.add_argument("--points", metavar="FILE", help="points table (TOML; default: the course's, "
                   "refnn/grading/points.toml)")
    p.add_argument("--assignment", metavar="NAME", help="the assignment of the points table "
                   "(default: detected per submission from the functions it defines)")
    p.add_argument("--rule", metavar="ID", action="append", help="only properties citing ID")
    p.add_argument("-k", metavar="EXPR", help="only properties matching EXPR (pytest -k)")
    p.add_argument("--properties", metavar="DIR", help="the suite's properties/ directory")
    p.add_argument("--json", metavar="FILE", help="write the results (schema refnn-grade/1) "
                   "to FILE ('-': standard output)")
    p.add_argument("--json-records", action="store_true",
                   help="include every property's record in --json")
    p.add_argument("--csv", metavar="FILE", help="a row per submission × rule and a summary "
                   "row per submission")
    p.add_argument("--gradescope", metavar="FILE", help="Gradescope's results.json for the one "
                   "submission, rewritten as each rule finishes")
    p.add_argument("--html", metavar="FILE", help="a self-contained class report")
    p.add_argument("--shard", metavar="K/N", help="judge only shard K of N (deterministic)")
    p.add_argument("--shard-root", metavar="DIR", help="the folder shard keys are relative to "
                   "(default: the submissions' common folder)")
    p.add_argument("--merge", metavar="SHARD.json", nargs="+",
                   help="combine the --json documents of shards into --json FILE")
    p.add_argument("--gradescope-autograder", metavar="OUT.zip",
                   help="write a Gradescope autograder bundle (setup.sh, run_autograder)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=cmd_grade)
