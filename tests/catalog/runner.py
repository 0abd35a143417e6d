"""Run the conformance suite (``properties/``) against every entry of the bug catalog.

The catalog (this directory):

* ``mutants/_base.py``, ``mutants/_gc_base.py`` — the bases: a correct course written plainly from
  the lecture's formulas, split into small pieces (the mask draw, the scaling, the L2 term, the relu
  derivative, the fan of He's variance, …). Each is judged as a valid alternative.
* ``mutants/*.py`` — buggy implementations of the course API. Each is a complete target: it imports
  a base (``from _base import *``), redefines the piece it breaks with a realistic learner or library
  mistake, marked ``# BUG``, and ends with ``rebind(globals())``, which rebuilds the course functions
  its entry ``"breaks"`` around that piece (every other function stays the base's). The suite must
  fail on every one of them (a *kill*), with a rule the entry names in ``"kills"``.
* ``valid/*.py`` — correct implementations written differently (another random generator, other
  arithmetic, a vectorized gradient check, a learner's own notebook code). The suite must pass them.

Each file declares ``CATALOG_ENTRY = {"id", "family", "description", ...}`` (read with ``ast``; the
file is never imported here). A mutant adds ``"breaks"`` — the course functions its mistake reaches
— and ``"kills"`` — the rule ids of docs/SPEC.md its mistake breaks as a root cause. Optional keys:
``"golden": True`` — also run the golden tier (the course's seeded numbers) for this entry;
``"paths"`` — property files to run, overriding the choice below.

How one entry is judged:

* the property files run are those that mention a function the entry breaks (a mutant) or defines
  (found with ``ast``; a valid alternative), found by reading ``properties/test_*.py``, the most
  specific first: the suite's verdict on *that* function. An entry with a function that no property
  file mentions runs the whole suite;
* under the ``catalog`` Hypothesis profile (the ``ci`` profile's derandomized examples, without
  shrinking) and ``-m "not golden"``: a kill must come from a rule of the lecture, not from the
  course's seeded numbers (which any change of seeding breaks). Mutants run with ``-x`` — the first
  failing property is the kill;
* a kill is a property that *failed* (a broken rule, reported by the plugin with its rule ids) citing
  a rule the entry ``"kills"`` names; a failure citing only other rules is ``wrong-rule`` (the suite
  found the mutant, but blamed another rule). An environment error (the target could not be
  imported), an error of the suite itself, a run in which nothing ran, a crash or a time-out is an
  *error*, never a kill.

Runs happen in ``jobs`` worker interpreters (``runner.py --worker``), each judging many entries in
turn through :func:`refnn.conformance.run` — pytest, numpy, scipy and Hypothesis are imported once
per worker, not once per entry; ``--isolated`` starts a fresh interpreter for every entry instead.

Run it directly for a report: ``python tests/catalog/runner.py [-j JOBS] [--isolated] [ID ...]``
(an ID ending in ``*`` is a prefix), ``--list`` to see every entry and the files it runs,
``--all-failures`` to see every rule a mutant breaks, ``--report FILE`` for the outcomes as JSON.
"""

from __future__ import annotations

import ast
import concurrent.futures
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from refnn.conformance.course_functions import protocol_names
from refnn.conformance.outcome import TARGET_PROBLEMS, PropertyRecord

CATALOG_DIR = Path(__file__).resolve().parent
REPO = CATALOG_DIR.parent.parent
PROPERTIES = REPO / "properties"

PER_ENTRY_TIMEOUT = float(os.environ.get("REFNN_CATALOG_TIMEOUT", "240"))
"""Seconds one entry's suite run may take before it counts as an error (a hang is a suite bug)."""

_COURSE_NAMES = protocol_names()
"""The course API (docs/TARGET.md): a catalog entry breaks or redefines some of these."""


@dataclass(frozen=True)
class Entry:
    """One catalog file."""

    id: str
    kind: str  # "mutant" | "valid"
    path: Path
    family: str
    description: str
    defines: tuple[str, ...]  # course functions the entry breaks (a mutant) or (re)defines
    golden: bool = False
    paths: tuple[str, ...] | None = None
    kills: tuple[str, ...] = ()  # a mutant: the rules that must kill it (docs/SPEC.md ids)


@dataclass
class Outcome:
    """The suite's verdict on one entry."""

    entry: Entry
    verdict: str  # "killed" | "wrong-rule" | "survived" | "passed" | "failed" | "error"
    seconds: float
    returncode: int | None
    paths: tuple[str, ...]
    first_failure: str = ""  # "nodeid - message" of the first failing property
    detail: str = ""  # tail of the output when something went wrong
    counts: dict[str, int] = field(default_factory=dict)
    rules_broken: tuple[str, ...] = ()  # the run's broken rules (RunResult.rules_broken)
    killed_by: tuple[str, ...] = ()  # the rules of the kill: the first failed property's
    message: str = ""  # the first failed property's whole report

    @property
    def ok(self) -> bool:
        """The entry got the verdict it should: a mutant killed, a valid alternative passed."""
        return self.verdict == ("killed" if self.entry.kind == "mutant" else "passed")


