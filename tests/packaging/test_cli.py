"""The ``refnn`` command end to end, in subprocesses: every command, exit statuses 0/1/2, ``--json``,
``--help`` at every level, ``python -m refnn``, the pictures, and notebooks as targets.

Kept short: the experiments run a few hundred iterations, and every ``conform`` run is restricted
to one topic (``--rule``) and one property file (``--properties``). The suite's verdicts on all the
project's notebooks (including ``np.int`` called at run time) are in ``tests/conformance/test_notebook.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "tests" / "notebooks"
PROPS = REPO / "properties"


def refnn(*args: str, cwd: Path | None = None, module: bool = False,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``refnn ARGS`` (the console script's code, ``refnn.cli:main``) or ``python -m refnn ARGS``."""
    if module:
        cmd = [sys.executable, "-m", "refnn", *args]
    else:
        cmd = [sys.executable, "-c", "import sys; from refnn.cli import main; sys.exit(main())",
               *args]
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("REFNN_TARGET", None)
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or REPO, env=full_env,
                          timeout=600)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int, *parts: str) -> None:
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for part in parts:
        assert part in lines[0], lines[0]


# -------------------------------------------------------------------------- help and usage


def in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``main(args)`` in this process (for the cheap parse-level cases): status, stdout, stderr."""
    from refnn.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's --help and --version
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_and_python_dash_m_refnn() -> None:
    proc = refnn("--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: refnn") and proc.stderr == ""
    for command in ("conform", "experiment", "diagnose", "gradcheck"):
        assert command in proc.stdout
    assert refnn("--help", module=True).stdout == proc.stdout
    proc = refnn("experiment", "regularization", "--help", module=True)
    assert proc.returncode == 0 and "--keep-prob" in proc.stdout and "--data" in proc.stdout
    proc = refnn("--version", module=True)
    assert proc.returncode == 0 and proc.stdout.startswith("refnn ")


@pytest.mark.parametrize("args, option", [
    (["conform"], "--tier"), (["experiment"], "regularization"), (["experiment", "init"], "--plot"),
    (["diagnose"], "--bayes-error"), (["gradcheck"], "--layers"),
], ids=lambda v: " ".join(["refnn", *v, "--help"]) if isinstance(v, list) else None)
def test_help_at_every_level(capsys: pytest.CaptureFixture[str], args: list[str],
                             option: str) -> None:
    code, out, err = in_process(capsys, *args, "--help")
    assert code == 0 and out.startswith(f"usage: refnn {' '.join(args)}") and option in out


@pytest.mark.parametrize("args, message", [
    ([], "refnn: error: a command is required"),
    (["conform", "--tier", "gold"], "refnn conform: error: argument --tier: invalid choice: 'gold'"),
    (["conform", "--target", "no_such_file.py"], "no target file 'no_such_file.py'"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    assert_one_line_error(refnn(*args), 2, message)


@pytest.mark.parametrize("args, message", [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["experiment"], "which experiment?"),
    (["conform", "--target", "no.such.module"], "no module named 'no.such.module'"),
    (["conform", "--json", "/no/such/dir/out.json"], "no directory"),
    (["conform", "-n", "0"], "argument -n"),
    (["diagnose", "--train-error", "15", "--dev-error", "0.2"], "write 15% for a percentage"),
    (["diagnose", "--train-error", "ten", "--dev-error", "0.2"], "such as 0.11 or 11%"),
    (["diagnose", "--dev-error", "0.2"], "required: --train-error"),
    (["gradcheck", "--layers", "4,0,1"], "--layers"),
    (["gradcheck", "--m", "5"], "--m applies to --layers"),
    (["experiment", "init", "--iterations", "0"], "--iterations must be at least 1"),
    (["experiment", "init", "--learning-rate", "nan"], "finite number"),
    (["experiment", "regularization", "--data", "no_such.mat"], "no football data at"),
    (["experiment", "regularization", "--keep-prob", "1.5", "--data", "x"], "--keep-prob"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_every_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                  args: list[str], message: str) -> None:
    code, out, err = in_process(capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err


def test_conform_outside_a_checkout_says_where_the_suite_is(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import refnn.conformance.runner as runner

    def missing() -> Path:
        raise FileNotFoundError("no properties/")

    monkeypatch.setattr(runner, "properties_dir", missing)
    code, out, err = in_process(capsys, "conform")
    assert code == 2 and "neither in a refnn checkout nor installed" in err and "--properties" in err


# ------------------------------------------------------------------------------------ diagnose


def test_diagnose_prints_the_verdict_and_the_recipe(capsys: pytest.CaptureFixture[str]) -> None:
    proc = refnn("diagnose", "--train-error", "1%", "--dev-error", "0.11")
    assert proc.returncode == 0
    assert "verdict: high variance (overfitting)" in proc.stdout
    assert "1. more data\n  2. regularization\n" in proc.stdout
    code, out, _ = in_process(capsys, "diagnose", "--train-error", "15%", "--dev-error", "16%",
                              "--bayes-error", "15%")
    assert code == 0 and "verdict: low bias & low variance" in out and "done" in out
    code, out, _ = in_process(capsys, "diagnose", "--train-error", "15%", "--dev-error", "30%")
    assert "high bias & high variance" in out
    assert out.index("bigger network") < out.index("more data")


# ----------------------------------------------------------------------------------- gradcheck


def test_gradcheck_on_the_course_example_names_the_planted_bugs_and_exits_1() -> None:
    proc = refnn("gradcheck")
    assert proc.returncode == 1, proc.stderr
    assert "FAIL" in proc.stdout and "culprits: b1, W2" in proc.stdout
    assert "W2[2,0]" in proc.stdout and "b1[0,0]" in proc.stdout
    assert "published: 0.2850931567761623" in proc.stdout


def test_gradcheck_passes_on_the_fixed_backprop_and_on_a_given_network(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "gradcheck", "--fixed")
    assert code == 0 and "PASS" in out and "published: 1.1890913024229996e-07" in out
    code, out, _ = in_process(capsys, "gradcheck", "--layers", "6,8,4,1", "--m", "5", "--seed", "3",
                              "--lambd", "0.5", "--worst", "2")
    assert code == 0 and "network [6, 8, 4, 1] (97 parameters" in out and "PASS" in out
    assert "worst 2 coordinate(s)" in out


# ---------------------------------------------------------------------------------- experiment


def test_experiment_overrides_change_what_is_comparable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = in_process(capsys, "experiment", "init", "--iterations", "10",
                              "--learning-rate", "0.05", "--no-progress")
    assert code == 0
    assert "learning rate 0.05, 10 iterations" in out
    assert "the course's costs are not shown" in out


def cost_row(out: str, *cells: object) -> bool:
    """Whether ``out`` has a line whose whitespace-separated cells are ``cells``."""
    want = [str(c) for c in cells]
    return any(line.split() == want for line in out.splitlines())


def football() -> Path:
    from refnn.datasets import football_path

    path = football_path()
    if not path.is_file():
        pytest.skip(f"the course's football data.mat is not at {path} (set $REFNN_FOOTBALL_MAT)")
    return path


def test_experiment_regularization_with_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    path = football()
    code, out, err = in_process(capsys, "experiment", "regularization", "--data", str(path),
                                "--iterations", "300", "--lambd", "0.7", "--keep-prob", "0.86",
                                "--no-progress")
    assert code == 0, err
    for title in ("no regularization", "L2 regularization, λ = 0.7", "dropout, keep_prob = 0.86"):
        assert title in out
    # iteration 0 of each run is the course's published cost
    for cost in ("0.6557412523481002", "0.6974484493131264", "0.6543912405149825"):
        assert cost_row(out, 0, cost, cost, "=")


def _png_pixels(path: Path) -> np.ndarray:
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    return np.asarray(imread(str(path)))


def test_experiment_init_prints_costs_beside_the_courses_and_plots(tmp_path: Path) -> None:
    plotting = importlib.util.find_spec("matplotlib") is not None
    pictures = tmp_path / "pictures"
    proc = refnn("experiment", "init", "--iterations", "1100",
                 *(["--plot", str(pictures)] if plotting else []), env={"MPLBACKEND": "Agg"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for title in ("zeros initialization", "random initialization (×10)", "He initialization"):
        assert title in out
    # He at iterations 0 and 1000: the course's published costs, matched within golden's tolerance
    assert cost_row(out, 0, "0.8830537463419761", "0.8830537463419761", "=")
    assert cost_row(out, 1000, "0.6879825919728063", "0.6879825919728063", "=")
    # 1100 iterations are not the course's 15000: its accuracies are shown as not comparable
    assert "(course 0.9933 after its 15000 iterations)" in out
    # the pictures: valid PNGs, not blank
    if not plotting:
        pytest.skip("matplotlib (the 'plot' extra) is not installed: no pictures to check")
    names = sorted(p.name for p in pictures.iterdir())
    assert names == sorted(f"init_{run}_{kind}.png" for run in ("zeros", "random", "he")
                           for kind in ("cost", "boundary"))
    assert f"wrote 6 pictures to {pictures}" in out
    for name in names:
        pixels = _png_pixels(pictures / name)
        assert pixels.ndim == 3 and pixels.shape[0] > 100 and pixels.shape[1] > 100
        rgb = pixels[..., :3]
        not_white = np.any(rgb < 0.95, axis=-1).mean()
        assert not_white > 0.02, f"{name} is (nearly) blank: {not_white:.1%} non-white pixels"
        assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 10, f"{name} has too few colours"


def test_plot_without_matplotlib_says_how_to_install_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['matplotlib'] = None; from refnn.cli import main; "
            "sys.exit(main())")
    proc = subprocess.run([sys.executable, "-c", code, "experiment", "init", "--plot",
                           str(tmp_path)], capture_output=True, text=True, cwd=REPO)
    assert_one_line_error(proc, 2, "--plot needs matplotlib", "pip install 'refnn[plot]'")


# ------------------------------------------------------------------------------------- conform

BUGGY_L2 = """
import numpy as np
from refnn.course import compute_cost


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return compute_cost(A3, Y) + lambd / m * squares  # BUG: λ/m instead of λ/(2m)
"""


def test_conform_failing_target_names_the_broken_rule(tmp_path: Path) -> None:
    target = tmp_path / "my_l2.py"
    target.write_text(textwrap.dedent(BUGGY_L2))
    out = tmp_path / "results.json"
    proc = refnn("conform", "--target", str(target), "--rule", "L2-1", "--json", str(out),
                 "--properties", "properties/test_l2.py", "--profile", "dev")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    table = proc.stdout
    assert "L2 regularization" in table and "broken rules" in table
    assert "L2-1: the L2-regularized cost is J + λ/(2m)·Σ_l ‖W[l]‖²_F — test_" in table
    assert "FAIL: " in table
    doc = json.loads(out.read_text())
    assert doc["exit_status"] == 1 and doc["rules_broken"] == ["L2-1"]
    failed = [p for p in doc["properties"] if p["outcome"] == "broken"]
    assert failed and all(p["summary"] and p["rules"] == ["L2-1"] for p in failed)
    assert doc["schema"] == "refnn-conform/2" and doc["verdict"] == "fail"


# ---------------------------------------------------------------------------- notebook targets


def test_conform_judges_a_correct_notebook_with_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    notebook = NOTEBOOKS / "regularization_correct.ipynb"
    proc = refnn("conform", "--target", str(notebook), "--rule", "L2-1", "--rule", "L2-2",
                 "--tier", "properties",
                 "--profile", "dev", "--properties", "properties/test_l2.py", "--json", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"target {notebook}, tier properties, profile dev" in proc.stdout
    assert "L2 regularization" in proc.stdout and "PASS: all" in proc.stdout
    doc = json.loads(out.read_text())
    assert doc["exit_status"] == 0 and doc["tier"] == "properties" and doc["rules_broken"] == []
    assert [t["topic"] for t in doc["topics"]] == ["L2 regularization"]
    assert doc["totals"]["passed"] == len(doc["properties"]) > 0
    assert all(p["rules"][0].startswith("L2-") for p in doc["properties"])


def test_conform_reports_a_python2_notebook_as_an_environment_error() -> None:
    proc = refnn("conform", "--target", str(NOTEBOOKS / "regularization_python2.ipynb"),
                 "--rule", "L2-1", "--properties", "properties/test_l2.py", module=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "the target could not be judged here (not a broken rule)" in proc.stdout
    assert "Python 2 print statement" in proc.stdout
    assert "broken rules" not in proc.stdout
    last = proc.stdout.splitlines()[-1]
    assert last.startswith("FAIL: ") and "rule(s) broken" not in last


def test_pytest_accepts_a_notebook_as_the_target() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "properties/test_gradient_checking.py", "-q",
         "-p", "no:cacheprovider", "--hypothesis-profile=refnn-dev", "--refnn-rule", "GC-3",
         f"--refnn-target={NOTEBOOKS / 'gradient_checking_inline_j.ipynb'}"],
        capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "RULE GC-3" in proc.stdout and "rules broken (root causes): GC-3" in proc.stdout
    assert "gradient_checking_inline_j.ipynb" in proc.stdout


# ------------------------------------------------------------- a good citizen of the caller's shell


def conform_schema() -> dict[str, object]:
    path = REPO / "refnn" / "conformance" / "conform.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_json_report_follows_its_documented_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    target = tmp_path / "my_l2.py"
    target.write_text(textwrap.dedent(BUGGY_L2))
    out = tmp_path / "results.json"
    proc = refnn("conform", "--target", str(target), "--rule", "L2", "--json", str(out),
                 "--properties", "properties/test_l2.py", "--profile", "dev")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, conform_schema())
    broken = dict(doc, schema="refnn-conform/1")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, conform_schema())


def test_conform_ignores_the_callers_pytest_configuration_and_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\naddopts = "-W error --strict-markers -x --co"\n')
    (tmp_path / "conftest.py").write_text("raise SystemExit('the caller conftest ran')\n")
    outputs = []
    for cwd in (tmp_path, REPO):
        out = cwd / "ids.json" if cwd is tmp_path else tmp_path / "ids2.json"
        proc = refnn("conform", "--rule", "COST-3", "--json", str(out), cwd=cwd,
                     env={"PYTEST_ADDOPTS": "--co -q"})
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr and "PASS" in proc.stdout
        outputs.append(sorted(p["nodeid"] for p in json.loads(out.read_text())["properties"]))
    assert outputs[0] == outputs[1] and outputs[0][0].startswith("test_cost.py::")


@pytest.mark.parametrize("args", [
    ("conform", "--rule", "L2-1", "--properties", "properties/test_l2.py", "--profile", "dev"),
    ("diagnose", "--train-error", "1%", "--dev-error", "11%"),
], ids=["conform", "diagnose"])
def test_output_never_crashes_on_the_streams_encoding(args: tuple[str, ...]) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    env.pop("REFNN_TARGET", None)
    proc = subprocess.run([sys.executable, "-m", "refnn", *args], capture_output=True, cwd=REPO,
                          env=env, timeout=600)
    out, err = proc.stdout.decode("cp1252"), proc.stderr.decode("cp1252")
    assert proc.returncode == 0, out + err
    assert err == "" and out.strip()


def test_diagnose_warns_when_the_bayes_error_is_above_the_training_error() -> None:
    proc = refnn("diagnose", "--bayes-error", "50%", "--train-error", "15%", "--dev-error", "20%")
    assert proc.returncode == 0
    assert "warning: the training error 15% is below the Bayes (optimal) error 50%" in proc.stdout


def test_python_dash_m_refnn_conformance_help_describes_refnn_options() -> None:
    proc = subprocess.run([sys.executable, "-m", "refnn.conformance", "--help"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0
    from refnn.conformance import plugin

    declared = re.findall(r'"(--refnn-[a-z-]+)"', Path(plugin.__file__).read_text(encoding="utf-8"))
    assert declared and [o for o in declared if o not in proc.stdout] == []
    assert "refnn-ci" in proc.stdout  # the profile names as the plugin registers them
    assert len(proc.stdout.splitlines()) < 30  # refnn's options, not pytest's whole help


@pytest.mark.parametrize("name, says", [
    ("exit_in_function", "ended the judging process"),
    ("segfault", "SIGSEGV"),
    ("empty", "NOTHING JUDGED"),
])
def test_conform_never_gives_a_hostile_target_a_false_pass(name: str, says: str) -> None:
    proc = refnn("conform", "--target", str(REPO / "tests" / "grading" / "hostile" / f"{name}.py"),
                 "--rule", "L2-1", "--properties", "properties/test_l2.py", "--profile", "dev",
                 "--timeout", "120")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert says in last and "PASS" not in last.split(":")[0]
