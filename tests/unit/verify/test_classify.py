"""The classifier's rules on hand-made findings: each verdict other than "bug" has evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import Location
from toolkit.load.document import load_document
from toolkit.verify.fuzz.classify import classify
from toolkit.verify.fuzz.results import (
    Finding,
    FuzzResult,
    Request,
    Response,
    RunError,
    Step,
    Verdict,
)

SPEC = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 10}}
        - {name: If-None-Match, in: header, schema: {type: string, pattern: '^"[0-9]+"$'}}
        - {name: X-Trace, in: header, schema: {type: string, pattern: '^[a-z]+$'}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array}}}
        "304": {description: not modified}
        "400": {description: bad}
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getItem
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object}}}
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def verdict(
    spec: Path,
    check: str,
    url: str,
    status: int,
    body: bytes = b"",
    meta: dict[str, Any] | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> Finding:
    document = load_document(spec)
    label = "GET /items/{id}" if "/items/" in url else "GET /items"
    step = Step(
        label,
        {"meta": meta or {}},
        Request("GET", "http://localhost" + url, headers, None),
        Response(status, (("content-type", "text/plain"),) if body else (), body),
    )
    finding = Finding(label, "", check, "t", "m", "fuzzing", (step,), Location(str(spec)))
    result = FuzzResult(str(spec), "t", (), (), "4.32", 1, findings=[finding])
    classify(result, document, document.data, "http://localhost")
    return result.findings[0]


def test_an_unknown_id_without_a_documented_404_is_a_contract_defect(spec: Path) -> None:
    found = verdict(spec, "status_code_conformance", "/items/x", 404)
    assert found.verdict is Verdict.CONTRACT and found.evidence is not None
    assert found.evidence.reason == "operation-404-response"


def test_negative_data_valid_as_sent_is_a_tool_limitation(spec: Path) -> None:
    found = verdict(
        spec,
        "negative_data_rejection",
        "/items?limit=5",
        200,
        meta={"components": {"query": "negative"}},
    )
    assert found.verdict is Verdict.TOOL and found.evidence is not None
    assert found.evidence.reference.endswith("/2900")  # a query parameter


def test_negative_data_invalid_as_sent_stays_a_bug(spec: Path) -> None:
    found = verdict(spec, "negative_data_rejection", "/items?limit=50", 200)
    assert found.verdict is Verdict.BUG and found.evidence is None


def test_positive_data_invalid_as_sent_is_a_tool_limitation(spec: Path) -> None:
    found = verdict(spec, "positive_data_acceptance", "/items?limit=0", 400)
    assert found.verdict is Verdict.TOOL


def test_refusing_a_request_valid_as_sent_is_a_bug_even_without_documented_4xx(spec: Path) -> None:
    found = verdict(spec, "status_code_conformance", "/items/x", 406)  # valid request refused
    assert found.verdict is Verdict.BUG


def test_content_type_of_a_bodyless_response_is_a_tool_limitation(spec: Path) -> None:
    assert verdict(spec, "content_type_conformance", "/items", 304).verdict is Verdict.TOOL
    assert verdict(spec, "content_type_conformance", "/items", 200, b"x").verdict is Verdict.BUG


def test_one_crash_is_one_finding(spec: Path) -> None:
    document = load_document(spec)

    def finding(check: str, status: int) -> Finding:
        step = Step(
            "GET /items",
            {},
            Request("GET", "http://localhost/items", (), None),
            Response(status, (), b""),
        )
        return Finding("GET /items", "", check, check, "m", "fuzzing", (step,), Location(str(spec)))

    findings = [
        finding("not_a_server_error", 500),
        finding("status_code_conformance", 500),
        finding("content_type_conformance", 500),
        finding("status_code_conformance", 418),  # another exchange: kept
    ]
    result = FuzzResult(str(spec), "t", (), (), "4.32", 1, findings=findings)
    classify(result, document, document.data, "http://localhost")
    assert [(f.check, f.also) for f in result.findings] == [
        ("not_a_server_error", ("content_type_conformance", "status_code_conformance")),
        ("status_code_conformance", ()),
    ]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("If-None-Match", "", Verdict.TOOL),  # a list field sent empty: no field at all
        ("If-None-Match", "abc", Verdict.BUG),  # really invalid
        ("X-Trace", "", Verdict.BUG),  # not a list field: empty is a value
    ],
)
def test_an_empty_optional_list_header_is_not_invalid(
    spec: Path, name: str, value: str, expected: Verdict
) -> None:
    meta = {"components": {"header": "negative"}, "parameter": name, "parameter_location": "header"}
    # a 3.0 second opinion would also decide; this rule must stand on its own (Swagger 2.0)
    found = verdict(
        spec, "negative_data_rejection", "/items?limit=50", 200, meta=meta, headers=((name, value),)
    )
    assert found.verdict is expected, found.evidence


def test_an_operation_untestable_because_its_spec_is_invalid_is_a_contract_defect(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SPEC + '  /things/{thing}:\n    get:\n      responses:\n        "200": {description: ok}\n',
        encoding="utf-8",
    )
    document = load_document(broken)
    errors = [
        RunError("GET /things/{thing}", "Schema Error", "Path parameter 'thing' is not defined"),
        RunError("GET /items", "Runtime Error", "something else went wrong"),
    ]
    result = FuzzResult(str(broken), "t", (), (), "4.32", 1, errors=errors)
    classify(result, document, document.data, "http://localhost")
    explained, unexplained = result.errors
    assert explained.evidence is not None and explained.evidence.reason == "path-params-declared"
    assert unexplained.evidence is None
    assert (
        result.failed()
        and not FuzzResult(str(broken), "t", (), (), "4.32", 1, errors=[explained]).failed()
    )
    assert FuzzResult(str(broken), "t", (), (), "4.32", 1, errors=[explained]).failed(strict=True)
