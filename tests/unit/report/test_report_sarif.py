from __future__ import annotations

import json
from typing import Any

import pytest

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome
from toolkit.report import render_sarif
from toolkit.report._meta import tool_version
from toolkit.report.sarif import artifact_location


def _check_structure(document: dict[str, Any]) -> None:
    """The parts of the SARIF 2.1.0 schema that consumers rely on."""
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert isinstance(driver["name"], str)
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    for rule in rules:
        assert set(rule) >= {"id", "shortDescription", "defaultConfiguration"}
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for result in run["results"]:
        assert result["level"] in {"error", "warning", "note"}
        assert isinstance(result["message"]["text"], str)
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert isinstance(physical["artifactLocation"]["uri"], str)
            region = physical.get("region", {"startLine": 1})
            assert region["startLine"] >= 1
            assert region.get("startColumn", 1) >= 1


def test_structure_levels_and_regions(outcome: Outcome) -> None:
    document = json.loads(render_sarif(outcome))
    _check_structure(document)
    [run] = document["runs"]
    assert run["tool"]["driver"]["name"] == "ctk"
    assert run["tool"]["driver"]["version"] == tool_version()
    assert run["tool"]["driver"]["rules"] == [
        {
            "id": "info-contact",
            "shortDescription": {"text": "info-contact"},
            "defaultConfiguration": {"level": "warning"},
        },
        {
            "id": "operation-id",
            "shortDescription": {"text": "Every operation has an operationId"},
            "defaultConfiguration": {"level": "error"},
        },
        {
            "id": "servers",
            "shortDescription": {"text": "servers"},
            "defaultConfiguration": {"level": "note"},
        },
    ]
    first, second, third = run["results"]
    assert first == {
        "ruleId": "operation-id",
        "ruleIndex": 1,
        "level": "error",
        "message": {"text": "Operation has no operationId\nhint: add an operationId"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "spec.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 4, "startColumn": 5},
                },
                "logicalLocations": [{"fullyQualifiedName": "paths./pets.get"}],
            }
        ],
    }
    assert second["level"] == "warning"
    assert "region" not in second["locations"][0]["physicalLocation"]
    assert second["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "info"}]
    assert third["level"] == "note"
    assert third["message"]["text"] == "no servers listed"
    assert "logicalLocations" not in third["locations"][0]


def test_clean_run_is_valid(clean: Outcome) -> None:
    document = json.loads(render_sarif(clean))
    _check_structure(document)
    assert document["runs"][0]["results"] == []
    assert document["runs"][0]["tool"]["driver"]["rules"] == []


def test_line_without_column() -> None:
    diagnostic = Diagnostic("r", Severity.ERROR, "m", Location("a.yaml", line=3))
    document = json.loads(render_sarif(Outcome("ctk lint", ("a.yaml",), (diagnostic,))))
    [result] = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("specs/api.yaml", {"uri": "specs/api.yaml", "uriBaseId": "%SRCROOT%"}),
        ("./specs/my api.yaml", {"uri": "specs/my%20api.yaml", "uriBaseId": "%SRCROOT%"}),
        ("specs\\win.yaml", {"uri": "specs/win.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/abs/api.yaml", {"uri": "file:///abs/api.yaml"}),
        ("C:\\work\\api.yaml", {"uri": "file:///C:/work/api.yaml"}),
        ("https://example.com/api.yaml", {"uri": "https://example.com/api.yaml"}),
    ],
)
def test_artifact_location(file: str, expected: dict[str, str]) -> None:
    assert artifact_location(file) == expected


def test_deterministic(outcome: Outcome) -> None:
    assert render_sarif(outcome) == render_sarif(outcome)
