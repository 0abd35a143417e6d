"""Run the conformance suite (``properties/``) against every entry of the bug catalog.

The catalog (this directory):

* ``mutants/*.py`` — buggy implementations of the course API. Each is a complete target: it starts
  with ``from refnn.course import *`` (the correct implementation) and redefines one function (or one
  aspect, e.g. a consistent pair) with a realistic learner or library mistake, marked ``# BUG``.
  The suite must fail on every one of them (a *kill*).
* ``valid/*.py`` — correct implementations written differently (another random generator, other
  arithmetic, a vectorized gradient check, a learner's own notebook code). The suite must pass them.

Each file declares ``CATALOG_ENTRY = {"id", "family", "description", ...}`` (read with ``ast``; the
file is never imported here). Optional keys: ``"golden": True`` — also run the golden tier (the course's
seeded numbers) for this entry; ``"paths"`` — property files to run, overriding the automatic choice.

How one entry is judged (one ``pytest`` subprocess per entry, several at a time):

* the property files run are those that mention a function the entry defines (found by reading
  ``properties/test_*.py``): the suite's verdict on that function, not on unrelated ones — a
  mutant killed elsewhere would not show that the right rule catches it. Entries that define a
  function no property file mentions run the whole suite;
* mutants run with ``-x`` (stop at the first failure: one failure is a kill) under the ``ci``
  Hypothesis profile and ``-m "not golden"`` — a kill must come from a rule of the lecture, not from
  the course's seeded numbers (which any change of arithmetic or seeding breaks);
* a run that fails because the target could not be imported (the suite's ``ENVIRONMENT ERROR``),
  that collects nothing, or that crashes/times out is an *error*, never a kill.

Run it directly for a report: ``python tests/catalog/runner.py [-j JOBS] [ID ...]``.
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

CATALOG_DIR = Path(__file__).resolve().parent
REPO = CATALOG_DIR.parent.parent
PROPERTIES = REPO / "properties"

PER_ENTRY_TIMEOUT = float(os.environ.get("REFNN_CATALOG_TIMEOUT", "240"))
"""Seconds one entry's suite run may take before it counts as an error (a hang is a suite bug)."""

_COURSE_NAMES = (
    "initialize_parameters_zeros", "initialize_parameters_random", "initialize_parameters_he",
    "initialize_parameters", "forward_propagation", "backward_propagation", "compute_cost",
    "compute_loss", "update_parameters", "predict", "compute_cost_with_regularization",
    "backward_propagation_with_regularization", "forward_propagation_with_dropout",
    "backward_propagation_with_dropout", "gradient_check", "dictionary_to_vector",
    "vector_to_dictionary", "gradients_to_vector", "forward_propagation_n",
    "backward_propagation_n", "gradient_check_n",
)
"""The course API (docs/DEVNOTES-API.md): a catalog entry redefines some of these."""


@dataclass(frozen=True)
class Entry:
    """One catalog file."""

    id: str
    kind: str  # "mutant" | "valid"
    path: Path
    family: str
    description: str
    defines: tuple[str, ...]  # course functions the file (re)defines
    golden: bool = False
    paths: tuple[str, ...] | None = None


@dataclass
class Outcome:
    """The suite's verdict on one entry."""

    entry: Entry
    verdict: str  # "killed" | "survived" | "passed" | "failed" | "error"
    seconds: float
    returncode: int | None
    paths: tuple[str, ...]
    first_failure: str = ""  # "nodeid - message" of the first failing property
    detail: str = ""  # tail of the output when something went wrong
    counts: dict[str, int] = field(default_factory=dict)

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
    return Entry(
        id=str(meta["id"]),
        kind=kind,
        path=path,
        family=str(meta["family"]),
        description=str(meta["description"]),
        defines=tuple(defines),
        golden=bool(meta.get("golden", False)),
        paths=tuple(paths) if paths else None,  # type: ignore[arg-type]
    )


def discover() -> list[Entry]:
    """Every catalog entry: the mutants, then the valid alternatives, each sorted by id."""
    entries = []
    for kind, sub in (("mutant", "mutants"), ("valid", "valid")):
        for path in sorted((CATALOG_DIR / sub).glob("*.py")):
            if not path.name.startswith("_"):
                entries.append(_read_entry(path, kind))
    return entries


def property_files() -> dict[str, str]:
    """``{relative path: source}`` of the suite's property modules."""
    return {
        str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
        for p in sorted(PROPERTIES.rglob("test_*.py"))
    }


def select_paths(entry: Entry, files: dict[str, str] | None = None) -> tuple[str, ...]:
    """The property files that judge the functions ``entry`` defines (all of ``properties/`` if
    one of them is mentioned nowhere, or for an entry that redefines most of the API)."""
    if entry.paths:
        return entry.paths
    files = property_files() if files is None else files
    chosen: set[str] = set()
    for name in entry.defines:
        pattern = re.compile(r"""["']""" + re.escape(name) + r"""["']|\b""" + re.escape(name) + r"\(")
        hits = {path for path, text in files.items() if pattern.search(text)}
        if not hits:
            return ("properties",)
        chosen |= hits
    if not chosen or len(chosen) == len(files):
        return ("properties",)
    return tuple(sorted(chosen))


