"""Throughput of ``refnn grade`` against a loop of ``refnn conform`` processes, on the same class.

The class: ``--n`` submissions (default 30) made, in turn, from the course's notebook shapes —
the three assignments' notebooks, correct and buggy: tests/notebooks/*.ipynb (Regularization,
Gradient Checking) and tests/grading/notebooks/*.ipynb (Initialization). ``--hostile`` mixes in
the hostile files of tests/grading/hostile/ that a plain conform loop can also survive (segfault,
os._exit, empty, print flood, reseed, seterr, lingering thread, KeyboardInterrupt; not the ones
that hang or exhaust memory, nor the top-level loop: ``refnn conform`` runs a ``.py`` file's
top-level code, and has no wall clock or memory limit).

Both sides judge every submission with the same tier and profile. The conform loop runs
``python -m refnn conform --target F --json OUT`` once per file (a fresh process each, as a
teacher's shell loop does) and its verdict is made from its JSON records by the same
:func:`refnn.grading.grade.grade`; a process that leaves no JSON (a crash, ``os._exit``) is an
``error``. The two must give identical verdicts, scores and broken rules (exit 1 otherwise).

    python bench/grade.py [--n 30] [-j 2] [--profile ci] [--rule L2 ...] [--hostile] [--one-core]

The machine is shared, so wall-clock rates move with its load: the load average is printed before
and after, and so is the CPU time (user + system), which does not depend on the load — of each
judging child (``cpu_seconds`` of refnn grade's JSON, from ``os.wait4``), of refnn grade's parent
(start-up, imports, the one collection; the grade process's CPU minus its children's), and of each
conform process. From it: the projected throughput on ``-j`` cores,
``n / (parent CPU + Σ child CPU / j) × 60`` (the parent's work taken as serial).
``--one-core`` also times Gradescope's default container shape: one submission of each assignment
(the correct notebooks) judged by a fresh ``taskset -c 0 python -m refnn grade F -j 1 --memory 768``
(RNG-independent tier), start-up included.

Last line: ``grade throughput = X submissions/min; conform loop = Y/min; speedup = Z``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refnn.conformance.report import records_from_json  # noqa: E402
from refnn.grading import points as points_mod  # noqa: E402
from refnn.grading.grade import SubmissionGrade, grade  # noqa: E402
from refnn.grading.isolate import Ending, IsolatedResult  # noqa: E402

HOSTILE = ("segfault", "exit_in_function", "empty", "print_flood", "reseed", "seterr_raise",
           "lingering_thread", "keyboard_interrupt")
ONE_CORE = ("regularization_correct.ipynb", "gradient_checking_correct.ipynb",
            "initialization_correct.ipynb")


def notebooks() -> list[Path]:
    """The course's notebook shapes: every assignment's, correct and buggy."""
    return sorted([*(ROOT / "tests" / "notebooks").glob("*.ipynb"),
                   *(ROOT / "tests" / "grading" / "notebooks").glob("*.ipynb")],
                  key=lambda p: p.name)


def make_class(folder: Path, n: int, hostile: bool = False) -> list[Path]:
    sources = notebooks()
    if hostile:
        sources += [ROOT / "tests" / "grading" / "hostile" / f"{h}.py" for h in HOSTILE]
    out: list[Path] = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"s{i:03d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def children_cpu() -> float:
    """CPU seconds (user + system) of every waited-for descendant of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def conform_grade(path: Path, args: argparse.Namespace, table: points_mod.Points,
                  tmp: Path) -> tuple[str, float, tuple[str, ...]]:
    """(verdict, score, rules broken) of one ``refnn conform`` process."""
    out = tmp / (path.name + ".json")
    cmd = [sys.executable, "-m", "refnn", "conform", "--target", str(path), "--tier", args.tier,
           "--profile", args.profile, "--json", str(out), "--no-progress"]
    for r in args.rule or ():
        cmd += ["--rule", r]
    try:
        subprocess.run(cmd, capture_output=True, env=env(), timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "error", 0.0, ()
    if not out.is_file():
        return "error", 0.0, ()
    try:
        doc = json.loads(out.read_text())
    except ValueError:
        return "error", 0.0, ()
    records = tuple(records_from_json(doc))
    from refnn.grading.child import defined_functions

    result = IsolatedResult(str(path), records, Ending("finished"), 0.0,
                            pytest_exit=int(doc.get("pytest_exit_status", 0)),
                            defines=tuple(defined_functions(path)))
    g: SubmissionGrade = grade(result, table)
    return g.verdict, g.score, g.rules_broken


def one_core(args: argparse.Namespace, tmp: Path) -> None:
    """Gradescope's default shape: one core, 768 MB, one submission per fresh process."""
    taskset = shutil.which("taskset")
    for name in ONE_CORE:
        src = next(p for p in notebooks() if p.name == name)
        out = tmp / f"one-{name}.json"
        cmd = [*([taskset, "-c", "0"] if taskset else []), sys.executable, "-m", "refnn", "grade",
               str(src), "-j", "1", "--memory", "768", "--tier", "properties", "--profile",
               args.profile, "--json", str(out), "-q"]
        before, t0 = children_cpu(), time.monotonic()
        subprocess.run(cmd, capture_output=True, env=env())
        wall, cpu = time.monotonic() - t0, children_cpu() - before
        doc = json.loads(out.read_text())["submissions"][0]
        print(f"one core{'' if taskset else ' (no taskset here: not pinned)'}, 768 MB, "
              f"tier properties: {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, start-up included "
              f"({doc['verdict']}; judging process {doc['cpu_seconds']:.1f} s CPU); "
              f"load {load()}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("-j", type=int, default=2)
    parser.add_argument("--tier", default="properties")
    parser.add_argument("--profile", default="ci")
    parser.add_argument("--rule", action="append")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--hostile", action="store_true",
                        help="mix in the hostile submissions a conform loop survives")
    parser.add_argument("--one-core", action="store_true",
                        help="also time one submission per assignment on one core, 768 MB")
    parser.add_argument("--no-loop", action="store_true",
                        help="refnn grade only (no conform loop, no verdict comparison)")
    args = parser.parse_args()
    print(f"load average: {load()} on {os.cpu_count()} cores; {args.n} submissions, tier "
          f"{args.tier}, profile {args.profile}, grade -j {args.j}", flush=True)
    table = points_mod.load()
    with tempfile.TemporaryDirectory(prefix="refnn-bench-grade-") as d:
        tmp = Path(d)
        if args.one_core:
            one_core(args, tmp)
        folder = tmp / "class"
        folder.mkdir()
        files = make_class(folder, args.n, args.hostile)
        out = tmp / "grade.json"
        cmd = [sys.executable, "-m", "refnn", "grade", str(folder), "-j", str(args.j),
               "--tier", args.tier, "--profile", args.profile, "--timeout", str(args.timeout),
               "--json", str(out), "-q"]
        for r in args.rule or ():
            cmd += ["--rule", r]
        cpu0, t0 = children_cpu(), time.monotonic()
        subprocess.run(cmd, capture_output=True, env=env())
        t_grade, cpu_grade = time.monotonic() - t0, children_cpu() - cpu0
        subs = json.loads(out.read_text())["submissions"]
        graded = {Path(s["path"]).name: (s["verdict"], round(float(s["score"]), 2),
                                         tuple(s["rules_broken"])) for s in subs}
        child_cpu = [float(s.get("cpu_seconds", 0.0)) for s in subs]
        parent_cpu = max(0.0, cpu_grade - sum(child_cpu))
        mean_child = sum(child_cpu) / len(child_cpu)
        projected = len(files) / (parent_cpu + sum(child_cpu) / args.j) * 60
        print(f"refnn grade: {t_grade:.1f} s wall (load after: {load()}); CPU: "
              f"{mean_child:.2f} s per submission (min {min(child_cpu):.2f}, max "
              f"{max(child_cpu):.2f}) + {parent_cpu:.1f} s in the parent; projected on "
              f"{args.j} cores from CPU time: {projected:.1f} submissions/min", flush=True)
        if args.no_loop:
            print(f"grade throughput = {len(files) / t_grade * 60:.1f} submissions/min")
            return 0
        cpu0, t0 = children_cpu(), time.monotonic()
        looped = {f.name: conform_grade(f, args, table, tmp) for f in files}
        t_loop, cpu_loop = time.monotonic() - t0, children_cpu() - cpu0
        print(f"conform loop: {t_loop:.1f} s wall (load after: {load()}); CPU: "
              f"{cpu_loop / len(files):.2f} s per submission; CPU ratio (loop / grade) = "
              f"{cpu_loop / cpu_grade:.2f}", flush=True)
    differ = {k: (graded.get(k), v) for k, v in looped.items() if graded.get(k) != v}
    for name, (g, c) in sorted(differ.items()):
        print(f"verdicts differ: {name}: grade {g}, conform loop {c}")
    verdicts = [v[0] for v in looped.values()]
    if not differ:
        print(f"identical verdicts, scores and broken rules for all {len(files)} submissions "
              f"({verdicts.count('pass')} pass, {verdicts.count('fail')} fail, "
              f"{verdicts.count('error')} error)")
    print(f"load average after: {load()}")
    g_rate, l_rate = len(files) / t_grade * 60, len(files) / t_loop * 60
    print(f"grade throughput = {g_rate:.1f} submissions/min; conform loop = {l_rate:.1f}/min; "
          f"speedup = {g_rate / l_rate:.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
