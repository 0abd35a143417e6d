"""Throughput of ``refnn grade`` against a loop of ``refnn conform`` processes, on the same class.

The class: ``--n`` submissions (default 30) made from tests/notebooks/*.ipynb (the course's
notebook shapes, correct and buggy), tests/catalog/mutants/ entries and
hostile files of tests/grading/hostile/ (segfault, os._exit, memory, empty, top-level loop, …;
the two that hang and the memory hog are left out: a plain conform loop has no wall clock and no
memory limit, and would wait on them, or take the machine's memory).

Both sides judge every submission with the same tier and profile. The conform loop runs
``python -m refnn conform --target F --json OUT`` once per file (a fresh process each, as a
teacher's shell loop does) and its verdict is made from its JSON records by the same
:func:`refnn.grading.grade.grade`; a process that leaves no JSON (a crash, ``os._exit``) is an
``error``. The two must give identical verdicts (the script exits 1 otherwise).

    python bench/grade.py [--n 30] [-j 2] [--profile ci] [--rule L2 ...]

Last line: ``grade throughput = X submissions/min; conform loop = Y/min; speedup = Z``.
The machine's load average is printed first: on a shared machine the absolute figures move, the
ratio (measured in the same run) less so.
"""

from __future__ import annotations

import argparse
import json
import os
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
from refnn.grading.grade import grade  # noqa: E402
from refnn.grading.isolate import Ending, IsolatedResult  # noqa: E402

HOSTILE = ("segfault", "exit_in_function", "empty", "toplevel_loop",
           "print_flood", "reseed", "seterr_raise", "lingering_thread", "keyboard_interrupt")


def make_class(folder: Path, n: int) -> list[Path]:
    sources = sorted((ROOT / "tests" / "notebooks").glob("*.ipynb"))
    # (tests/catalog/valid/ is left out: its entries keep state in module-level variables, and
    # refnn grade never runs top-level code, while refnn conform imports a .py file whole)
    sources += [ROOT / "tests" / "grading" / "hostile" / f"{h}.py" for h in HOSTILE]
    sources += sorted((ROOT / "tests" / "catalog" / "mutants").glob("*.py"))
    out: list[Path] = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"s{i:03d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def conform_verdict(path: Path, args: argparse.Namespace, table: points_mod.Points,
                    tmp: Path) -> str:
    out = tmp / (path.name + ".json")
    cmd = [sys.executable, "-m", "refnn", "conform", "--target", str(path), "--tier", args.tier,
           "--profile", args.profile, "--json", str(out), "--no-progress"]
    for r in args.rule or ():
        cmd += ["--rule", r]
    try:
        subprocess.run(cmd, capture_output=True, env=env(), timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "error"
    if not out.is_file():
        return "error"
    try:
        doc = json.loads(out.read_text())
    except ValueError:
        return "error"
    records = tuple(records_from_json(doc))
    from refnn.grading.child import defined_functions

    result = IsolatedResult(str(path), records, Ending("finished"), 0.0,
                            pytest_exit=int(doc.get("pytest_exit_status", 0)),
                            defines=tuple(defined_functions(path)))
    return grade(result, table).verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("-j", type=int, default=2)
    parser.add_argument("--tier", default="properties")
    parser.add_argument("--profile", default="ci")
    parser.add_argument("--rule", action="append")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} cores; {args.n} submissions, tier {args.tier}, profile "
          f"{args.profile}, grade -j {args.j}", flush=True)
    table = points_mod.load()
    with tempfile.TemporaryDirectory(prefix="refnn-bench-grade-") as d:
        tmp = Path(d)
        folder = tmp / "class"
        folder.mkdir()
        files = make_class(folder, args.n)
        out = tmp / "grade.json"
        cmd = [sys.executable, "-m", "refnn", "grade", str(folder), "-j", str(args.j),
               "--tier", args.tier, "--profile", args.profile, "--timeout", str(args.timeout),
               "--json", str(out), "-q"]
        for r in args.rule or ():
            cmd += ["--rule", r]
        t0 = time.monotonic()
        subprocess.run(cmd, capture_output=True, env=env())
        t_grade = time.monotonic() - t0
        graded = {Path(s["path"]).name: s["verdict"]
                  for s in json.loads(out.read_text())["submissions"]}
        print(f"refnn grade: {t_grade:.1f} s", flush=True)
        t0 = time.monotonic()
        looped = {f.name: conform_verdict(f, args, table, tmp) for f in files}
        t_loop = time.monotonic() - t0
        print(f"conform loop: {t_loop:.1f} s", flush=True)
    differ = {k: (graded.get(k), v) for k, v in looped.items() if graded.get(k) != v}
    for name, (g, c) in sorted(differ.items()):
        print(f"verdicts differ: {name}: grade {g}, conform loop {c}")
    if not differ:
        print(f"identical verdicts for all {len(files)} submissions "
              f"({sum(v == 'pass' for v in looped.values())} pass, "
              f"{sum(v == 'fail' for v in looped.values())} fail, "
              f"{sum(v == 'error' for v in looped.values())} error)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    g_rate, l_rate = len(files) / t_grade * 60, len(files) / t_loop * 60
    print(f"grade throughput = {g_rate:.1f} submissions/min; conform loop = {l_rate:.1f}/min; "
          f"speedup = {g_rate / l_rate:.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
