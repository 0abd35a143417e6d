"""A class judged and graded: :func:`grade_batch` (what ``refnn grade`` runs), and the incremental
Gradescope writer :class:`GradescopeWriter`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from refnn.conformance.outcome import PropertyRecord
from refnn.conformance.recording import resolve_consequences
from refnn.grading.grade import SubmissionGrade, grade
from refnn.grading.isolate import Ending, EventHook, IsolatedResult, judge_many
from refnn.grading.limits import Limits
from refnn.grading.outputs import dumps, gradescope_document, write_atomic
from refnn.grading.points import Points


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def grade_batch(paths: Sequence[Path], request: Any, points: Points, *,
                limits: Limits = Limits(), workers: int = 1, assignment: str | None = None,
                on_grade: Callable[[int, SubmissionGrade], None] | None = None,
                on_event: EventHook | None = None) -> list[SubmissionGrade]:
    """Judge every submission of ``paths`` (each in its own process, ``workers`` at a time) with
    ``request`` (:class:`refnn.conformance.conform.Request`) and grade it with ``points``."""
    def done(index: int, result: IsolatedResult) -> None:
        if on_grade is not None:
            on_grade(index, grade(result, points, assignment, str(paths[index])))

    graded = [points.assignment(assignment)] if assignment else points.assignments.values()
    results = judge_many([(str(p), request) for p in paths], limits, workers,
                         on_event=on_event, on_result=done,
                         functions={f for a in graded for f in a.functions})
    return [grade(r, points, assignment, str(p)) for r, p in zip(results, paths)]


class GradescopeWriter:
    """Rewrites Gradescope's ``results.json`` (whole, atomically) after every record of the one
    submission, so that a crash, a timeout or Gradescope's own global timeout still leaves the
    rules judged so far as feedback."""

    def __init__(self, path: str | Path, spec: str, points: Points,
                 assignment: str | None = None, visibility: str = "visible") -> None:
        self.path = Path(path)
        self.spec = spec
        self.points = points
        self.assignment = assignment
        self.visibility = visibility
        self.records: dict[str, PropertyRecord] = {}
        self.defines: tuple[str, ...] | None = None
        self.write(self._partial("the judging has started; no rule has finished yet"))

    def _partial(self, text: str) -> SubmissionGrade:
        result = IsolatedResult(self.spec, tuple(resolve_consequences(self.records.values())),
                                Ending("running", text), 0.0, defines=self.defines)
        return grade(result, self.points, self.assignment, self.spec)

    def on_event(self, _index: int, event: dict[str, Any]) -> None:
        if event.get("event") == "defines":
            self.defines = tuple(str(f) for f in event.get("functions", []))
        if event.get("event") != "record":
            return
        try:
            record = PropertyRecord.from_dict(dict(event["record"]))
        except (KeyError, TypeError, ValueError):
            return
        self.records[record.nodeid] = record
        self.write(self._partial(f"the judging did not finish: {len(self.records)} "
                                 "properties were judged before it stopped"))

    def write(self, g: SubmissionGrade) -> None:
        missing = {}
        chosen = self.points.assignments.get(g.assignment)
        if chosen is not None:
            missing = dict(chosen.functions)
        write_atomic(self.path, dumps(gradescope_document(g, visibility=self.visibility,
                                                          points_per_missing=missing)))
