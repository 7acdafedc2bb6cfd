"""Markdown: a pull-request comment. Findings in a table per severity, worst first; cells
escaped so spec text cannot break the table or inject markup."""

from __future__ import annotations

from toolkit.errors import Diagnostic, Severity
from toolkit.outcome import Outcome
from toolkit.report._summary import summary_line

_HEADINGS = {
    Severity.ERROR: "Errors",
    Severity.WARNING: "Warnings",
    Severity.INFO: "Info",
}


def render_markdown(outcome: Outcome, *, fail_on: Severity) -> str:
    status = "❌ failed" if outcome.failed(fail_on) else "✅ passed"
    lines = [f"### {escape_cell(outcome.tool)}: {status}", "", summary_line(outcome), ""]
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        found = [d for d in outcome.diagnostics if d.severity is severity]
        if not found:
            continue
        lines += [f"#### {_HEADINGS[severity]} ({len(found)})", ""]
        lines += ["| rule | finding | where |", "|---|---|---|"]
        lines += [_row(d) for d in found]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _row(diagnostic: Diagnostic) -> str:
    message = escape_cell(diagnostic.message)
    if diagnostic.hint:
        message += f"<br>*{escape_cell(diagnostic.hint)}*"
    where = [_place(diagnostic.location)]
    where += [_place(r) for r in diagnostic.related]
    return f"| `{_code(diagnostic.rule)}` | {message} | {'<br>'.join(where)} |"


def _place(location: object) -> str:
    return f"`{_code(str(location))}`"


def escape_cell(text: str) -> str:
    """Plain text in a table cell: no pipes, no newlines, no HTML or markdown markup."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    escaped = escaped.replace("<", "&lt;").replace(">", "&gt;")
    for mark in ("*", "_", "`", "[", "]", "#"):
        escaped = escaped.replace(mark, "\\" + mark)
    return escaped


def _code(text: str) -> str:
    """Text inside an inline code span: a backtick or pipe would end it or the cell."""
    return text.replace("`", "'").replace("|", "/").replace("\n", " ")
