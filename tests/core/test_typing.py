"""refnn's types: ``mypy --strict refnn`` is clean, the package ships ``py.typed``, and the public
signatures catch a user's mistakes.

The last part is tested the way numpy tests its own annotations: ``tests/typing/pass/*.py`` are
scripts a user could write (``typing.assert_type`` pins the return types of the main functions)
and must pass ``mypy --strict``; in ``tests/typing/fail/*.py`` every line marked
``# E: <fragment>`` must draw a mypy error containing the fragment, and no other line may draw
one. mypy runs in-process (``mypy.api``), once per folder and per session, from an empty
temporary folder with an empty config and its cache in a temporary folder — so refnn is found
the way a user's script finds it: on the interpreter's import path (an installed or an editable
install, or ``PYTHONPATH``), not through this repository's working directory or config.
The scripts also run: the pass scripts without error, and each ``# E:`` line of a fail script
is refused at run time too (``TypeError``/``ValueError``), so the annotations and the runtime
checks for untyped callers agree.
"""

from __future__ import annotations

import importlib.util
import os
import re
import runpy
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

import refnn

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parents[1] / "typing"
PASS = sorted((SCRIPTS / "pass").glob("*.py"))
FAIL = sorted((SCRIPTS / "fail").glob("*.py"))

needs_mypy = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (it is in the dev extra: pip install -e '.[dev]')",
)

_MARK = re.compile(r"\S.*\s# E: (?P<fragment>.*?)\s*$")  # a statement, then "  # E: ..."
_REPORT = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*)$")
_FOUND_REFNN = re.compile(
    r"(?:Parsing (?P<parsed>\S+) \(refnn\)|Metadata fresh for refnn: file (?P<fresh>\S+))"
)


def test_package_ships_py_typed() -> None:
    assert (Path(refnn.__file__).parent / "py.typed").is_file()


def test_mypy_strict_is_clean() -> None:
    if shutil.which("mypy") is None and subprocess.run(
        [sys.executable, "-m", "mypy", "--version"], capture_output=True
    ).returncode != 0:
        pytest.skip("mypy is not installed (it is in the dev extra: pip install -e '.[dev]')")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "refnn"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the scripts --------------------------------------------------------------------------------


def marked_lines(path: Path) -> dict[int, str]:
    """``{line number: fragment}`` of the ``# E: <fragment>`` lines of a fail script."""
    marks = {}
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found = _MARK.search(text)
        if found:
            marks[number] = found["fragment"]
    return marks


@dataclass(frozen=True)
class MypyRun:
    """One mypy run over a folder: its errors by file and line, and what it printed."""

    errors: dict[Path, dict[int, list[str]]]
    refnn_init: Path | None
    stdout: str
    stderr: str
    status: int

    def errors_outside(self, scripts: list[Path]) -> dict[Path, dict[int, list[str]]]:
        return {path: errs for path, errs in self.errors.items() if path not in scripts}


def parse_report(stdout: str) -> dict[Path, dict[int, list[str]]]:
    """mypy's ``path:line: error: message`` lines, by file and line (notes are left out)."""
    errors: dict[Path, dict[int, list[str]]] = {}
    for text in stdout.splitlines():
        found = _REPORT.match(text)
        if found and found["severity"] == "error":
            per_file = errors.setdefault(Path(found["path"]).resolve(), {})
            per_file.setdefault(int(found["line"]), []).append(found["message"])
    return errors


@pytest.fixture(scope="session")
def mypy_on(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], MypyRun]]:
    """``mypy_on("pass")``: mypy --strict over ``tests/typing/pass/*.py`` (run once, then cached)."""
    from mypy import api

    work = tmp_path_factory.mktemp("typing-scripts")
    config = work / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")  # neither this repository's nor the user's
    runs: dict[str, MypyRun] = {}

    def run(folder: str) -> MypyRun:
        if folder not in runs:
            files = sorted(str(p) for p in (SCRIPTS / folder).glob("*.py"))
            args = ["--strict", "--config-file", str(config), "--cache-dir", str(work / "cache"),
                    "--show-absolute-path", "--no-error-summary", "--hide-error-context",
                    "--no-pretty", "--no-color-output", "--verbose", *files]
            here = os.getcwd()
            os.chdir(work)  # mypy also searches its working directory: not this repository
            try:
                stdout, stderr, status = api.run(args)
            finally:
                os.chdir(here)
            found = [m["parsed"] or m["fresh"] for m in _FOUND_REFNN.finditer(stderr)]
            runs[folder] = MypyRun(parse_report(stdout), Path(found[-1]) if found else None,
                                   stdout, stderr[-4000:], status)
        return runs[folder]

    yield run


