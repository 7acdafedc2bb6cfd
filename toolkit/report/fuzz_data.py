"""A fuzz result as plain data: the JSON report, and what the HTML page is built from."""

from __future__ import annotations

import json
from typing import Any

from toolkit.verify.fuzz.results import Finding, FuzzResult


def fuzz_data(
    result: FuzzResult, *, strict: bool = False, replays: dict[str, str] | None = None
) -> dict[str, Any]:
    replays = replays or {}
    return {
        "tool": "ctk fuzz",
        "spec": result.spec,
        "target": result.target,
        "schemathesis": result.schemathesis_version,
        "seed": result.seed,
        "shard": result.shard,
        "phases": list(result.phases),
        "phase_status": dict(result.phase_status),
        "checks": list(result.checks),
        "strict": strict,
        "failed": result.failed(strict=strict),
        "elapsed": round(result.elapsed, 3),
        "stopped_at_max_time": result.stopped_at_max_time,
        "notes": list(result.notes),
        "cases": result.cases,
        "operations": [
            {
                "operation": op.label,
                "operation_id": op.operation_id,
                "cases": op.cases,
                "failures": sum(
                    1
                    for f in result.findings
                    if f.operation == op.label and f.verdict.value == "implementation-bug"
                ),
                "seconds": round(op.seconds, 3),
                "documented_refusals": {
                    str(k): v for k, v in sorted(op.documented_refusals.items())
                },
                "refusal_reasons": dict(sorted(op.refusal_reasons.items())),
            }
            for op in result.operations.values()
        ],
        "inferred_links": [
            {"source": link.source, "target": link.target, "parameters": dict(link.parameters)}
            for link in result.inferred_links
        ],
        "findings": [_finding(f, replays.get(f.key)) for f in result.findings],
        "errors": [
            {
                "operation": e.operation,
                "title": e.title,
                "message": e.message,
                "evidence": e.evidence.to_json() if e.evidence else None,
            }
            for e in result.errors
        ],
    }


def _finding(finding: Finding, replay: str | None) -> dict[str, Any]:
    step = finding.failing
    response = step.response
    return {
        **finding.summary_json(),
        "request": {
            "method": step.request.method,
            "url": step.request.url,
            "headers": [list(h) for h in step.request.headers],
            "body": (step.request.body or b"").decode("utf-8", "replace"),
        },
        "response": None
        if response is None
        else {
            "status": response.status,
            "headers": [list(h) for h in response.headers],
            "body": response.text(4000),
        },
        "steps": len(finding.steps),
        "replay": replay,
    }


def render_fuzz_json(
    result: FuzzResult, *, strict: bool = False, replays: dict[str, str] | None = None
) -> str:
    return (
        json.dumps(fuzz_data(result, strict=strict, replays=replays), indent=2, ensure_ascii=False)
        + "\n"
    )
