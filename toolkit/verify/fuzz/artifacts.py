"""Each distinct failure as three files: a replay record (JSON), a curl script and a
standalone pytest file. Committed, the pytest file is a permanent regression test."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from toolkit._files import write_atomic
from toolkit.verify.fuzz.curl import curl_command
from toolkit.verify.fuzz.replay import MARKER, VERSION, read_record
from toolkit.verify.fuzz.results import Finding, FuzzResult
from toolkit.verify.fuzz.target import Target

FAILURES = "failures"


def slug(finding: Finding) -> str:
    """Stable per failure key, a valid module name: `getThing__not_a_server_error__1a2b3c4d`."""
    name = finding.operation_id or finding.operation
    name = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_") or "operation"
    digest = hashlib.sha256(finding.key.encode()).hexdigest()[:8]
    return f"{name}__{finding.check}__{digest}"


def record(
    finding: Finding,
    result: FuzzResult,
    target: Target,
    spec: str,
    headers: tuple[str, ...],
    package: str | None,
) -> dict[str, Any]:
    return {
        MARKER: VERSION,
        "spec": spec,
        "target": {"kind": target.kind, "name": target.name, "package": package},
        "headers": list(headers),  # as given: ${VAR} stays unexpanded, secrets stay out
        **finding.summary_json(),
        "schemathesis": result.schemathesis_version,
        "seed": result.seed,
        "steps": [step.to_json() for step in finding.steps],
    }


def curl_script(finding: Finding, base_url: str) -> str:
    lines = [
        "#!/usr/bin/env bash",
        f"# ctk fuzz: {finding.operation}: {finding.check}: {finding.title}",
        f"# Set {'CTK_BASE_URL'} to the service's base URL (default: {base_url}).",
    ]
    for number, step in enumerate(finding.steps, 1):
        if len(finding.steps) > 1:
            lines.append(f"# step {number}/{len(finding.steps)}: {step.operation}")
            if step.links:
                lines.append("#   (ids in this request came from the previous response)")
        lines.append(curl_command(step.request, base_url))
    return "\n".join(lines) + "\n"


def pytest_file(finding: Finding, name: str) -> str:
    test = re.sub(r"\W", "_", f"test_{name}")
    summary = f"{finding.operation}: {finding.check}: {finding.title}"
    summary = summary.replace("\\", "\\\\").replace('"', "'")
    return (
        f'"""Regression test written by `ctk fuzz`: {summary}.\n\n'
        "Replays the stored request(s) beside this file against the target they were found on\n"
        "(override with CTK_FUZZ_APP, CTK_FUZZ_IMPL or CTK_FUZZ_URL) and fails while the\n"
        'contract property is still broken.\n"""\n\n'
        "from pathlib import Path\n\n"
        "from toolkit.testing import replay_failure\n\n\n"
        f"def {test}() -> None:\n"
        f'    replay_failure(Path(__file__).with_name("{name}.json"))\n'
    )


def write_failures(
    result: FuzzResult,
    out: Path,
    target: Target,
    spec: str,
    headers: tuple[str, ...],
    package: str | None,
) -> list[Path]:
    """Write every finding under `out/failures/`; earlier ctk files there are removed
    first (nothing else is touched). Returns the JSON records written."""
    folder = out / FAILURES
    _clear(folder)
    written = []
    for finding in result.findings:
        name = slug(finding)
        data = record(finding, result, target, spec, headers, package)
        json_path = folder / f"{name}.json"
        write_atomic(json_path, json.dumps(data, indent=2, ensure_ascii=True) + "\n")
        write_atomic(
            folder / f"{name}.sh",
            curl_script(
                finding, target.base_url if target.kind == "url" else "http://127.0.0.1:8000"
            ),
        )
        write_atomic(folder / f"test_{name}.py", pytest_file(finding, name))
        written.append(json_path)
    return written


def _clear(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in folder.glob("*.json"):
        if read_record(path) is None:
            continue
        stem = path.stem
        for sibling in (path, folder / f"{stem}.sh", folder / f"test_{stem}.py"):
            sibling.unlink(missing_ok=True)
