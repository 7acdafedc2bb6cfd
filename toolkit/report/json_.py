"""Machine-readable output for scripts: the whole outcome as one stable JSON document.

Named `json_` because `json` is the stdlib module this one uses.
"""

from __future__ import annotations

import json
from typing import Any

from toolkit.errors import Diagnostic, Severity, pointer_to_path
from toolkit.outcome import Outcome
from toolkit.report._meta import tool_version


def render_json(outcome: Outcome, *, fail_on: Severity) -> str:
    """Diagnostics stay in the order the stage gave them, so equal outcomes give equal text."""
    document = {
        "tool": outcome.tool,
        "version": tool_version(),
        "targets": list(outcome.targets),
        "summary": {
            "error": outcome.count(Severity.ERROR),
            "warning": outcome.count(Severity.WARNING),
            "info": outcome.count(Severity.INFO),
            "failed": outcome.failed(fail_on),
        },
        "diagnostics": [_diagnostic(d) for d in outcome.diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _diagnostic(diagnostic: Diagnostic) -> dict[str, Any]:
    location = diagnostic.location
    return {
        "rule": diagnostic.rule,
        "severity": diagnostic.severity.label,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
        "path": pointer_to_path(location.pointer),
        "related": [
            {
                "file": r.file,
                "line": r.line,
                "column": r.column,
                "pointer": r.pointer,
                "path": pointer_to_path(r.pointer),
            }
            for r in diagnostic.related
        ],
    }
