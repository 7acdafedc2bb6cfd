"""Human output: each finding with where, what, the offending lines and what to do."""

from __future__ import annotations

import io
from collections.abc import Iterator

from rich.text import Text

from toolkit.errors import Diagnostic, Location, Severity, pointer_to_path
from toolkit.outcome import Outcome
from toolkit.report._console import buffer_console
from toolkit.report._grouping import by_file
from toolkit.report._snippet import Snippet, SourceLines, printable
from toolkit.report._summary import summary_line

SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "bold yellow",
    Severity.INFO: "bold blue",
}


Segment = tuple[str, str]  # (text, rich style); a line is a list of segments


def render_text(outcome: Outcome, *, fail_on: Severity, color: bool = False) -> str:
    """Plain text is joined directly (7,000 findings in ~0.1 s); with color, the same
    segments go through rich, so colour is a flag, not a property of stdout."""
    lines: list[list[Segment]] = []
    for file, diagnostics in by_file(outcome.diagnostics).items():
        text = outcome.sources.get(file)
        source = SourceLines(text) if text is not None else None
        for diagnostic in diagnostics:
            lines.extend(_entry(diagnostic, source))
            lines.append([])
    lines.append([(summary_line(outcome), _summary_style(outcome, fail_on))])
    if not color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    buffer = io.StringIO()
    console = buffer_console(buffer, color=True)
    body = Text()
    for index, line in enumerate(lines):
        if index:
            body.append("\n")
        body.append_text(Text.assemble(*line))
    console.print(body, soft_wrap=True)
    return buffer.getvalue()


def _entry(diagnostic: Diagnostic, lines: SourceLines | None) -> Iterator[list[Segment]]:
    location, style = diagnostic.location, SEVERITY_STYLE[diagnostic.severity]
    yield [
        (printable(_where(location)), "bold"),
        ("  ", ""),
        (diagnostic.severity.label, style),
        ("  ", ""),
        (printable(diagnostic.rule), "cyan"),
        ("  ", ""),
        (printable(diagnostic.message), ""),
    ]
    if location.pointer:
        yield [("  at ", ""), (printable(pointer_to_path(location.pointer)), "magenta")]
    if lines is not None and location.line is not None:
        snippet = lines.snippet(location.line, location.column)
        if snippet is not None:
            yield from _snippet(snippet, style)
    for related in diagnostic.related:
        yield [("  see ", ""), (printable(str(related)), "magenta")]
    if diagnostic.hint:
        yield [("  ", ""), ("hint:", "bold green"), (" ", ""), (printable(diagnostic.hint), "")]


def _where(location: Location) -> str:
    where = location.file
    if location.line is not None:
        where += f":{location.line}"
        if location.column is not None:
            where += f":{location.column}"
    return where


def _snippet(snippet: Snippet, style: str) -> Iterator[list[Segment]]:
    width = len(str(snippet.lines[-1][0]))
    for number, source in snippet.lines:
        gutter_style = "bold" if number == snippet.line else "dim"
        yield [(f"    {number:>{width}} | ", gutter_style), (source, "")]
        if number == snippet.line and snippet.caret is not None:
            gutter = f"    {'':>{width}} | "
            yield [(gutter, "dim"), (" " * snippet.caret, ""), ("^", style)]


def _summary_style(outcome: Outcome, fail_on: Severity) -> str:
    if not outcome.diagnostics:
        return "bold green"
    return "bold red" if outcome.failed(fail_on) else "bold yellow"
