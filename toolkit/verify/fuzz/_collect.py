"""Engine events -> `FuzzResult`: stats per operation, one finding per distinct failure
(operation + check + schemathesis' own failure key) with its exact exchange and the steps
that lead to it, documented refusals counted by reason, run errors kept."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from toolkit.config import FUZZ_PHASES
from toolkit.errors import Location
from toolkit.load.document import Document
from toolkit.model.build import raw_operations
from toolkit.verify.fuzz._codec import encode_case
from toolkit.verify.fuzz._guard import TRACEBACK_HEADER, Guard
from toolkit.verify.fuzz.locate import violated_pointer
from toolkit.verify.fuzz.results import (
    Finding,
    FuzzResult,
    OperationStats,
    Request,
    Response,
    RunError,
    Step,
)


@dataclass(frozen=True, slots=True)
class Progress:
    """`kind` is "phase" (a phase starts; `operations` is its size, 0 when unknown) or
    "operation" (an operation or stateful scenario finished)."""

    kind: str
    phase: str
    label: str = ""
    cases: int = 0
    failed: bool = False
    operations: int = 0


ProgressHook = Callable[[Progress], None]


class Collector:
    """Folds engine events into the result, one distinct finding per key."""

    def __init__(self, result: FuzzResult, document: Document, data: Any, guard: Guard | None):
        self.result = result
        self.document = document
        self.data = data
        self.guard = guard
        self.seen: dict[str, int] = {}
        self.ids = {
            f"{method.upper()} {path}": str(op.get("operationId") or "")
            for path, method, op in raw_operations(data)
        }

    def list_operations(self, labels: list[str]) -> None:
        """The operations the result reports on (with a shard, only its own: the stateful
        run over every operation adds cases to them, not operations)."""
        for label in labels:
            self.result.operations[label] = OperationStats(label, self.ids.get(label, ""))

    def consume(self, schema: Any, progress: ProgressHook | None) -> None:
        from schemathesis.engine import events, from_schema

        for event in from_schema(schema).execute():
            if isinstance(event, events.PhaseStarted):
                name = event.phase.name.value
                if progress is not None and event.phase.is_enabled:
                    count = len(event.operations) if event.operations else 0
                    progress(Progress("phase", name, operations=count))
            elif isinstance(event, events.PhaseFinished):
                name = event.phase.name.value
                skipped = self.result.phase_status.get(name) == "skipped"
                if event.phase.is_enabled and name in FUZZ_PHASES and not skipped:
                    self.result.phase_status[event.phase.name.value] = event.status.value
            elif isinstance(event, events.ScenarioFinished):
                failed = self._scenario(event)
                if progress is not None:
                    progress(
                        Progress(
                            "operation",
                            event.phase.value,
                            label=event.recorder.label,
                            cases=len(event.recorder.cases),
                            failed=failed,
                        )
                    )
            elif isinstance(event, events.NonFatalError) and _no_links(event.value):
                # nothing to chain among the selected operations: said, not failed
                self.result.phase_status["stateful"] = "skipped"
                self.result.notes.append(f"stateful phase skipped: {event.info.message}")
            elif isinstance(event, events.NonFatalError):
                self.result.errors.append(
                    RunError(event.label, event.info.title, _clip(event.info.message, 2000))
                )
            elif isinstance(event, events.FatalError):
                error = event.exception
                self.result.errors.append(
                    RunError(
                        "", "fatal error", f"{type(error).__name__}: {_clip(str(error), 2000)}"
                    )
                )
            elif isinstance(event, events.Interrupted):
                self.result.stopped_at_max_time = True
            elif isinstance(event, events.EngineFinished):
                for failure in getattr(event, "failures", None) or []:
                    self.result.errors.append(RunError("", failure.title, failure.message))

    def _scenario(self, event: Any) -> bool:
        from schemathesis.engine import Status

        recorder = event.recorder
        for node in recorder.cases.values():
            stats = self.result.operations.get(node.value.operation.label)
            if stats is not None:
                stats.cases += 1
        own = self.result.operations.get(recorder.label)
        if own is not None:
            own.seconds += event.elapsed_time
        self._refusals(recorder)
        failed = False
        for case_id, checks in recorder.checks.items():
            for check in checks:
                if check.status != Status.FAILURE or check.failure_info is None:
                    continue
                failed = True
                self._failure(recorder, case_id, check, event.phase.value)
        return failed

    def _refusals(self, recorder: Any) -> None:
        """Schema-valid requests refused with a documented 4xx: counted, never silent."""
        for case_id, node in recorder.cases.items():
            meta = node.value.meta
            response = recorder.find_response(case_id=case_id)
            if meta is None or response is None or not meta.generation.mode.is_positive:
                continue
            status = response.status_code
            if 400 <= status < 500 and status not in (401, 403, 404, 409, 429):
                stats = self.result.operations.get(node.value.operation.label)
                if stats is not None:
                    stats.documented_refusals[status] = stats.documented_refusals.get(status, 0) + 1
                    reason = f"{status} {_refusal_kind(response)}"
                    stats.refusal_reasons[reason] = stats.refusal_reasons.get(reason, 0) + 1

    def _failure(self, recorder: Any, case_id: str, check: Any, phase: str) -> None:
        failure = check.failure_info.failure
        failing_id = failure.case_id or case_id
        node = recorder.cases.get(failing_id) or recorder.cases[case_id]
        label = node.value.operation.label
        cause = f"{type(failure).__name__}:{getattr(failure, '_unique_key', failure.title)}"
        key = f"{label}|{check.name}|{cause}"
        if key in self.seen:
            index = self.seen[key]
            old = self.result.findings[index]
            self.result.findings[index] = _replace_count(old, old.count + 1)
            return
        steps = tuple(self._steps(recorder, failing_id, check.failure_info))
        response = steps[-1].response if steps else None
        pointer = violated_pointer(self.data, label, failure, response)
        finding = Finding(
            operation=label,
            operation_id=self.ids.get(label, ""),
            check=check.name,
            title=failure.title,
            message=_clip(failure.message, 4000),
            phase=phase,
            steps=steps,
            location=_locate(self.document, pointer),
            traceback=self._traceback(response),
            cause=cause,
        )
        self.seen[key] = len(self.result.findings)
        self.result.findings.append(finding)

    def _steps(self, recorder: Any, case_id: str, info: Any) -> Iterator[Step]:
        related = tuple(s.case_id for s in info.steps if s.case_id != case_id)
        chain = [c.id for c in recorder.iter_chain_cases(case_id=case_id, related_case_ids=related)]
        if case_id in chain:  # the failing call last
            chain.remove(case_id)
        for step_id in [*chain, case_id]:
            node = recorder.cases.get(step_id)
            interaction = recorder.interactions.get(step_id)
            if node is None or interaction is None:
                continue
            yield Step(
                operation=node.value.operation.label,
                case=encode_case(node.value),
                request=_request(interaction.request),
                response=_response(interaction.response) if interaction.response else None,
                links=_links(node.transition),
                parent=node.parent_id if node.parent_id in chain else None,
                id=step_id,
            )

    def _traceback(self, response: Response | None) -> str:
        if self.guard is None or response is None:
            return ""
        for name, value in response.headers:
            if name.lower() == TRACEBACK_HEADER:
                return self.guard.tracebacks.get(value, "")
        return ""


def _no_links(error: Exception) -> bool:
    from schemathesis.core.errors import NoLinksFound

    return isinstance(error, NoLinksFound)


def _refusal_kind(response: Any) -> str:
    """A problem's `type` (with its title when it is about:blank), else the media type."""
    media = ""
    for name, values in response.headers.items():
        if name.lower() == "content-type":
            media = _values(values)[0].split(";", 1)[0].strip()
    if media.endswith("json"):
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            return media
        if isinstance(body, dict) and isinstance(body.get("type"), str):
            kind = body["type"]
            if kind == "about:blank" and isinstance(body.get("title"), str):
                kind += f" ({body['title']})"
            return str(kind)
    return media or "no content type"


def _request(request: Any) -> Request:
    headers = tuple((k, v) for k, values in request.headers.items() for v in _values(values))
    return Request(request.method, request.uri, headers, request.body)


def _response(response: Any) -> Response:
    headers = tuple((k, v) for k, values in response.headers.items() for v in _values(values))
    return Response(response.status_code, headers, response.content or b"")


def _values(values: Any) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list | tuple) else [str(values)]


def _links(transition: Any) -> dict[str, dict[str, str]]:
    if transition is None:
        return {}
    links: dict[str, dict[str, str]] = {}
    for container, parameters in (transition.parameters or {}).items():
        for name, extracted in parameters.items():
            if isinstance(extracted.definition, str):
                links.setdefault(str(container), {})[name] = extracted.definition
    body = transition.request_body
    if body is not None and isinstance(body.definition, str):
        links["body"] = {"": body.definition}
    return links


def _locate(document: Document, pointer: str) -> Location:
    try:
        return document.location(pointer)
    except Exception:  # a pointer into a bundled copy: the root file is still right
        return Location(document.display, pointer)


def _replace_count(finding: Finding, count: int) -> Finding:
    return replace(finding, count=count)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
