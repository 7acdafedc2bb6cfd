"""What a fuzz run produces: typed values the report layer renders and replay files store.

A `Finding` is one distinct failure (deduplicated by operation + check + cause) with the
exact request/response of its minimal example and, for stateful failures, the steps that
lead to it. Its `verdict` sorts it into one of three groups, each with evidence.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import Location


class Verdict(enum.Enum):
    """Implementation bugs fail the run; contract defects only with `--strict`; tool
    limitations never (they are reported with the upstream issue)."""

    BUG = "implementation-bug"
    CONTRACT = "contract-defect"
    TOOL = "tool-limitation"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a finding is not an implementation bug: a lint rule (contract defects) or an
    upstream issue (tool limitations), with the proof found in the spec or the exchange."""

    reason: str  # a ctk lint rule id, or a stable id of a known tool limitation
    proof: str
    reference: str = ""  # upstream issue URL, for tool limitations

    def to_json(self) -> dict[str, str]:
        return {"reason": self.reason, "proof": self.proof, "reference": self.reference}


def location_json(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "pointer": location.pointer}


@dataclass(frozen=True, slots=True)
class Request:
    """One request as it went over the wire (body bytes exact)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": [list(pair) for pair in self.headers],
            "body_base64": _b64(self.body),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Request:
        return cls(
            str(data["method"]),
            str(data["url"]),
            tuple((str(k), str(v)) for k, v in data["headers"]),
            _unb64(data.get("body_base64")),
        )


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def media_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";", 1)[0].strip().lower()
        return ""

    def text(self, limit: int = 2000) -> str:
        text = self.body[:limit].decode("utf-8", "replace")
        return text + ("…" if len(self.body) > limit else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body_base64": _b64(self.body),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Response:
        return cls(
            int(data["status"]),
            tuple((str(k), str(v)) for k, v in data["headers"]),
            _unb64(data.get("body_base64")) or b"",
        )


@dataclass(frozen=True, slots=True)
class Step:
    """One call of a failing scenario: the operation, the generated case's components (so
    replay rebuilds the same case for the same check) and what went over the wire.

    `links` names the values a stateful step took from the previous response (location ->
    name -> runtime expression), which replay re-evaluates against the new response."""

    operation: str
    case: Mapping[str, Any]
    request: Request
    response: Response | None
    links: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    parent: str | None = None  # the id of the step whose response `links` read
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "operation": self.operation,
            "case": dict(self.case),
            "links": {k: dict(v) for k, v in self.links.items()},
            "request": self.request.to_json(),
            "response": self.response.to_json() if self.response else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        response = data.get("response")
        return cls(
            str(data["operation"]),
            dict(data["case"]),
            Request.from_json(data["request"]),
            Response.from_json(response) if response else None,
            {k: dict(v) for k, v in (data.get("links") or {}).items()},
            data.get("parent"),
            str(data.get("id") or ""),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One distinct failure: `steps[-1]` is the failing call."""

    operation: str  # "GET /things/{id}"
    operation_id: str
    check: str
    title: str
    message: str
    phase: str
    steps: tuple[Step, ...]
    location: Location
    verdict: Verdict = Verdict.BUG
    evidence: Evidence | None = None
    count: int = 1
    traceback: str = ""
    cause: str = ""  # schemathesis' own key of the failure (e.g. the status or schema path)
    # other checks the same server error failed (its status, media type, body shape)
    also: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Operation + check + cause: what makes two failures the same one."""
        return f"{self.operation} | {self.check} | {self.cause or self.title}"

    @property
    def failing(self) -> Step:
        return self.steps[-1]

    def summary_json(self) -> dict[str, Any]:
        """What every serialized form of a finding shares (reports and replay records)."""
        return {
            "operation": self.operation,
            "operation_id": self.operation_id,
            "check": self.check,
            "title": self.title,
            "message": self.message,
            "verdict": self.verdict.value,
            "evidence": self.evidence.to_json() if self.evidence else None,
            "location": location_json(self.location),
            "phase": self.phase,
            "count": self.count,
            "traceback": self.traceback,
            "also": list(self.also),
        }


@dataclass(slots=True)
class OperationStats:
    label: str
    operation_id: str
    cases: int = 0
    failures: int = 0  # distinct findings that are implementation bugs
    seconds: float = 0.0
    # schema-valid requests refused with a status the operation documents (never a failure,
    # never silent: counted here and shown in the summary)
    documented_refusals: dict[int, int] = field(default_factory=dict)
    # the same refusals by "status problem-type" (or media type), so a team can audit that
    # valid requests are refused only for reasons it documents
    refusal_reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InferredLink:
    source: str  # "POST /things -> 201"
    target: str  # "GET /things/{id}"
    parameters: Mapping[str, str]  # name -> runtime expression


@dataclass(frozen=True, slots=True)
class RunError:
    """Something that stopped part of the run (not a check failure): it fails the run,
    unless `evidence` shows the spec itself is broken there (then it is a contract defect,
    failing only with --strict)."""

    operation: str
    title: str
    message: str
    evidence: Evidence | None = None


@dataclass
class FuzzResult:
    spec: str
    target: str
    checks: tuple[str, ...]
    phases: tuple[str, ...]
    schemathesis_version: str
    seed: int | None
    shard: str | None = None
    operations: dict[str, OperationStats] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    inferred_links: list[InferredLink] = field(default_factory=list)
    phase_status: dict[str, str] = field(default_factory=dict)
    stopped_at_max_time: bool = False
    notes: list[str] = field(default_factory=list)  # what did not run, and why
    elapsed: float = 0.0

    @property
    def cases(self) -> int:
        return sum(op.cases for op in self.operations.values())

    def of(self, verdict: Verdict) -> list[Finding]:
        return [f for f in self.findings if f.verdict is verdict]

    def failed(self, *, strict: bool = False) -> bool:
        """Bugs and errors fail; contract defects (findings or errors) only when `strict`."""
        if self.of(Verdict.BUG) or any(e.evidence is None for e in self.errors):
            return True
        return strict and bool(self.of(Verdict.CONTRACT) or self.errors)


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes | None:
    return None if text is None else base64.b64decode(str(text))
