"""`ctk diff --changelog`: every change between two versions, for humans, grouped by
operation (document-wide changes first), breaking ones first within each group."""

from __future__ import annotations

import re

from toolkit.errors import Diagnostic, Severity
from toolkit.outcome import Outcome
from toolkit.report.markdown import escape_cell

_OPERATION = re.compile(r"^([A-Z]+ /\S*): ")
_CLASS = {Severity.ERROR: "breaking", Severity.WARNING: "potentially breaking", Severity.INFO: ""}


def render_changelog(outcome: Outcome) -> str:
    old, new = (*outcome.targets, "", "")[:2]
    lines = [f"# Changes from {escape_cell(old)} to {escape_cell(new)}", ""]
    if not outcome.diagnostics:
        return "\n".join([*lines, "No changes.", ""])
    groups: dict[str, list[tuple[Diagnostic, str]]] = {}
    for diagnostic in outcome.diagnostics:
        found = _OPERATION.match(diagnostic.message)
        key = found[1] if found else ""
        text = diagnostic.message[found.end() :] if found else diagnostic.message
        groups.setdefault(key, []).append((diagnostic, text))
    for key in sorted(groups, key=lambda k: (k != "", k.split(" ", 1)[-1], k)):
        lines += [f"## {escape_cell(key) if key else 'The whole API'}", ""]
        entries = sorted(groups[key], key=lambda e: (-e[0].severity, e[1]))
        for diagnostic, text in entries:
            label = _CLASS[diagnostic.severity]
            prefix = f"**{label}**: " if label else ""
            lines.append(f"- {prefix}{escape_cell(text)} (`{diagnostic.rule}`)")
        lines.append("")
    return "\n".join(lines)
