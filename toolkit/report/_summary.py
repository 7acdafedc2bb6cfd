"""The one-line tally that ends human-facing output."""

from __future__ import annotations

from toolkit.errors import Severity
from toolkit.outcome import Outcome


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(outcome: Outcome) -> str:
    """`3 errors, 2 warnings, 1 info in 1 file (0.42 s)`; the file count is the files with
    findings, or the files checked when there are none."""
    elapsed = f"({outcome.elapsed:.2f} s)"
    if not outcome.diagnostics:
        return f"No findings in {outcome.scope or plural(len(outcome.targets), 'file')} {elapsed}"
    files = len({d.location.file for d in outcome.diagnostics})
    counts = ", ".join(
        [
            plural(outcome.count(Severity.ERROR), "error"),
            plural(outcome.count(Severity.WARNING), "warning"),
            f"{outcome.count(Severity.INFO)} info",
        ]
    )
    return f"{counts} in {outcome.scope or plural(files, 'file')} {elapsed}"
