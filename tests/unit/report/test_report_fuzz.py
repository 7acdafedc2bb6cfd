"""The fuzz renderers: one result, four outputs, hostile text kept inert."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from toolkit.errors import Location
from toolkit.report.fuzz_data import render_fuzz_json
from toolkit.report.fuzz_html import render_fuzz_html
from toolkit.report.fuzz_junit import render_fuzz_junit
from toolkit.report.fuzz_text import render_fuzz_text
from toolkit.verify.fuzz.outcome import fuzz_outcome
from toolkit.verify.fuzz.results import (
    Evidence,
    Finding,
    FuzzResult,
    InferredLink,
    OperationStats,
    Request,
    Response,
    Step,
    Verdict,
)

HOSTILE = "<script>alert('x')</script> \x00\x1b[31m & \"q\""


def _result() -> FuzzResult:
    step = Step(
        "GET /things/{id}",
        {},
        Request("GET", "http://localhost/things/%3Cscript%3E", (("X-A", HOSTILE),), None),
        Response(500, (("content-type", "text/html"),), HOSTILE.encode()),
    )
    bug = Finding(
        "GET /things/{id}",
        "getThing",
        "not_a_server_error",
        "Server error",
        HOSTILE,
        "fuzzing",
        (step,),
        Location("spec.yaml", "/paths/~1things~1{id}/get", 12, 5),
        traceback=HOSTILE,
    )
    defect = Finding(
        "GET /things/{id}",
        "getThing",
        "status_code_conformance",
        "Undocumented status code",
        "404",
        "coverage",
        (step,),
        Location("spec.yaml", "/paths/~1things~1{id}/get/responses", 14, 7),
        verdict=Verdict.CONTRACT,
        evidence=Evidence("operation-404-response", "documents no 404"),
    )
    result = FuzzResult(
        spec="spec.yaml",
        target="--app m:app",
        checks=("not_a_server_error", "status_code_conformance"),
        phases=("examples", "coverage", "fuzzing", "stateful"),
        schemathesis_version="4.32.5",
        seed=7,
    )
    result.operations = {
        "GET /things/{id}": OperationStats("GET /things/{id}", "getThing", cases=40, seconds=0.5),
        "POST /things": OperationStats(
            "POST /things", "createThing", cases=60, documented_refusals={422: 3}
        ),
    }
    result.findings = [bug, defect]
    result.inferred_links = [
        InferredLink("POST /things -> 201", "GET /things/{id}", {"id": "$response.body#/id"})
    ]
    result.phase_status = dict.fromkeys(result.phases, "failure")
    return result


def test_html_is_self_contained_and_escaped() -> None:
    page = render_fuzz_html(_result())
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "src=" not in page and "<link" not in page  # no CDN, no external resources
    assert page.count("<details>") == 2
    assert "implementation-bug" in page and "contract-defect" in page


def test_junit_has_one_case_per_operation_and_check() -> None:
    root = ET.fromstring(render_fuzz_junit(_result()))
    cases = root.findall(".//testcase")
    assert len(cases) == 2 * 2
    assert root.get("failures") == "1"  # the contract defect fails only with --strict
    strict = ET.fromstring(render_fuzz_junit(_result(), strict=True))
    assert strict.get("failures") == "2"
    properties = {p.get("name"): p.get("value") for p in root.findall(".//property")}
    assert properties["schemathesis"] == "4.32.5" and properties["seed"] == "7"


def test_json_round_trips_with_verdicts_and_locations() -> None:
    data = json.loads(render_fuzz_json(_result()))
    assert data["failed"] is True
    assert [f["verdict"] for f in data["findings"]] == ["implementation-bug", "contract-defect"]
    assert data["findings"][1]["evidence"]["reason"] == "operation-404-response"
    assert data["findings"][0]["location"] == {
        "file": "spec.yaml",
        "line": 12,
        "pointer": "/paths/~1things~1{id}/get",
    }
    assert data["operations"][0]["failures"] == 1
    assert data["schemathesis"] == "4.32.5" and data["checks"] == [
        "not_a_server_error",
        "status_code_conformance",
    ]


def test_text_names_versions_checks_links_and_verdicts() -> None:
    result = _result()
    text = render_fuzz_text(result, fuzz_outcome(result))
    assert "schemathesis 4.32.5" in text and "checks: not_a_server_error" in text
    assert "POST /things -> 201 => GET /things/{id}" in text
    assert "3x 422" in text
    assert "1 implementation bug(s); 1 contract defect(s); 0 tool limitation(s)" in text
    assert text.rstrip().splitlines()[-1].startswith("FAILED")
    assert "\x1b[31m" not in text  # hostile escape codes are not passed to the terminal
