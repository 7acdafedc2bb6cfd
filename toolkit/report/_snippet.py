"""The offending source lines under a finding, cut to a window around the column.

A 13 MB single-line JSON document must print ~160 characters per finding, not 13 MB, and
must not be copied once per finding either: lines are located by offsets and only the
window is sliced out of the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len

WIDTH = 160
ELLIPSIS = "..."


def printable(text: str) -> str:
    """Keep one display cell per character and let no source drive the terminal: spaces
    (tabs included) become ' ', control and format characters (ANSI escapes, bidi
    overrides) become U+FFFD."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else (" " if ch.isspace() else "\ufffd") for ch in text)


@dataclass(frozen=True, slots=True)
class Snippet:
    """`lines` are (1-based number, display text); `caret` counts the display cells before
    the column on line `line`, or is None when the column is unknown."""

    lines: tuple[tuple[int, str], ...]
    line: int
    caret: int | None


class SourceLines:
    """Line offsets of one text, found once per file and only when a finding needs them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None
        self._end = len(text)  # the text without a final newline

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            text = self._text
            # each line's length plus its "\n", summed in C: a 13 MB spec in ~30 ms, not 250
            starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))]
            starts.pop()  # the last piece has no "\n" after it: no line starts past it
            if len(starts) > 1 and starts[-1] == len(text):
                starts.pop()  # the "line" after a final newline is not a line
                self._end = len(text) - 1
            self._starts = starts
        return self._starts

    def span(self, number: int) -> tuple[int, int] | None:
        """[start, end) offsets of line `number` without its line break; None past the end."""
        starts = self._line_starts()
        if not 1 <= number <= len(starts):
            return None
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else self._end
        if end > start and self._text[end - 1] == "\r":
            end -= 1
        return start, end

    def snippet(
        self, line: int, column: int | None, *, context: int = 1, width: int = WIDTH
    ) -> Snippet | None:
        """Line `line` with `context` lines either side, all cut to the same window of
        `width` characters so the context stays aligned with the caret."""
        target = self.span(line)
        if target is None:
            return None
        length = target[1] - target[0]
        index = 0 if column is None else min(max(column - 1, 0), length)
        low = 0 if length <= width else min(max(index - width // 2, 0), length - width)
        shown = []
        for number in range(max(line - context, 1), line + context + 1):
            span = self.span(number)
            if span is not None:
                shown.append((number, self._window(span, low, width)))
        caret = None
        if column is not None:
            before = self._text[target[0] + low : target[0] + index]
            caret = cell_len((ELLIPSIS if low else "") + printable(before))
        return Snippet(tuple(shown), line, caret)

    def _window(self, span: tuple[int, int], low: int, width: int) -> str:
        start, end = span
        piece = printable(self._text[min(start + low, end) : min(start + low + width, end)])
        prefix = ELLIPSIS if low else ""
        suffix = ELLIPSIS if end - start > low + width else ""
        return prefix + piece + suffix
