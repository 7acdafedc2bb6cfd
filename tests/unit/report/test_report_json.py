from __future__ import annotations

import json
from dataclasses import replace

import pytest

from toolkit.errors import Severity
from toolkit.outcome import Outcome
from toolkit.report import render_json
from toolkit.report._meta import tool_version


def test_round_trips(outcome: Outcome) -> None:
    document = json.loads(render_json(outcome, fail_on=Severity.ERROR))
    assert document == {
        "tool": "ctk lint",
        "version": tool_version(),
        "targets": ["spec.yaml", "other.yaml"],
        "summary": {"error": 1, "warning": 1, "info": 1, "failed": True},
        "diagnostics": [
            {
                "rule": "operation-id",
                "severity": "error",
                "message": "Operation has no operationId",
                "hint": "add an operationId",
                "file": "spec.yaml",
                "line": 4,
                "column": 5,
                "pointer": "/paths/~1pets/get",
                "path": "paths./pets.get",
                "related": [],
            },
            {
                "rule": "info-contact",
                "severity": "warning",
                "message": "info has no contact",
                "hint": "add info.contact",
                "file": "spec.yaml",
                "line": None,
                "column": None,
                "pointer": "/info",
                "path": "info",
                "related": [],
            },
            {
                "rule": "servers",
                "severity": "info",
                "message": "no servers listed",
                "hint": "",
                "file": "spec.yaml",
                "line": None,
                "column": None,
                "pointer": "",
                "path": "#",
                "related": [],
            },
        ],
    }


@pytest.mark.parametrize(
    ("fail_on", "failed"),
    [(Severity.ERROR, False), (Severity.WARNING, True), (Severity.INFO, True)],
)
def test_failed_follows_fail_on(outcome: Outcome, fail_on: Severity, failed: bool) -> None:
    kept = tuple(d for d in outcome.diagnostics if d.severity < Severity.ERROR)
    summary = json.loads(render_json(replace(outcome, diagnostics=kept), fail_on=fail_on))[
        "summary"
    ]
    assert summary == {"error": 0, "warning": 1, "info": 1, "failed": failed}


def test_clean_outcome_snapshot(clean: Outcome) -> None:
    version = json.dumps(tool_version())
    assert render_json(clean, fail_on=Severity.INFO) == (
        "{\n"
        '  "tool": "ctk lint",\n'
        f'  "version": {version},\n'
        '  "targets": [\n'
        '    "a.yaml",\n'
        '    "b.json"\n'
        "  ],\n"
        '  "summary": {\n'
        '    "error": 0,\n'
        '    "warning": 0,\n'
        '    "info": 0,\n'
        '    "failed": false\n'
        "  },\n"
        '  "diagnostics": []\n'
        "}\n"
    )
