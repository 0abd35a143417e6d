"""A Gradescope autograder bundle in one command: :func:`write_bundle` (``refnn grade
--gradescope-autograder OUT.zip``).

The zip holds what Gradescope's base image runs:

* ``setup.sh`` — installs refnn (the wheel or source tree given, else ``pip install refnn``);
* ``run_autograder`` — judges the one submission under ``$AUTOGRADER_ROOT/submission`` (default
  root ``/autograder``) with ``refnn grade --gradescope`` into
  ``$AUTOGRADER_ROOT/results/results.json``; the root is an environment variable so the script
  can be run against a fake tree (tests/grading/test_grade.py does);
* ``refnn-grade.json`` — the settings (tier, profile, limits, assignment), and ``points.toml``.

Gradescope gives the container 768 MB and ½ vCPU by default: the bundle judges with ``-j 1``, the
limits given, and a wall clock below Gradescope's own timeout so feedback is always written.
"""

from __future__ import annotations

import json
import shlex
import zipfile
from pathlib import Path

from refnn.grading.points import DEFAULT_POINTS

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (written by refnn grade --gradescope-autograder).
set -u
ROOT="${AUTOGRADER_ROOT:-/autograder}"
HERE="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${REFNN_PYTHON:-python3}"
mkdir -p "$ROOT/results"
SETTINGS="$HERE/refnn-grade.json"
read_setting() { "$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$SETTINGS" "$1"; }
TIER="$(read_setting tier)"; PROFILE="$(read_setting profile)"
TIMEOUT="$(read_setting timeout)"; MEMORY="$(read_setting memory_mb)"
ASSIGNMENT="$(read_setting assignment)"
# the submission: the first notebook, else the first .py file that is not a course helper
SUB="$("$PYTHON" - "$ROOT/submission" <<'PY'
import sys
from pathlib import Path
from refnn.grading.submissions import find
try:
    found = find([sys.argv[1]])
except (FileNotFoundError, ValueError):
    found = []
found.sort(key=lambda p: (p.suffix != ".ipynb", str(p)))
print(found[0] if found else "")
PY
)"
if [ -z "$SUB" ]; then
  printf '{"score": 0, "output": "ERROR: no .ipynb or .py file in the submission", "tests": []}\\n' > "$ROOT/results/results.json"
  exit 0
fi
ARGS=(grade "$SUB" --gradescope "$ROOT/results/results.json" -j 1 --tier "$TIER" --profile "$PROFILE" --timeout "$TIMEOUT" --memory "$MEMORY" --points "$HERE/points.toml" -q)
if [ "$ASSIGNMENT" != "None" ] && [ -n "$ASSIGNMENT" ]; then ARGS+=(--assignment "$ASSIGNMENT"); fi
"$PYTHON" -m refnn "${ARGS[@]}" ${REFNN_GRADE_EXTRA:-}
status=$?
# exit 0 (all passed) and 1 (not all passed) both wrote results.json; 2 is a usage error
[ "$status" -le 1 ] || exit "$status"
exit 0
"""

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the image (written by refnn grade --gradescope-autograder).
set -eu
apt-get update -qq && apt-get install -y -qq python3 python3-pip >/dev/null || true
python3 -m pip install --quiet {spec}
"""


def write_bundle(path: str | Path, *, points: str | Path | None = None,
                 assignment: str | None = None, tier: str = "properties", profile: str = "ci",
                 timeout: float = 120.0, memory_mb: int = 768,
                 install: str = "refnn") -> Path:
    """Write the autograder zip to ``path``; ``install`` is what ``setup.sh`` gives ``pip``."""
    out = Path(path).expanduser()
    settings = {"tier": tier, "profile": profile, "timeout": timeout, "memory_mb": memory_mb,
                "assignment": assignment}
    table = Path(points) if points is not None else DEFAULT_POINTS
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text, mode in (
            ("run_autograder", RUN_AUTOGRADER, 0o755),
            ("setup.sh", SETUP.format(spec=shlex.quote(install)), 0o755),
            ("refnn-grade.json", json.dumps(settings, indent=2) + "\n", 0o644),
            ("points.toml", table.read_text(encoding="utf-8"), 0o644),
        ):
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
    return out
