"""refnn.progress: the bar fits the width it is given, draws only on a terminal, and never breaks
on a narrow line, an encoding that cannot hold its text, or a stream that fails."""

from __future__ import annotations

import io
import re

import pytest

from refnn.progress import ProgressBar

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(autouse=True)
def redraw_every_update(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every update redraws (the bar normally skips redraws closer than 0.1 s apart)."""
    monkeypatch.setattr(ProgressBar, "_MIN_INTERVAL", 0.0)


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal, with an encoding of our choice."""

    def __init__(self, encoding: str = "utf-8") -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return True

    def lines(self) -> list[str]:
        """Every redraw of the line (the text between carriage returns), escapes removed."""
        return [_ANSI.sub("", s) for s in self.getvalue().split("\r") if s]


def run_bar(stream: io.StringIO, width: int | None, note: str = "test_dropout_keeps_units",
            label: str = "properties", **kw: object) -> ProgressBar:
    bar = ProgressBar(40, label, stream=stream, width=width, **kw)  # type: ignore[arg-type]
    for done in range(0, 41, 8):
        bar.update(done, note)
    return bar


@pytest.mark.parametrize("width", [20, 200])
def test_every_drawn_line_fits_the_width(width: int) -> None:
    stream = FakeTerminal()
    bar = run_bar(stream, width)
    drawn = stream.lines()
    assert drawn, "nothing was drawn on a terminal"
    assert all(len(line) <= width for line in drawn), [len(line) for line in drawn]
    # a wide line holds the whole text: label, count and note
    if width == 200:
        assert any("properties" in line and "/40" in line and "test_dropout_keeps_units" in line
                   for line in drawn), drawn
    bar.close()
    assert stream.lines()[-1].strip() == "", "close() leaves the bar on the line"


def test_a_width_below_the_label_still_draws_within_it() -> None:
    stream = FakeTerminal()
    bar = run_bar(stream, 5, label="a-label-much-longer-than-the-line")
    bar.close()
    assert all(len(line) <= 5 for line in stream.lines())


def test_nothing_is_drawn_on_a_stream_that_is_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = run_bar(stream, None)
    bar.close()
    assert stream.getvalue() == ""
    assert bar.done == 40 and not bar.enabled


def test_disabled_explicitly_draws_nothing_even_on_a_terminal() -> None:
    stream = FakeTerminal()
    bar = run_bar(stream, 80, enabled=False)
    bar.close()
    assert stream.getvalue() == ""


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_text_the_encoding_cannot_hold_is_replaced(encoding: str) -> None:
    stream = FakeTerminal(encoding)
    bar = run_bar(stream, 120, note="test_l2[λ=0.7]_−1")
    bar.close()
    text = stream.getvalue()
    assert text, "nothing drawn"
    text.encode(encoding)  # raises if the bar wrote what the stream cannot encode
    assert "test_l2[" in text


class FailingTerminal(FakeTerminal):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        if self.writes > 1:
            raise BrokenPipeError("the reader went away")
        return super().write(s)


def test_a_failing_stream_ends_the_drawing_without_an_error() -> None:
    stream = FailingTerminal()
    bar = run_bar(stream, 60)
    bar.close()
    assert bar.done == 40
    assert stream.writes == 2  # one good write, one failure, then nothing more is attempted


def test_counts_are_clamped_to_the_total() -> None:
    stream = FakeTerminal()
    bar = ProgressBar(10, "x", stream=stream, width=60)
    bar.update(25)
    assert bar.done == 10
    bar.update(-3)
    assert bar.done == 0
    bar.close()
    assert ProgressBar(0, stream=io.StringIO()).total == 1