def _read_entry(path: Path, kind: str) -> Entry:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    meta: dict[str, object] | None = None
    defines: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CATALOG_ENTRY" for t in node.targets
        ):
            meta = ast.literal_eval(node.value)
        elif isinstance(node, ast.FunctionDef) and node.name in _COURSE_NAMES:
            defines.append(node.name)
        elif isinstance(node, ast.Assign):  # aliases such as compute_loss = compute_cost
            defines += [t.id for t in node.targets if isinstance(t, ast.Name) and t.id in _COURSE_NAMES]
    if meta is None:
        raise ValueError(f"{path}: no CATALOG_ENTRY")
    paths = meta.get("paths")
    breaks = meta.get("breaks")  # a mutant overrides pieces of its base: it names what they break
    return Entry(
        id=str(meta["id"]),
        kind=kind,
        path=path,
        family=str(meta["family"]),
        description=str(meta["description"]),
        defines=tuple(breaks) if breaks else tuple(defines),  # type: ignore[arg-type]
        golden=bool(meta.get("golden", False)),
        paths=tuple(paths) if paths else None,  # type: ignore[arg-type]
        kills=tuple(meta.get("kills", ())),  # type: ignore[arg-type]
    )


def discover() -> list[Entry]:
    """Every catalog entry: the mutants, then the valid alternatives, each sorted by id. The bases
    the mutants build on (``mutants/_*.py``) are valid alternatives too: a kill means nothing if
    the mutant's base fails the suite."""
    entries = []
    for path in sorted((CATALOG_DIR / "mutants").glob("*.py")):
        if not path.name.startswith("_"):
            entries.append(_read_entry(path, "mutant"))
    for path in [*sorted((CATALOG_DIR / "mutants").glob("_*.py")),
                 *sorted((CATALOG_DIR / "valid").glob("*.py"))]:
        if path.parent.name == "mutants" or not path.name.startswith("_"):
            entries.append(_read_entry(path, "valid"))
    return entries


def property_files() -> dict[str, str]:
    """``{relative path: source}`` of the suite's property modules."""
    return {
        str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
        for p in sorted(PROPERTIES.rglob("test_*.py"))
    }


def select_paths(entry: Entry, files: dict[str, str] | None = None) -> tuple[str, ...]:
    """The property files that judge the functions ``entry`` defines, the file naming them most
    often first (with ``-x`` the run stops at the first failure, so the most specific properties
    should come first); all of ``properties/`` when one of the functions is mentioned nowhere."""
    if entry.paths:
        return entry.paths
    files = property_files() if files is None else files
    score: dict[str, int] = {}
    for name in entry.defines:
        pattern = re.compile(r"""["']""" + re.escape(name) + r"""["']|\b""" + re.escape(name) + r"\(")
        hits = {path: len(pattern.findall(text)) for path, text in files.items()}
        hits = {path: n for path, n in hits.items() if n}
        if not hits:
            return ("properties",)
        for path, n in hits.items():
            score[path] = score.get(path, 0) + n
    if not score or len(score) == len(files):
        return ("properties",)
    return tuple(sorted(score, key=lambda path: (-score[path], path)))


_MARK = "@@refnn-catalog@@ "
"""Prefix of a worker's result line (anything else a worker prints is ignored)."""


def pytest_args(entry: Entry, paths: tuple[str, ...], profile: str = "refnn-catalog",
                stop_at_first: bool = True) -> list[str]:
    """The pytest arguments for one entry, after the property files and ``--refnn-target``."""
    args = [f"--hypothesis-profile={profile}", "-q", "--no-header", "-rfE", "--tb=short",
            "-p", "no:randomly", "--refnn-run-top-level"]  # an entry ends with rebind(globals())
    if not entry.golden:
        args += ["-m", "not golden"]
    if entry.kind == "mutant" and stop_at_first:
        args.append("-x")
    return args


def _worker_main() -> int:
    """``runner.py --worker``: judge the entries named on stdin, one JSON task a line, in this
    process (refnn.conformance.run), and answer each with one ``_MARK`` + JSON line on stdout."""
    import json

    from refnn.conformance import run

    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        task = json.loads(line)
        start = time.perf_counter()
        paths = [str(REPO / p) for p in task["paths"]]
        try:
            result = run(task["target"], [*paths[1:], *task["args"]], properties=paths[0])
            answer = {
                "exit_code": result.exit_code,
                "rules_broken": sorted(result.rules_broken),
                "records": [r.to_dict() for r in result.records],
                "output": result.output[-4000:],
            }
        except BaseException as exc:  # noqa: BLE001 - report, keep serving
            answer = {"exit_code": -1, "records": [], "output": f"worker crashed: {exc!r}"}
        answer["seconds"] = time.perf_counter() - start
        out.write(_MARK + json.dumps(answer) + "\n")
        out.flush()
    return 0


