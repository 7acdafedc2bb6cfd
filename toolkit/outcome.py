"""The result every stage hands to `report/`: findings plus what a renderer needs to show them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from toolkit.errors import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    summary: str
    severity: Severity


@dataclass(frozen=True)
class Outcome:
    """`targets` are the files the user asked about; `sources` maps a file's display name to
    its text so renderers can show the offending lines; `rules` describes every rule id."""

    tool: str
    targets: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    elapsed: float = 0.0
    # What was checked, when files are not the unit (e.g. "12 interactions in 2 pacts").
    scope: str = ""

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def failed(self, fail_on: Severity) -> bool:
        return any(d.severity >= fail_on for d in self.diagnostics)
