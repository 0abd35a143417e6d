"""What the prepared parent of ``refnn grade`` computes once so that every forked judging process
starts warm — work that gives the same result in every child, done before the first fork.

* **Hypothesis's function digests.** Under the derandomized ``ci`` profile Hypothesis seeds each
  property's example generator from ``function_digest(test)`` — a SHA-384 of the test's source
  text (re-read and re-tokenized with :mod:`inspect` on every call), its signature and, for a
  parametrized property, the node id. That costs more than a property that skips at its first
  example. :func:`install_digest_memo` makes ``hypothesis.core.function_digest`` remember its
  result per ``(function, parametrization key)``; :func:`pytest_collection_finish` (this module is
  also a pytest plugin: ``-p refnn.grading.warm`` on the parent's collection run) fills the memo
  for every collected property (and :mod:`refnn.grading.preflight` draws each one's first
  example there). The digest is the one Hypothesis computes (the memo calls it), so
  the examples generated are the same as without the memo.
* **The garbage collector.** :func:`freeze` moves every object the parent made into the
  collector's permanent generation (:func:`gc.freeze`): a child's collections then scan only
  what the child itself made, and do not touch (copy) the parent's pages.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

@dataclass
class Capture:
    """What the collection run captures for replay (:mod:`refnn.grading.replay`), set by
    :func:`refnn.grading.isolate.prepare`."""

    on: bool = False
    wanted: frozenset[str] | None = None
    """The properties judging only these functions (``None``: every property)."""
    processes: int = 1
    """How many processes capture at once (the parent and forked helpers)."""


CAPTURE = Capture()

_MEMO: dict[tuple[Any, bytes | None], bytes] = {}
_ORIGINAL: list[Callable[[Any], bytes]] = []
_KEY = "_hypothesis_internal_add_digest"
"""The attribute Hypothesis's pytest plugin sets on a parametrized property (its node id)."""


def _memo_digest(function: Any) -> bytes:
    extra = getattr(function, _KEY, None)
    key = (function, extra if isinstance(extra, bytes) else None)
    try:
        return _MEMO[key]
    except (KeyError, TypeError):  # (TypeError: an unhashable callable; not memoized)
        pass
    digest = _ORIGINAL[0](function)
    try:
        _MEMO[key] = digest
    except TypeError:
        pass
    return digest


def install_digest_memo() -> None:
    """Make ``hypothesis.core.function_digest`` (the name the given-test runner calls) remember
    its results in this process and its forks. Idempotent."""
    import hypothesis.core as core

    if not _ORIGINAL and not callable(getattr(core, "function_digest", None)):
        return  # another Hypothesis: nothing to memoize (the children compute digests as before)
    if not _ORIGINAL:
        _ORIGINAL.append(getattr(core, "function_digest"))
    setattr(core, "function_digest", _memo_digest)


def warm_digests(items: list[pytest.Item]) -> int:
    """Fill the digest memo for every Hypothesis property among ``items``, with and without the
    node-id key Hypothesis's pytest plugin adds to parametrized ones; returns how many."""
    install_digest_memo()
    done = 0
    for item in items:
        inner = getattr(getattr(getattr(item, "obj", None), "hypothesis", None), "inner_test",
                        None)
        if inner is None:
            continue
        had = getattr(inner, _KEY, None)
        try:
            if had is None:
                _memo_digest(inner)
            setattr(inner, _KEY, item.nodeid.encode())
            _memo_digest(inner)
        finally:
            if had is None:
                try:
                    delattr(inner, _KEY)
                except AttributeError:
                    pass
            else:
                setattr(inner, _KEY, had)
        done += 1
    return done


def pytest_collection_finish(session: pytest.Session) -> None:
    from refnn.grading.preflight import FIRST, capture_first_examples
    from refnn.grading.replay import SEQUENCES, capture_sequences

    items = list(session.items)
    warm_digests(items)
    if CAPTURE.on:
        capture_sequences(items, CAPTURE.wanted, CAPTURE.processes)
    for nodeid, sequence in SEQUENCES.items():
        FIRST[nodeid] = copy.deepcopy(sequence[0].drawn)
    capture_first_examples([i for i in items if i.nodeid not in FIRST])


def freeze() -> None:
    """Move every object alive now into the collector's permanent generation (before forking)."""
    gc.collect()
    gc.freeze()


__all__ = ["CAPTURE", "Capture", "freeze", "install_digest_memo", "warm_digests"]
