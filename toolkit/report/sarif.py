"""SARIF 2.1.0, the format GitHub code scanning and IDEs ingest."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from toolkit.errors import Diagnostic, Location, Severity, pointer_to_path
from toolkit.outcome import Outcome
from toolkit.report._meta import DISTRIBUTION, TOOL_NAME, tool_version

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = f"https://pypi.org/project/{DISTRIBUTION}/"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_DRIVE = re.compile(r"^[A-Za-z]:/")
_URL_SCHEMES = frozenset({"file", "http", "https"})


def render_sarif(outcome: Outcome) -> str:
    """One run; rules are listed by id for every rule that has a result, so results can
    point at them by index."""
    rule_ids = sorted({d.rule for d in outcome.diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "informationUri": INFORMATION_URI,
                "version": tool_version(),
                "rules": [_rule(outcome, rule_id) for rule_id in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",  # columns count str characters, not UTF-16 units
        "results": [_result(d, index[d.rule]) for d in outcome.diagnostics],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(outcome: Outcome, rule_id: str) -> dict[str, Any]:
    info = outcome.rules.get(rule_id)
    if info is not None:
        summary, severity = info.summary, info.severity
    else:
        summary = rule_id
        severity = next(d.severity for d in outcome.diagnostics if d.rule == rule_id)
    return {
        "id": rule_id,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": LEVEL[severity]},
    }


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    text = diagnostic.message
    if diagnostic.hint:
        text += f"\nhint: {diagnostic.hint}"
    result = {
        "ruleId": diagnostic.rule,
        "ruleIndex": rule_index,
        "level": LEVEL[diagnostic.severity],
        "message": {"text": text},
        "locations": [_location(diagnostic.location)],
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            {"id": index, **_location(r)} for index, r in enumerate(diagnostic.related)
        ]
    return result


def _location(location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(location.file)}
    if location.line is not None:
        region = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    result: dict[str, Any] = {"physicalLocation": physical}
    if location.pointer:
        result["logicalLocations"] = [{"fullyQualifiedName": pointer_to_path(location.pointer)}]
    return result


def artifact_location(file: str) -> dict[str, str]:
    """A relative path becomes a URI relative to the checkout (`%SRCROOT%`), which is what
    code scanning resolves; absolute paths and URLs stay absolute."""
    if urlsplit(file).scheme in _URL_SCHEMES:
        return {"uri": file}
    posix = file.replace("\\", "/")
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix)}
    if _DRIVE.match(posix):
        return {"uri": "file:///" + quote(posix, safe="/:")}
    return {"uri": quote(posix.removeprefix("./")), "uriBaseId": "%SRCROOT%"}