class _Worker:
    """A ``runner.py --worker`` subprocess: one interpreter judging many entries in turn."""

    def __init__(self) -> None:
        import queue
        import threading

        env = dict(os.environ)
        env.pop("REFNN_TARGET", None)
        env.pop("PYTEST_ADDOPTS", None)
        env.pop("PYTEST_XDIST_WORKER", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(_MARK):
                self.lines.put(line[len(_MARK):])
        self.lines.put(None)

    def ask(self, task: dict[str, object], timeout: float) -> dict[str, object] | None:
        """The worker's answer, or ``None`` when it died or timed out (it is then stopped)."""
        import json
        import queue

        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(task) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=timeout)
        except (OSError, queue.Empty):
            line = None
        if line is None:
            self.close()
            return None
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def classify(entry: Entry, paths: tuple[str, ...], answer: dict[str, object] | None,
             seconds: float) -> Outcome:
    """Turn a worker's answer into a verdict (see the module docstring)."""
    if answer is None:
        return Outcome(entry, "error", seconds, None, paths,
                       detail=f"the suite run died or took longer than {PER_ENTRY_TIMEOUT:.0f} s")
    code = int(answer["exit_code"])  # type: ignore[arg-type]
    records = [PropertyRecord.from_dict(d) for d in answer["records"]]  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for r in records:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    failed = [r for r in records if r.outcome == "broken"]  # root causes (one bug, one rule)
    bad = [r for r in records if r.outcome in (*TARGET_PROBLEMS, "suite_error")]
    first = message = ""
    killed_by: tuple[str, ...] = ()
    if failed or bad:
        r = (failed or bad)[0]
        first = f"{r.name} [{' '.join(r.rules)}] {r.summary[:160]}"
        message = r.message
        if failed:
            killed_by = failed[0].rules
    ran = sum(counts.get(k, 0) for k in ("passed", "broken", "consequence"))
    if failed and not bad:
        if entry.kind == "valid":
            verdict = "failed"
        else:  # a kill counts when it comes from a rule the entry names (its mistake's root cause)
            verdict = "killed" if set(killed_by) & set(entry.kills) else "wrong-rule"
    elif code == 0 and not bad and ran > 0:
        verdict = "survived" if entry.kind == "mutant" else "passed"
    else:
        verdict = "error"  # environment error, suite error, nothing ran, or a crash
    detail = ""
    if verdict not in ("killed", "passed", "wrong-rule"):
        detail = "\n".join(str(answer.get("output", "")).strip().splitlines()[-30:])
    broken = tuple(answer.get("rules_broken", ()))  # type: ignore[arg-type]
    return Outcome(entry, verdict, seconds, code, paths, first, detail, counts, broken,
                   killed_by, str(message))


def run_entry(entry: Entry, files: dict[str, str] | None = None, worker: _Worker | None = None) -> Outcome:
    """Run the suite on one entry (in ``worker``, or in a fresh one) and classify the result."""
    paths = select_paths(entry, files)
    own = worker is None
    worker = worker or _Worker()
    stop = os.environ.get("REFNN_CATALOG_ALL_FAILURES", "") == ""
    task = {"target": str(entry.path), "paths": list(paths),
            "args": pytest_args(entry, paths, stop_at_first=stop)}
    start = time.perf_counter()
    try:
        answer = worker.ask(task, PER_ENTRY_TIMEOUT)
    finally:
        if own:
            worker.close()
    return classify(entry, paths, answer, time.perf_counter() - start)


def default_jobs() -> int:
    """Parallel suite runs: ``$REFNN_CATALOG_JOBS``, else the number of CPUs."""
    return int(os.environ.get("REFNN_CATALOG_JOBS", "0")) or (os.cpu_count() or 2)


