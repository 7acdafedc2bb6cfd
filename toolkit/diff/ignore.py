"""Accepted changes: `ctk diff --ignore FILE` (YAML), each entry a rule, where, why, and
optionally until when.

    - rule: property-removed            # required: a rule id (ctk diff --list-rules)
      operation: GET /prompts           # optional: the finding's operation (as reported)
      path: body.items[].tags           # optional: text the finding's message contains
      reason: removed with notice in v2 # required: why it is accepted
      expires: 2027-01-31               # optional: after this date the entry fails

A matching finding is kept, as info, with `[accepted: reason]`; an expired entry is an error
of its own (`ignore-expired`) located in the ignore file, and its findings count again; an
entry that matches nothing is a warning (`ignore-unused`), so the file does not rot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from toolkit.config import LoadOptions
from toolkit.errors import Diagnostic, LoadError, Location, Severity
from toolkit.load.source import SourceFile, load_source

from .rules import RULES


@dataclass(frozen=True)
class Accepted:
    rule: str
    operation: str
    path: str
    reason: str
    expires: dt.date | None
    location: Location

    def matches(self, diagnostic: Diagnostic) -> bool:
        message = diagnostic.message
        return (
            diagnostic.rule == self.rule
            and (not self.operation or message.startswith(f"{self.operation}:"))
            and (not self.path or self.path in message)
        )


def load_ignores(
    path: Path, options: LoadOptions | None = None
) -> tuple[SourceFile, list[Accepted]]:
    source = load_source(path, options or LoadOptions())
    data = source.data
    if not isinstance(data, list):
        raise LoadError(
            "an ignore file is a list of entries",
            source.location(""),
            hint="- {rule: property-removed, operation: GET /a, reason: ..., expires: 2027-01-31}",
        )
    found = []
    for index, entry in enumerate(data):
        where = source.location(f"/{index}")
        if not isinstance(entry, dict):
            raise LoadError("an ignore entry is a mapping", where)
        rule, reason = entry.get("rule"), entry.get("reason")
        if rule not in RULES:
            raise LoadError(
                f"unknown rule {rule!r}", where, hint="ctk diff --list-rules lists the rule ids"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise LoadError("an accepted change needs its `reason`", where)
        found.append(
            Accepted(
                str(rule),
                str(entry.get("operation") or ""),
                str(entry.get("path") or ""),
                reason.strip(),
                _date(entry.get("expires"), where),
                where,
            )
        )
    return source, found


def _date(value: Any, where: Location) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise LoadError(f"`expires` {value!r} is not a date", where, hint="YYYY-MM-DD") from None


def apply(
    diagnostics: Sequence[Diagnostic], accepted: Sequence[Accepted], today: dt.date
) -> list[Diagnostic]:
    """The findings with accepted ones turned to info, plus the expired and unused entries."""
    used: set[int] = set()
    out = []
    for diagnostic in diagnostics:
        index = next((i for i, a in enumerate(accepted) if a.matches(diagnostic)), None)
        if index is None:
            out.append(diagnostic)
            continue
        used.add(index)
        entry = accepted[index]
        if entry.expires is not None and entry.expires < today:
            out.append(diagnostic)
            continue
        message = f"{diagnostic.message} [accepted: {entry.reason}]"
        out.append(replace(diagnostic, severity=Severity.INFO, message=message))
    for index, entry in enumerate(accepted):
        if entry.expires is not None and entry.expires < today:
            message = f"the acceptance of {entry.rule} expired on {entry.expires.isoformat()}"
            out.append(
                Diagnostic(
                    "ignore-expired",
                    Severity.ERROR,
                    message,
                    entry.location,
                    hint="fix the change, or renew the entry with a new reason and date",
                )
            )
        elif index not in used:
            out.append(
                Diagnostic(
                    "ignore-unused",
                    Severity.WARNING,
                    f"no finding matches this accepted {entry.rule}",
                    entry.location,
                    hint="remove the entry: what it accepted is gone",
                )
            )
    return out
