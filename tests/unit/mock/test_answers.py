"""What each operation may answer: valid examples only, skipped ones reported where they are."""

from __future__ import annotations

from typing import Any

from toolkit.errors import Location, Severity
from toolkit.load.document import Document
from toolkit.mock.answers import Answers, header_safe, header_text, plan
from toolkit.mock.values import Values, schema_pointers
from toolkit.model import build_api


def _plans(things: Document, data: dict[str, Any]) -> tuple[dict[str, Answers], list[Any]]:
    values = Values(data, schema_pointers(data), seed=0)
    found: dict[str, Answers] = {}
    diagnostics = []
    for op in build_api(things).operations:
        answers, problems = plan(op, data, values, lambda p: Location("things.yaml", p))
        found[op.operation_id] = answers
        diagnostics += problems
    return found, diagnostics


def test_an_example_that_breaks_its_schema_is_never_served(
    things: Document, things_data: dict[str, Any]
) -> None:
    answers, diagnostics = _plans(things, things_data)
    created = answers["createThing"].default
    assert created is not None and created.key == "201"
    assert [label for label, _ in created.examples] == ["small"]
    (skipped,) = diagnostics
    assert skipped.rule == "example-valid" and skipped.severity is Severity.WARNING
    assert skipped.location.pointer.endswith("/examples/broken/value")
    assert "broken breaks its schema at /id" in skipped.message


def test_default_answer_statuses_and_kinds(things: Document, things_data: dict[str, Any]) -> None:
    answers, _ = _plans(things, things_data)
    assert answers["listThings"].default.key == "200"  # type: ignore[union-attr]
    deleted = answers["deleteThing"].default
    assert deleted is not None and deleted.key == "204" and deleted.kind == "none"
    health = answers["health"].default
    assert health is not None and health.kind == "text" and health.examples[0][1] == "ok"
    problem = answers["getThing"].for_status(404)
    assert problem is not None and problem.media == "application/problem+json"
    assert answers["getThing"].for_status(418) is None


def test_required_headers_take_their_example(things: Document, things_data: dict[str, Any]) -> None:
    answers, _ = _plans(things, things_data)
    created = answers["createThing"].default
    assert created is not None
    assert [(h.name, h.example) for h in created.headers] == [("X-Rate", 5)]


def test_header_text_is_the_simple_style() -> None:
    assert header_text([1, "a"]) == "1,a"
    assert header_text({"a": 1, "b": True}) == "a,1,b,true"
    assert header_safe("ok") and not header_safe(" padded") and not header_safe("é")