@needs_mypy
def test_mypy_reads_the_refnn_under_test(mypy_on: Callable[[str], MypyRun]) -> None:
    run = mypy_on("pass")
    assert run.refnn_init is not None, "could not tell from mypy's log where it found refnn"
    assert run.refnn_init.resolve() == Path(refnn.__file__).resolve(), (
        f"mypy read refnn from {run.refnn_init}, the tests import {refnn.__file__}"
    )


@needs_mypy
@pytest.mark.parametrize("script", PASS, ids=lambda p: p.name)
def test_pass_script_type_checks(script: Path, mypy_on: Callable[[str], MypyRun]) -> None:
    run = mypy_on("pass")
    assert not run.errors_outside(PASS), run.stdout
    errors = run.errors.get(script.resolve(), {})
    assert not errors, "\n".join(f"{script.name}:{n}: {m}" for n, ms in errors.items() for m in ms)
    assert run.status == 0, run.stdout + run.stderr


@needs_mypy
@pytest.mark.parametrize("script", FAIL, ids=lambda p: p.name)
def test_fail_script_errors_exactly_where_marked(script: Path,
                                                 mypy_on: Callable[[str], MypyRun]) -> None:
    run = mypy_on("fail")
    assert not run.errors_outside(FAIL), run.stdout
    marks = marked_lines(script)
    assert marks, f"{script.name} marks no line with '# E: <fragment>'"
    errors = run.errors.get(script.resolve(), {})
    problems = [f"line {n}: no error containing {fragment!r}; got {errors.get(n, [])}"
                for n, fragment in marks.items()
                if not any(fragment in message for message in errors.get(n, []))]
    problems += [f"line {n}: unexpected error(s) {messages}"
                 for n, messages in errors.items() if n not in marks]
    assert not problems, f"{script.name}:\n" + "\n".join(problems)


def _restoring_numpy_state() -> Callable[[], None]:
    state = np.random.get_state()
    return lambda: np.random.set_state(state)  # refnn.course seeds numpy's global stream


@pytest.mark.parametrize("script", PASS, ids=lambda p: p.name)
def test_pass_script_runs(script: Path) -> None:
    restore = _restoring_numpy_state()
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        restore()


@pytest.mark.parametrize("script", FAIL, ids=lambda p: p.name)
def test_fail_script_lines_are_refused_at_run_time(script: Path) -> None:
    """What the type checker rejects, the runtime refuses too (for callers without one)."""
    marks = marked_lines(script)
    lines = script.read_text(encoding="utf-8").splitlines()
    setup = "\n".join("pass" if n in marks else text for n, text in enumerate(lines, start=1))
    namespace: dict[str, object] = {"__name__": "__main__"}
    restore = _restoring_numpy_state()
    try:
        exec(compile(setup, str(script), "exec"), namespace)
        accepted = []
        for n in marks:
            statement = lines[n - 1]
            try:
                exec(compile(statement, f"{script}:{n}", "exec"), namespace)
            except (TypeError, ValueError):
                continue
            accepted.append(f"line {n}: {statement.split('#')[0].strip()}")
    finally:
        restore()
    assert not accepted, "accepted at run time:\n" + "\n".join(accepted)


# --- the option names: one Literal, one runtime tuple, and what the functions accept -------------


def _literal_aliases() -> dict[str, tuple[object, ...]]:
    from refnn import types

    return {name: typing.get_args(value) for name, value in vars(types).items()
            if typing.get_origin(value) is typing.Literal}


