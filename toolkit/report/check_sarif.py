"""`ctk check`'s findings for code scanning: one SARIF run per lint, diff and pact-vs-spec
stage that ran, each as `ctk lint`/`ctk diff`/`ctk contract check` would write it."""

from __future__ import annotations

import json
from typing import Any

from toolkit.check import CheckResult
from toolkit.outcome import Outcome
from toolkit.report.sarif import SCHEMA, render_sarif


def render_check_sarif(result: CheckResult) -> str:
    runs: list[Any] = []
    for stage in result.stages:
        if isinstance(stage.payload, Outcome):
            run = json.loads(render_sarif(stage.payload))["runs"][0]
            run["automationDetails"] = {"id": f"ctk-check/{stage.api}/{stage.stage}/"}
            runs.append(run)
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": runs}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
