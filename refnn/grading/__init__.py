"""``refnn grade``: a whole class's submissions judged by the conformance suite, each in its own
process under limits, several at a time, with results for people and for Gradescope.

* :mod:`.isolate` — :func:`judge_isolated` / :func:`judge_many`: fork a prepared parent, one
  confined child per submission (:mod:`.limits`, :mod:`.child`), records streamed back
  (:mod:`.channel`), how each child ended (:class:`Ending`).
* :mod:`.grade` — verdict (pass | fail | error), reason, score and per-rule results from the records
  (:mod:`.points`: the points table).
* :mod:`.outputs` — the terminal table, CSV, the versioned JSON document (:mod:`.schema`) and
  Gradescope's ``results.json``; :mod:`.html` the class report; :mod:`.autograder` the Gradescope
  bundle; :mod:`.submissions` finding files and ``--shard``.
"""

from refnn.grading.isolate import Ending, IsolatedResult, judge_isolated, judge_many, prepare
from refnn.grading.limits import Limits

__all__ = ["Ending", "IsolatedResult", "Limits", "judge_isolated", "judge_many", "prepare"]