_FAILED = re.compile(r"^(FAILED|ERROR) (\S+)(?: - (.*))?$", re.M)
_COUNTS = re.compile(r"(\d+) (passed|failed|skipped|deselected|error|errors|xfailed|xpassed)")


def command(entry: Entry, paths: tuple[str, ...], *, golden: bool = False) -> list[str]:
    """The pytest command line for one entry."""
    cmd = [
        sys.executable, "-m", "pytest", *paths,
        f"--target={entry.path}",
        "--hypothesis-profile=ci",
        "-p", "no:cacheprovider",
        "-q", "-rfE", "--no-header", "--tb=line",
    ]
    if not golden:
        cmd += ["-m", "not golden"]
    if entry.kind == "mutant":
        cmd.append("-x")
    return cmd


def run_entry(entry: Entry, files: dict[str, str] | None = None) -> Outcome:
    """Run the suite on one entry and classify the result."""
    paths = select_paths(entry, files)
    cmd = command(entry, paths, golden=entry.golden)
    env = dict(os.environ)
    env.pop("REFNN_TARGET", None)
    env.pop("PYTEST_ADDOPTS", None)
    env.setdefault("PYTHONHASHSEED", "0")
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=PER_ENTRY_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"")
        text = out.decode(errors="replace") if isinstance(out, bytes) else out
        return Outcome(entry, "error", time.perf_counter() - start, None, paths,
                       detail=f"timed out after {PER_ENTRY_TIMEOUT:.0f} s\n" + text[-2000:])
    seconds = time.perf_counter() - start
    out = proc.stdout + proc.stderr
    counts: dict[str, int] = {}
    tail = out.strip().splitlines()[-1] if out.strip() else ""
    for n, word in _COUNTS.findall(tail):
        counts[word.rstrip("s") if word in ("errors",) else word] = int(n)
    failures = _FAILED.findall(out)
    first = ""
    if failures:
        kind, nodeid, msg = failures[0]
        first = f"{nodeid} - {msg}".strip(" -") if kind == "FAILED" else f"ERROR {nodeid} - {msg}"
    environment = "ENVIRONMENT ERROR" in out
    ran = counts.get("passed", 0) + counts.get("failed", 0)
    if proc.returncode == 0:
        verdict = "passed" if entry.kind == "valid" else "survived"
        if ran == 0:
            verdict = "error"  # everything skipped: nothing was judged
    elif proc.returncode == 1 and failures and not environment:
        verdict = "killed" if entry.kind == "mutant" else "failed"
    else:
        verdict = "error"
    detail = "" if verdict in ("killed", "passed") else "\n".join(out.strip().splitlines()[-25:])
    return Outcome(entry, verdict, seconds, proc.returncode, paths, first, detail, counts)


def default_jobs() -> int:
    """Parallel suite runs: ``$REFNN_CATALOG_JOBS``, else the number of CPUs."""
    return int(os.environ.get("REFNN_CATALOG_JOBS", "0")) or (os.cpu_count() or 2)


def run_catalog(entries: list[Entry] | None = None, jobs: int | None = None) -> list[Outcome]:
    """Run every entry (slowest-first scheduling is not needed: runs are short and similar)."""
    entries = discover() if entries is None else entries
    files = property_files()
    jobs = jobs or default_jobs()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda e: run_entry(e, files), entries))


def summary(outcomes: list[Outcome], wall: float | None = None) -> str:
    """A report: one line per entry, then the kill rate and the valid alternatives' pass rate."""
    lines = []
    mutants = [o for o in outcomes if o.entry.kind == "mutant"]
    valid = [o for o in outcomes if o.entry.kind == "valid"]
    width = max((len(o.entry.id) for o in outcomes), default=10)
    for o in outcomes:
        where = o.first_failure or ", ".join(f"{v} {k}" for k, v in o.counts.items())
        lines.append(f"{o.entry.kind:6} {o.entry.id:{width}} {o.verdict:8} {o.seconds:5.1f}s  {where}")
        if o.detail and not o.ok:
            lines += ["        | " + line for line in o.detail.splitlines()]
    killed = sum(o.verdict == "killed" for o in mutants)
    passed = sum(o.verdict == "passed" for o in valid)
    rate = 100.0 * killed / len(mutants) if mutants else 0.0
    lines.append(f"catalog kill rate: {killed}/{len(mutants)} = {rate:.0f}%")
    lines.append(f"valid alternatives passing: {passed}/{len(valid)}")
    if wall is not None:
        cpu = sum(o.seconds for o in outcomes)
        lines.append(f"catalog run time: {wall:.1f} s wall ({cpu:.1f} s of suite runs, "
                     f"{default_jobs()} at a time)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="entry ids to run (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--list", action="store_true", help="list the catalog and the files each entry runs")
    args = parser.parse_args(argv)
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
    start = time.perf_counter()
    outcomes = run_catalog(entries, args.jobs)
    print(summary(outcomes, time.perf_counter() - start))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
