"""Renderers: one `Outcome` in, one string out. Nothing here prints; the CLI writes.

Every renderer returns text ending in a newline, ready to write as-is to stdout or a file.
"""

from __future__ import annotations

from toolkit.errors import Severity, UsageError
from toolkit.outcome import Outcome
from toolkit.report.github import render_github
from toolkit.report.json_ import render_json
from toolkit.report.junit import render_junit
from toolkit.report.markdown import render_markdown
from toolkit.report.sarif import render_sarif
from toolkit.report.text import render_text

__all__ = [
    "FORMATS",
    "render",
    "render_github",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_text",
]

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")


def render(outcome: Outcome, fmt: str, *, fail_on: Severity, color: bool = False) -> str:
    """Render `outcome` as `fmt`; `fail_on` decides what counts as failed, `color` only
    affects `text`."""
    match fmt:
        case "text":
            return render_text(outcome, fail_on=fail_on, color=color)
        case "json":
            return render_json(outcome, fail_on=fail_on)
        case "sarif":
            return render_sarif(outcome)
        case "junit":
            return render_junit(outcome, fail_on=fail_on)
        case "github":
            return render_github(outcome)
        case "markdown":
            return render_markdown(outcome, fail_on=fail_on)
    raise UsageError(f"unknown report format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
