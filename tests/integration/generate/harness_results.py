"""What the harness records: one `SpecResult` per document, holding `Problem`s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

STAGES = ("generate", "import", "ruff", "mypy", "app", "schemathesis")
MAX_MESSAGE = 600


@dataclass
class Problem:
    # generate | import | ruff | mypy | example | app | schemathesis | runtime-log | harness
    stage: str
    kind: str  # ruff code, mypy code, check name, exception type, ...
    message: str
    operation: str = ""  # "GET /pets" when it concerns one operation
    count: int = 1  # occurrences folded into this one (same check, operation and title)
    detail: str = ""  # a sample to reproduce it (curl and response, traceback, line)
    klass: str = ""  # a..e or "?" (classify.py)
    reason: str = ""  # a reason id of classify.REASONS


@dataclass
class SpecResult:
    spec: str
    package: str
    openapi: str = ""
    operations: int = 0
    stages: dict[str, str] = field(default_factory=lambda: dict.fromkeys(STAGES, "skipped"))
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)  # operation -> where its reply is from
    spec_defects: list[str] = field(default_factory=list)  # proven defects of the document
    cases: int = 0  # requests schemathesis sent
    tested: int = 0  # operations schemathesis finished
    op_ids: dict[str, str] = field(default_factory=dict)  # operationId -> "GET /path"
    workarounds: list[str] = field(default_factory=list)  # harness work-arounds used

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpecResult:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}  # older results carry more
        values["problems"] = [Problem(**p) for p in values.get("problems", [])]
        return cls(**values)

    @property
    def failures(self) -> list[Problem]:
        """Problems that fail a stage (runtime-log lines are evidence, not failures)."""
        return [p for p in self.problems if p.stage != "runtime-log"]


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."
