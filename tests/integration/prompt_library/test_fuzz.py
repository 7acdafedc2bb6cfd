"""Dogfood: `ctk fuzz` (via `toolkit.testing`) against the reference service, in-process.

Every phase (examples, coverage, fuzzing, stateful with the spec's and inferred links),
positive and negative data, every schemathesis check, at least 100 examples per operation,
with `--strict` (contract defects fail too). Responses are also validated by the runtime
itself (`validate_responses=True`), so a handler that breaks the contract answers 500.

Schema-valid requests may be refused only for reasons the spec documents and only by the
service (its problem `type` is one of `problems.SEMANTIC_TYPES`): a cursor that is not
ours (400), a stale `If-Match` (412), template/variable rules and reused idempotency keys
(422), text holding U+0000 that PostgreSQL cannot store (422), or a body over the size
limit (413, the runtime's own refusal). ctk counts those refusals per reason; the audit
below checks every reason it saw.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from schemathesis.python import asgi as schemathesis_asgi

from examples.prompt_library.problems import SEMANTIC_TYPES
from toolkit.report.fuzz_text import render_fuzz_text
from toolkit.testing import fuzz
from toolkit.verify.fuzz.outcome import fuzz_outcome
from toolkit.verify.fuzz.results import FuzzResult

from .conftest import build_app

SPEC = Path(__file__).parents[3] / "specs" / "prompt-library.yaml"
MAX_EXAMPLES = 100
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
TOO_LARGE = "413 about:blank (Payload Too Large)"


@pytest.fixture
def result(tmp_path: Path, database_url: str) -> Iterator[FuzzResult]:
    app = build_app(database_url)
    yield fuzz(
        SPEC,
        app=app,
        seed=20241121,
        max_examples=MAX_EXAMPLES,
        headers=("X-API-Key: rw-key",),
        out=tmp_path / "fuzz",
    )
    schemathesis_asgi.shutdown_lifespans()  # our lifespan shutdown closes the database


def test_ctk_fuzz_finds_no_failures_and_refusals_are_documented(result: FuzzResult) -> None:
    report = render_fuzz_text(result, fuzz_outcome(result), strict=True)
    assert not result.failed(strict=True), report
    assert result.findings == [], report
    assert result.phase_status == dict.fromkeys(
        ("examples", "coverage", "fuzzing", "stateful"), "success"
    )
    by_id = {op.operation_id: op for op in result.operations.values()}
    assert set(by_id) == OPERATIONS
    thin = {name: op.cases for name, op in by_id.items() if op.cases < MAX_EXAMPLES}
    assert not thin, f"fewer than {MAX_EXAMPLES} cases: {thin}"
    assert "use_after_free" in result.checks and "negative_data_rejection" in result.checks
    # the audit: schema-valid requests refused only for reasons the service documents
    unexpected = {
        op.operation_id: reason
        for op in result.operations.values()
        for reason in op.refusal_reasons
        if reason.partition(" ")[2] not in SEMANTIC_TYPES and reason != TOO_LARGE
    }
    assert not unexpected, unexpected
    seen = {reason for op in result.operations.values() for reason in op.refusal_reasons}
    assert any(r.endswith("/precondition-failed") for r in seen), seen  # the audit saw some