def run_catalog(entries: list[Entry] | None = None, jobs: int | None = None,
                isolated: bool = False) -> list[Outcome]:
    """Run every entry, ``jobs`` at a time. By default each of the ``jobs`` worker interpreters
    judges many entries in turn (pytest, numpy, scipy and Hypothesis are imported once per worker);
    ``isolated`` starts a fresh interpreter for every entry instead (slower, nothing shared)."""
    import queue
    import threading

    entries = discover() if entries is None else entries
    files = property_files()
    jobs = max(1, min(jobs or default_jobs(), len(entries) or 1))
    todo: queue.Queue[int] = queue.Queue()
    # the slow ones first (valid alternatives run every property, mutants stop at the first failure)
    order = sorted(range(len(entries)), key=lambda i: (entries[i].kind != "valid", i))
    for i in order:
        todo.put(i)
    results: list[Outcome | None] = [None] * len(entries)

    def serve() -> None:
        worker: _Worker | None = None
        while True:
            try:
                i = todo.get_nowait()
            except queue.Empty:
                break
            if not isolated and worker is None:
                worker = _Worker()
            outcome = run_entry(entries[i], files, worker)
            results[i] = outcome
            if worker is not None and worker.proc.poll() is not None:
                worker = None  # it died or was stopped: start a fresh one for the next entry
        if worker is not None:
            worker.close()

    threads = [threading.Thread(target=serve) for _ in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def outcome_record(o: Outcome) -> dict[str, object]:
    """One entry's outcome as JSON-ready data."""
    return {"id": o.entry.id, "kind": o.entry.kind, "verdict": o.verdict, "seconds": o.seconds,
            "breaks": list(o.entry.defines), "kills": list(o.entry.kills),
            "killed_by": list(o.killed_by), "rules_broken": list(o.rules_broken),
            "paths": list(o.paths), "counts": o.counts, "message": o.message}


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished child processes."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(outcomes: list[Outcome], wall: float | None = None, cpu: float | None = None) -> str:
    """A report: one line per entry, then the kill rate and the valid alternatives' pass rate."""
    lines = []
    mutants = [o for o in outcomes if o.entry.kind == "mutant"]
    valid = [o for o in outcomes if o.entry.kind == "valid"]
    width = max((len(o.entry.id) for o in outcomes), default=10)
    for o in outcomes:
        where = o.first_failure or ", ".join(f"{v} {k}" for k, v in o.counts.items())
        lines.append(f"{o.entry.kind:6} {o.entry.id:{width}} {o.verdict:10} {o.seconds:5.1f}s  {where}")
        if o.verdict == "wrong-rule":
            lines.append(f"{'':6} {'':{width}} killed by {' '.join(o.killed_by)}, but the entry "
                         f"names {' '.join(o.entry.kills)}")
        if os.environ.get("REFNN_CATALOG_ALL_FAILURES") and o.rules_broken:
            lines.append(f"{'':6} {'':{width}} rules broken: {' '.join(o.rules_broken)}")
        if o.detail and not o.ok:
            lines += ["        | " + line for line in o.detail.splitlines()]
    killed = sum(o.verdict in ("killed", "wrong-rule") for o in mutants)
    named = sum(o.verdict == "killed" for o in mutants)
    passed = sum(o.verdict == "passed" for o in valid)
    rate = 100.0 * killed / len(mutants) if mutants else 0.0
    lines.append(f"catalog kill rate: {killed}/{len(mutants)} = {rate:.0f}%")
    lines.append(f"killed by a rule the entry names: {named}/{len(mutants)}")
    lines.append(f"valid alternatives passing: {passed}/{len(valid)}")
    if wall is not None:
        busy = sum(o.seconds for o in outcomes)
        lines.append(f"catalog run time: {wall:.1f} s wall, {busy:.1f} s of suite runs "
                     f"{default_jobs()} at a time" + (f", {cpu:.1f} CPU-s" if cpu is not None else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="entry ids to run (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--list", action="store_true", help="list the catalog and the files each entry runs")
    parser.add_argument("--isolated", action="store_true", help="a fresh interpreter for every entry")
    parser.add_argument("--all-failures", action="store_true",
                        help="do not stop a mutant's run at its first failure; list every rule broken")
    parser.add_argument("--report", metavar="FILE",
                        help="also write every entry's outcome (with the first failure's whole "
                             "report) to FILE as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker_main()
    entries = discover()
    if args.ids:
        entries = [e for e in entries if e.id in args.ids or any(e.id.startswith(i.rstrip("*")) and i.endswith("*") for i in args.ids)]
    if args.list:
        files = property_files()
        for e in entries:
            print(f"{e.kind:6} {e.id:34} {e.family:5} {','.join(e.defines):40} {' '.join(select_paths(e, files))}")
            print(f"{'':6} {e.description}")
        return 0
    if args.jobs:
        os.environ["REFNN_CATALOG_JOBS"] = str(args.jobs)
    if args.all_failures:
        os.environ["REFNN_CATALOG_ALL_FAILURES"] = "1"
    start, cpu0 = time.perf_counter(), children_cpu()
    outcomes = run_catalog(entries, args.jobs, isolated=args.isolated)
    print(summary(outcomes, time.perf_counter() - start, children_cpu() - cpu0))
    if args.report:
        import json

        Path(args.report).write_text(json.dumps([outcome_record(o) for o in outcomes], indent=1,
                                                ensure_ascii=False), encoding="utf-8")
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
