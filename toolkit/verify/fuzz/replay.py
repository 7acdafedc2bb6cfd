"""Rerun a stored failure: the same case(s), the same check, against any target.

A replay rebuilds each step's case from its stored components, re-reads the values a
stateful step took from the previous response (the ids differ on a fresh server), sends
it, and runs the one schemathesis check that failed, with the chain recorded so
multi-step checks (use_after_free) see it. It passes once the contract property holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.config import FuzzOptions
from toolkit.errors import Location, UsageError
from toolkit.load.bundle import bundle_document
from toolkit.load.document import load_document
from toolkit.verify.fuzz._codec import decode_case
from toolkit.verify.fuzz._guard import Guard
from toolkit.verify.fuzz._schema import load_schema
from toolkit.verify.fuzz.checks import check_names
from toolkit.verify.fuzz.headers import parse_headers
from toolkit.verify.fuzz.results import Step
from toolkit.verify.fuzz.target import Target

MARKER = "ctk-fuzz-replay"
VERSION = 1


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    path: Path
    operation: str
    check: str
    passed: bool
    detail: str
    status: int | None


@dataclass(frozen=True)
class ReplayRecord:
    path: Path
    data: dict[str, Any]

    @property
    def steps(self) -> list[Step]:
        return [Step.from_json(s) for s in self.data["steps"]]

    def spec_path(self) -> Path:
        """The spec, relative to the cwd or to a folder above the replay file."""
        given = Path(self.data["spec"])
        if given.is_absolute() or (Path.cwd() / given).exists():
            return given
        for folder in self.path.resolve().parents:
            if (folder / given).exists():
                return folder / given
        raise UsageError(
            f"the spec {given} of this replay file is not found",
            Location(str(self.path)),
            hint="run from the project root, or pass the spec with --spec",
        )

    def options(self) -> FuzzOptions:
        target = self.data.get("target") or {}
        kind, name = target.get("kind"), target.get("name")
        return FuzzOptions(
            app=name if kind == "app" else None,
            impl=name if kind == "impl" else None,
            url=name if kind == "url" else None,
            mock=kind == "mock",
            package=target.get("package"),
            headers=tuple(self.data.get("headers") or ()),
        )


def read_record(path: Path) -> ReplayRecord | None:
    """The replay record in `path`, or None when the file is not one of ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get(MARKER) != VERSION:
        return None
    return ReplayRecord(path, data)


def find_records(folder: Path) -> list[ReplayRecord]:
    if folder.is_file():
        found = read_record(folder)
        if found is None:
            raise UsageError(f"{folder} is not a ctk fuzz replay file", Location(str(folder)))
        return [found]
    if not folder.is_dir():
        raise UsageError(f"no such replay folder: {folder}", Location(str(folder)))
    records = [r for p in sorted(folder.rglob("*.json")) if (r := read_record(p)) is not None]
    if not records:
        raise UsageError(
            f"{folder} holds no ctk fuzz replay files",
            Location(str(folder)),
            hint="ctk fuzz writes them to --out (default .ctk/fuzz/failures)",
        )
    return records


def replay(record: ReplayRecord, target: Target, spec: Path | None = None) -> ReplayOutcome:
    """Send the stored steps to `target` and run the failed check on the last response."""
    from schemathesis.checks import CHECKS
    from schemathesis.core.failures import FailureGroup
    from schemathesis.engine.recorder import ScenarioRecorder

    data = record.data
    spec = spec or record.spec_path()
    document = bundle_document(load_document(spec)).data
    headers = parse_headers(target.headers)
    headers.update(parse_headers(data.get("headers") or ()))
    app = Guard(target.app) if target.app is not None else None
    schema = load_schema(document, {"base-url": target.base_url}, app)
    check_names([data["check"]])  # a record from another schemathesis version may name others
    (check,) = CHECKS.get_by_names([data["check"]])
    recorder = ScenarioRecorder(label=data["operation"])
    sent: dict[str, tuple[Any, Any]] = {}  # step id -> (case, response)
    case = response = None
    extra: dict[str, str] = {}
    for step in record.steps:
        operation = _operation(schema, step.operation, record)
        case = decode_case(operation, step.case)
        parent = sent.get(step.parent or "")
        if parent is not None and step.links:
            _follow_links(case, step, *parent)
        # configured headers go only where they went (an auth check sent none)
        carried = {name.lower() for name, _ in step.request.headers}
        extra = {k: v for k, v in headers.items() if k.lower() in carried}
        response = case.call(base_url=target.base_url, headers=extra)
        recorder.record_case(case=case, parent_id=parent[0].id if parent else None)
        recorder.record_response(case_id=case.id, response=response)
        sent[step.id or case.id] = (case, response)
    assert case is not None and response is not None
    try:
        case.validate_response(response, checks=[check], headers=extra, recorder=recorder)
    except (AssertionError, FailureGroup) as failure:  # FailureGroup is no AssertionError
        return ReplayOutcome(
            record.path,
            data["operation"],
            data["check"],
            False,
            str(failure).strip(),
            response.status_code,
        )
    return ReplayOutcome(
        record.path,
        data["operation"],
        data["check"],
        True,
        "the contract holds",
        response.status_code,
    )


def _operation(schema: Any, label: str, record: ReplayRecord) -> Any:
    method, _, path = label.partition(" ")
    try:
        return schema[path][method]
    except (KeyError, LookupError):
        raise UsageError(
            f"{label} is not in the spec any more", Location(str(record.path))
        ) from None


# a link's parameter location -> the Case attribute (and stored case key) holding it
_CONTAINERS = {
    "path": "path_parameters",
    "path_parameters": "path_parameters",
    "query": "query",
    "header": "headers",
    "headers": "headers",
    "cookie": "cookies",
    "cookies": "cookies",
}


def _follow_links(case: Any, step: Step, parent_case: Any, parent_response: Any) -> None:
    """Put the values this step took from its parent's response into the new case."""
    from schemathesis.core.transforms import UNRESOLVABLE
    from schemathesis.generation.stateful.state_machine import StepOutput
    from schemathesis.specs.openapi import expressions

    output = StepOutput(response=parent_response, case=parent_case)
    for location, parameters in step.links.items():
        for name, expression in parameters.items():
            value = expressions.evaluate_wildcard(expression, output)
            original = _original(step, location, name)
            if isinstance(value, expressions.MultiMatch):
                value = original if original in value.values else value.values[0]
            if value is UNRESOLVABLE or value is None:
                continue
            if location == "body":
                case.body = value
                continue
            attribute = _CONTAINERS.get(location)
            if attribute is not None:
                container = getattr(case, attribute) or {}
                container[name] = value
                setattr(case, attribute, container)


def _original(step: Step, location: str, name: str) -> Any:
    container = step.case.get(_CONTAINERS.get(location, location))
    return container.get(name) if isinstance(container, dict) else None
