"""The line protocol between a judging process and the parent: one JSON object per line.

The child writes events as it goes (:class:`Writer`); the parent reads them without blocking
(:class:`Reader`), so a child that dies leaves every event it finished writing. Events:

===============  ===============================================================================
``hello``        the child is confined: ``applied`` (the limits in force), ``pid``
``defines``      ``functions``: the top-level functions the submission defines (parsed, not run)
``start``        a property starts: ``property`` (its name); its set-up (loading the target) runs
``call``         the property's body runs (the target is loaded)
``record``       a property finished: ``record`` (:meth:`PropertyRecord.to_dict`), ``rss_mb``
``stuck``        near the deadline, what the judged code was running: ``function``, ``where``
``memory``       a ``MemoryError`` under the memory limit: ``property``, ``function``, ``where``
``interrupted``  the run stopped on a ``KeyboardInterrupt``: ``property``, ``function``
``done``         the run ended: ``exit_code`` (pytest's), ``records`` (all, consequences resolved)
``fatal``        the judge could not run: ``kind`` (``usage`` or ``crash``), ``error``
===============  ===============================================================================
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Final

MAX_BYTES: Final = 64 * 1024 * 1024
"""The most a child may send; beyond it the parent stops it (a submission flooding the channel)."""


class Writer:
    """The child's end: :meth:`send` writes one event as one line (whole, thread-safe)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._lock = threading.Lock()

    def send(self, event: str, **fields: Any) -> None:
        data = (json.dumps({"event": event, **fields}, ensure_ascii=True, default=str)
                + "\n").encode("ascii")
        with self._lock:
            view = memoryview(data)
            while view:
                n = os.write(self.fd, view)
                view = view[n:]


class Reader:
    """The parent's end: :meth:`feed` takes the bytes read, returns the complete events."""

    def __init__(self) -> None:
        self._buffer = b""
        self.received = 0
        self.malformed = 0

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        self.received += len(data)
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        events: list[dict[str, Any]] = []
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                self.malformed += 1
                continue
            if isinstance(event, dict) and isinstance(event.get("event"), str):
                events.append(event)
            else:
                self.malformed += 1
        return events

    @property
    def flooded(self) -> bool:
        return self.received > MAX_BYTES