def _tuple_name(alias: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", alias).upper() + "S"


def test_every_option_literal_has_its_runtime_tuple() -> None:
    from refnn import types

    aliases = _literal_aliases()
    assert {"InitScheme", "Distribution", "Method", "Engine", "Optimizer"} <= set(aliases)
    for alias, names in aliases.items():
        assert getattr(types, _tuple_name(alias)) == names, alias


def _accepts(call: Callable[[object], object], name: object) -> bool:
    try:
        call(name)
    except ValueError:
        return False
    return True


def _option_calls() -> dict[str, Callable[[object], object]]:
    """For each option Literal: a call passing one name to the function that takes it (the way an
    untyped caller would)."""
    from refnn.augmentation import rotate
    from refnn.course import initialization
    from refnn.gradcheck import ParamLayout, check_network, numerical_gradient
    from refnn.init import initialize
    from refnn.weight_decay import optimizer_step

    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3))
    Y = np.array([[0.0, 1.0, 1.0]])
    p = initialize([2, 2, 1], rng=rng)
    g = {f"d{k}": np.ones_like(v) for k, v in p.items()}
    theta = np.array([0.5, -1.0])

    def course_model(name: object) -> object:
        return initialization.model(X, Y, num_iterations=0, print_cost=False,
                                    initialization=name)

    return {
        "InitScheme": lambda s: initialize([2, 1], s, rng=rng),
        "CourseInitialization": course_model,
        "Distribution": lambda d: initialize([2, 1], rng=rng, distribution=d),
        "Method": lambda m: numerical_gradient(lambda t: (t * t).sum(), theta, method=m),
        "Engine": lambda e: check_network(p, X, Y, engine=e),
        "FlattenOrder": lambda o: ParamLayout.course([2, 1], order=o),
        "Optimizer": lambda o: optimizer_step(p, g, 0.1, 0.1, 3, optimizer=o),
        "Decay": lambda d: optimizer_step(p, g, 0.1, 0.1, 3, decay=d),
        "InterpolationOrder": lambda o: rotate(np.ones((1, 2, 2, 1)), 10.0, order=o),
    }


OPTIONS_WITH_A_RUNTIME_CHECK = [
    "InitScheme", "CourseInitialization", "Distribution", "Method", "Engine", "FlattenOrder",
    "Optimizer", "Decay", "InterpolationOrder",
]
"""Every option Literal but the subsets (``DifferenceMethod``, ``BatchEngine``, checked against
their supersets) and ``FanMode`` (a field of :class:`refnn.init.VarianceScaling`)."""


@pytest.mark.parametrize("alias", OPTIONS_WITH_A_RUNTIME_CHECK)
def test_the_runtime_accepts_exactly_the_literal_names(alias: str) -> None:
    names = _literal_aliases()[alias]
    call = _option_calls()[alias]
    restore = _restoring_numpy_state()
    try:
        assert all(_accepts(call, name) for name in names), alias
        wrong = "bogus" if isinstance(names[0], str) else 7
        assert not _accepts(call, wrong), f"{alias}: {wrong!r} was accepted"
    finally:
        restore()


def test_the_init_presets_are_the_literal_names() -> None:
    from refnn.init import PRESETS
    from refnn.types import INIT_SCHEMES

    assert tuple(PRESETS) == INIT_SCHEMES


def test_the_subset_literals() -> None:
    from refnn.types import BATCH_ENGINES, DIFFERENCE_METHODS, ENGINES, METHODS

    assert DIFFERENCE_METHODS == tuple(m for m in METHODS if m != "complex-step")
    assert BATCH_ENGINES == tuple(e for e in ENGINES if e != "loop")


def test_each_fan_mode_has_its_own_rule() -> None:
    from refnn.init import VarianceScaling
    from refnn.types import FAN_MODES

    variances = {mode: VarianceScaling("t", 6.0, mode).variance(2, 4) for mode in FAN_MODES}
    assert variances == {"constant": 6.0, "fan_in": 3.0, "fan_avg": 2.0}
