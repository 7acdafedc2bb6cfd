"""What `ctk check` hands to `report/`: one typed result per stage and API, each made of
cases (the units junit counts) and the stage's own result for the detailed views."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import Location


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # could not run: `reason` says why; never a silent pass


@dataclass(frozen=True, slots=True)
class Case:
    """One checked unit: a finding, an operation fuzzed, an interaction replayed."""

    name: str
    passed: bool
    message: str = ""
    location: Location | None = None
    detail: str = ""  # a snippet, a curl command, a diff: shown as preformatted text


@dataclass(slots=True)
class StageResult:
    api: str
    stage: str
    status: Status
    summary: str  # one line: counts, as the live display and the summary table show it
    cases: list[Case] = field(default_factory=list)
    elapsed: float = 0.0
    reason: str = ""  # why it was skipped, or why it could not finish
    # the stage's own typed result (Outcome, FuzzResult, ContractResult, Drift), for the
    # report's detailed sections
    payload: Any = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. fuzz replay paths
    # it could not run for a usage or configuration error found only when it ran (a
    # provider without its generated package): the run exits 2 after writing the report
    usage_error: bool = False

    @property
    def failures(self) -> int:
        return sum(1 for case in self.cases if not case.passed)


@dataclass(slots=True)
class CheckResult:
    root: str  # the project folder (pyproject.toml's)
    stages: list[StageResult] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def failed(self) -> bool:
        return any(stage.status is Status.FAILED for stage in self.stages)

    @property
    def usage_error(self) -> bool:
        return any(stage.usage_error for stage in self.stages)

    def count(self, status: Status) -> int:
        return sum(1 for stage in self.stages if stage.status is status)
