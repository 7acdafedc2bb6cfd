"""Acceptance: schemathesis against the reference service, in-process.

Every phase (examples, coverage, fuzzing, stateful via the spec's links), positive and
negative data, every built-in check, at least 100 examples per operation, seeded and
derandomized so a failure reproduces. Responses are also validated by the runtime itself
(`validate_responses=True`), so a handler that breaks the contract answers 500 and fails
`not_a_server_error`.

Expected refusals of schema-valid requests are configured per operation and then audited:
a valid request may be refused only for a reason the spec documents and only by the service
(its problem `type` is one of `problems.SEMANTIC_TYPES`): a cursor that is not ours (400), a
stale `If-Match` (412), template/variable rules and reused idempotency keys (422), or a body
over the server's size limit (413), or text holding U+0000, which PostgreSQL cannot store (422).
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.python import asgi as schemathesis_asgi

from examples.prompt_library.problems import SEMANTIC_TYPES

from .conftest import build_app

SPEC = Path(__file__).parents[3] / "specs" / "prompt-library.yaml"
MAX_EXAMPLES = 100
MAX_BODY_BYTES = 1_048_576
OPERATIONS = {
    "listPrompts",
    "createPrompt",
    "getPrompt",
    "updatePrompt",
    "deletePrompt",
    "listPromptVersions",
    "createPromptVersion",
    "getPromptVersion",
    "renderPrompt",
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # schemathesis' default
REJECTED = [
    "400",
    "401",
    "403",
    "404",
    "405",
    "406",
    "409",
    "413",
    "415",
    "422",
    "428",
    "429",
    "5xx",
]
# What else a schema-valid request may get, per operation (audited below).
SEMANTIC_REFUSALS = {
    "listPrompts": ["400"],  # a cursor this listing did not hand out
    "listPromptVersions": ["400"],
    # undeclared placeholders, duplicate variables, reused key, NUL in stored text
    "createPrompt": ["413", "422"],
    "updatePrompt": ["412", "413", "422"],  # stale If-Match; NUL in stored text
    "deletePrompt": ["412"],
    "createPromptVersion": ["412", "413", "422"],
    "renderPrompt": ["413", "422"],  # missing required or undeclared variables
}


def _config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20241121,
            "headers": {"X-API-Key": "rw-key"},
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                # Real identifiers from earlier responses make fuzzing draw from a pool that
                # runs dry after a few dozen cases; stateful testing covers real resources.
                "fuzzing": {"extra-data-sources": {"responses": False}},
                "stateful": {"max-steps": 20},
            },
            "checks": {"negative_data_rejection": {"expected-statuses": REJECTED}},
            "operations": [
                {
                    "include-operation-id": operation,
                    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED + extra}},
                }
                for operation, extra in SEMANTIC_REFUSALS.items()
            ],
            "cache": {"enabled": False},
        }
    )


@pytest.fixture
def schema(in_tmp_cwd: Path, database_url: str) -> Iterator[Any]:
    app = build_app(database_url)
    loaded = schemathesis.openapi.from_path(SPEC, config=_config())
    loaded.app = app
    yield loaded
    schemathesis_asgi.shutdown_lifespans()  # our lifespan shutdown closes the database


def _describe(label: str, check: Any, interaction: Any) -> str:
    lines = [f"{label}: {check.name}"]
    if check.failure_info is not None:
        lines.append(str(check.failure_info.failure).strip())
    if interaction is not None and interaction.response is not None:
        request, response = interaction.request, interaction.response
        lines.append(f"{request.method} {request.uri} -> {response.status_code}")
        lines.append(response.content[:500].decode("utf-8", "replace"))
    return "\n".join(lines)


def _refusal_problem(case: Any, interaction: Any) -> str | None:
    """Why a schema-valid request's refusal is not one the service documents, if it is not."""
    response = interaction.response
    if response is None or response.status_code not in (400, 412, 413, 422):
        return None
    if response.status_code == 413:
        if len(interaction.request.body or b"") > MAX_BODY_BYTES:
            return None
        return "413 for a body within the size limit"
    try:
        kind = json.loads(response.content).get("type")
    except ValueError:
        kind = None
    if kind in SEMANTIC_TYPES:
        return None
    return f"refused with {response.status_code} {kind}: {response.content[:300]!r}"


def test_schemathesis_finds_no_failures(schema: Any) -> None:
    failures: list[str] = []
    errors: list[str] = []
    refusals: list[str] = []
    per_operation: collections.Counter[str] = collections.Counter()
    phases: dict[str, str] = {}
    labels = {
        operation.label: operation.definition.raw["operationId"]
        for operation in _operations(schema)
    }

    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            for case_id, node in recorder.cases.items():
                case = node.value
                per_operation[labels.get(case.operation.label, case.operation.label)] += 1
                interaction = recorder.interactions.get(case_id)
                meta = case.meta
                if (
                    interaction is not None
                    and meta is not None
                    and meta.generation.mode.is_positive
                ):
                    reason = _refusal_problem(case, interaction)
                    if reason is not None:
                        refusals.append(f"{case.operation.label}: {reason}")
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status.value == "failure":
                        failures.append(
                            _describe(recorder.label, check, recorder.interactions.get(case_id))
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.title}: {event.value}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.PhaseFinished):
            phases[event.phase.name.value] = event.status.value

    assert not errors, "\n\n".join(errors)
    assert not failures, f"{len(failures)} failed checks:\n\n" + "\n\n".join(
        dict.fromkeys(failures)
    )
    assert not refusals, "\n".join(dict.fromkeys(refusals))
    for phase in ("examples", "coverage", "fuzzing", "stateful"):
        assert phases.get(phase) == "success", phases
    thin = {op: per_operation[op] for op in OPERATIONS if per_operation[op] < MAX_EXAMPLES}
    assert not thin, f"fewer than {MAX_EXAMPLES} examples: {thin} (all: {dict(per_operation)})"


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()
