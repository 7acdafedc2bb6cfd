"""A `ctk check` run as plain data: report.json, and what the HTML page is built from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.check import CheckResult, StageResult
from toolkit.errors import Location
from toolkit.outcome import Outcome
from toolkit.report._snippet import SourceLines
from toolkit.report.fuzz_data import fuzz_data
from toolkit.verify.contract.results import ContractResult
from toolkit.verify.fuzz.results import FuzzResult


def check_data(result: CheckResult) -> dict[str, Any]:
    sources = _sources(result)
    return {
        "tool": "ctk check",
        "root": result.root,
        "failed": result.failed,
        "elapsed": round(result.elapsed, 3),
        "stages": [_stage(stage, sources) for stage in result.stages],
    }


def render_check_json(result: CheckResult) -> str:
    return json.dumps(check_data(result), indent=2, ensure_ascii=False) + "\n"


def _sources(result: CheckResult) -> dict[str, SourceLines]:
    """The texts of every file a finding may point into (spec files, pacts), by display name."""
    found: dict[str, SourceLines] = {}
    for stage in result.stages:
        if isinstance(stage.payload, Outcome):
            found.update({name: SourceLines(text) for name, text in stage.payload.sources.items()})
    return found


def _stage(stage: StageResult, sources: dict[str, SourceLines]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api": stage.api,
        "stage": stage.stage,
        "status": stage.status.value,
        "summary": stage.summary,
        "reason": stage.reason,
        "elapsed": round(stage.elapsed, 3),
        "tests": len(stage.cases),
        "failures": stage.failures,
        "cases": [
            {
                "name": case.name,
                "passed": case.passed,
                "message": case.message,
                "location": None if case.location is None else _location(case.location),
                "snippet": _snippet(case.location, sources),
                "detail": case.detail,
            }
            for case in stage.cases
        ],
    }
    if isinstance(stage.payload, FuzzResult):
        data["fuzz"] = fuzz_data(
            stage.payload,
            strict=bool(stage.extra.get("strict")),
            replays=stage.extra.get("replays", {}),
        )
        for finding in data["fuzz"]["findings"]:
            script = Path(f"{finding['replay']}.sh") if finding["replay"] else None
            finding["curl"] = (
                script.read_text(encoding="utf-8") if script and script.is_file() else ""
            )
    if isinstance(stage.payload, ContractResult):
        data["pacts"] = [
            {
                "consumer": pact.consumer,
                "provider": pact.provider,
                "source": pact.source,
                "interactions": [
                    {
                        "description": i.description,
                        "states": list(i.states),
                        "status": i.status.value,
                        "differences": [d.to_json() for d in i.differences],
                        "state_failures": [f.to_json() for f in i.state_failures],
                    }
                    for i in pact.interactions
                ],
            }
            for pact in stage.payload.pacts
        ]
    return data


def _location(location: Location) -> dict[str, Any]:
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
        "text": str(location),
    }


def _snippet(location: Location | None, sources: dict[str, SourceLines]) -> str:
    """The offending lines, numbered, with the finding's line marked."""
    if location is None or location.line is None or location.file not in sources:
        return ""
    snippet = sources[location.file].snippet(location.line, location.column, context=2)
    if snippet is None:
        return ""
    return "\n".join(
        f"{'>' if number == snippet.line else ' '} {number:5} | {text}"
        for number, text in snippet.lines
    )
