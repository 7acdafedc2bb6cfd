"""GitHub Actions workflow commands: findings become annotations on the pull request."""

from __future__ import annotations

from toolkit.errors import Diagnostic, Severity
from toolkit.outcome import Outcome
from toolkit.report._summary import summary_line

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(outcome: Outcome) -> str:
    """One command per finding, then the summary as a plain log line."""
    lines = [command(d) for d in outcome.diagnostics]
    lines.append(summary_line(outcome))
    return "\n".join(lines) + "\n"


def command(diagnostic: Diagnostic) -> str:
    location = diagnostic.location
    properties = [("file", location.file)]
    if location.line is not None:
        properties.append(("line", str(location.line)))
        if location.column is not None:
            properties.append(("col", str(location.column)))
    properties.append(("title", diagnostic.rule))
    message = diagnostic.message
    for related in diagnostic.related:
        message += f" (see {related})"
    if diagnostic.hint:
        message += f" ({diagnostic.hint})"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMAND[diagnostic.severity]} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner decodes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, plus the ':' and ',' that delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
