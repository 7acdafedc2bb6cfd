"""What a verification run returns: per pact (consumer), per interaction, the status, the
differences pact found and the provider-state failures ctk recorded."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Status(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # failed, but pact marks the interaction pending: not fatal
    SKIPPED = "skipped"  # in a pact file, but left out by a filter


@dataclass(frozen=True, slots=True)
class Difference:
    """One mismatch pact reported (or a request error)."""

    kind: str  # status | header | body | body-type | query | metadata | error
    path: str  # inside the body ("$.items[0].id"), the header name, "" for the status
    expected: str
    actual: str
    message: str  # pact's own words

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "expected": self.expected,
            "actual": self.actual,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class StateFailure:
    """A provider state whose setup or teardown failed, with the handler's exception."""

    state: str
    action: str  # setup | teardown
    params: dict[str, Any]
    error: str  # the exception's type, or the kind of failure (e.g. "no handler")
    message: str
    location: str  # the handler, file:line ("" when no handler matched)
    raised_at: str = ""  # where inside the handler it raised, file:line
    hint: str = ""
    notes: tuple[str, ...] = ()
    forced: bool = False  # a teardown ctk ran itself because pact skipped it

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "action": self.action,
            "params": self.params,
            "error": self.error,
            "message": self.message,
            "location": self.location,
            "raised_at": self.raised_at,
            "hint": self.hint,
            "notes": list(self.notes),
            "forced": self.forced,
        }


@dataclass(frozen=True, slots=True)
class InteractionResult:
    description: str
    states: tuple[str, ...]
    status: Status
    differences: tuple[Difference, ...] = ()
    state_failures: tuple[StateFailure, ...] = ()
    seconds: float | None = None  # pact's own timing of the interaction
    interaction_id: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED


@dataclass(frozen=True, slots=True)
class PactResult:
    consumer: str
    provider: str
    source: str  # the pact file, URL or broker it came from
    interactions: tuple[InteractionResult, ...]

    @property
    def failed(self) -> bool:
        return any(i.failed for i in self.interactions)

    def count(self, status: Status) -> int:
        return sum(1 for i in self.interactions if i.status is status)


@dataclass(frozen=True, slots=True)
class ContractResult:
    provider: str
    target: str  # how the provider was reached: "--impl x:y", "--url ..."
    states_module: str | None
    pacts: tuple[PactResult, ...]
    elapsed: float
    errors: tuple[str, ...] = ()  # run-level: a pact that did not load, an unplaced failure
    notes: tuple[str, ...] = ()
    published: bool = False
    pact_version: str = ""  # pact-python's, for the reports

    @property
    def interactions(self) -> list[InteractionResult]:
        return [i for pact in self.pacts for i in pact.interactions]

    def count(self, status: Status) -> int:
        return sum(p.count(status) for p in self.pacts)

    def failed(self) -> bool:
        return bool(self.errors) or any(p.failed for p in self.pacts)
