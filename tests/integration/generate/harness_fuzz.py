"""Schemathesis 4.32 in process against the ASGI app, as `schemathesis run` would test it.

The engine (`schemathesis.engine.from_schema(schema).execute()`) runs the phases the CLI
runs: examples, coverage and fuzzing (stateful when asked), positive and negative data,
every check, `max-examples` per operation, deterministic generation, one worker. Failures
are folded per (operation, check, title) with a count and one reproduction (curl and the
response). The runtime's error log (`ctk.runtime`) is collected alongside: it says why a
500 happened.
"""

from __future__ import annotations

import copy
import logging
import re
import time
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness_results import Problem, SpecResult, clip
from harness_service import auth_config


def config(document: Mapping[str, Any], max_examples: int, stateful: bool) -> Any:
    from schemathesis.config import SchemathesisConfig

    auth, _ = auth_config(document)
    data: dict[str, Any] = {
        "seed": 1,
        "workers": 1,
        "continue-on-failure": True,
        "base-url": "http://localhost",  # the app routes the spec's paths without a prefix
        "suppress-health-check": ["all"],
        "cache": {"enabled": False},
        "generation": {
            "mode": "all",
            "max-examples": max_examples,
            "deterministic": True,
            "database": "none",
        },
        "checks": {"enabled": True},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": stateful},
        },
    }
    if auth:
        data["auth"] = {"openapi": auth}
    return SchemathesisConfig.from_dict(data)


def run(
    document: dict[str, Any],
    app: Any,
    skip: list[str],
    result: SpecResult,
    *,
    max_examples: int,
    stateful: bool,
    deadline: float | None,
) -> list[Problem]:
    """Run schemathesis; the failures it found. Stops (and says so) at `deadline`."""
    import schemathesis
    from schemathesis.engine import Status, events, from_schema

    schema: Any = schemathesis.openapi.from_dict(
        copy.deepcopy(document), config=config(document, max_examples, stateful)
    )
    schema.app = app
    if skip:
        schema = schema.exclude(name=skip)
    failures: dict[tuple[str, str, str], Problem] = {}
    errors: list[Problem] = []
    finished: set[str] = set()
    stream = from_schema(schema).execute()
    stopped = False
    for event in stream:
        if deadline is not None and not stopped and time.monotonic() > deadline:
            stream.stop()
            stopped = True
        if isinstance(event, events.ScenarioFinished):
            result.cases += len(event.recorder.cases)
            finished.add(event.recorder.label or "")
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status != Status.FAILURE or check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    label = event.recorder.label or ""
                    key = (label, check.name, failure.title)
                    if key in failures:
                        failures[key].count += 1
                        continue
                    # whole, up to a bound, and the answer after it always: a long path
                    # value must not push out the evidence the classifier reads
                    sample = clip(check.failure_info.code_sample, 20000)
                    response = event.recorder.find_response(case_id=case_id)
                    if response is not None:
                        text = (
                            response.content.decode("utf-8", "replace") if response.content else ""
                        )
                        if len(text) > 1500:  # a problem's `instance` echoes a long path:
                            text = text[:500] + "..." + text[-1000:]  # keep its `errors`
                        sample += f"\n-> {response.status_code} {text}"
                    failures[key] = Problem(
                        "schemathesis",
                        check.name,
                        clip(f"{failure.title}: {failure.message}"),
                        operation=label,
                        detail=sample,
                    )
        elif isinstance(event, events.NonFatalError):
            message = clip(f"{event.info.title}: {event.info.message}")
            errors.append(Problem("schemathesis", "error", message, operation=event.label))
        elif isinstance(event, events.FatalError):
            error = event.exception
            errors.append(
                Problem("schemathesis", "fatal", clip(f"{type(error).__name__}: {error}"))
            )
        elif isinstance(event, events.EngineFinished):
            errors.extend(
                Problem("schemathesis", "after_run", clip(f"{f.title}: {f.message}"))
                for f in event.failures
            )
    result.tested = len(finished)
    if stopped:
        errors.append(
            Problem(
                "harness",
                "budget",
                f"schemathesis stopped at the time budget after {len(finished)} scenarios",
            )
        )
    return [*failures.values(), *errors]


class _Collect(logging.Handler):
    """Error records of `ctk.runtime`, folded by message (request ids removed)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        text = re.sub(r"request_id=[0-9a-f]+", "request_id=…", record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = traceback.extract_tb(record.exc_info[2])
            where = next(
                (
                    f"{Path(f.filename).name}:{f.lineno}"
                    for f in reversed(frames)
                    if "toolkit" in f.filename
                ),
                "",
            )
            text += f" [{type(error).__name__}: {clip(str(error), 200)} at {where}]"
        self.messages[text] = self.messages.get(text, 0) + 1


@contextmanager
def runtime_log() -> Iterator[list[Problem]]:
    """Collects the runtime's error log while the block runs, as `runtime-log` problems."""
    collect = _Collect()
    logger = logging.getLogger("ctk.runtime")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    found: list[Problem] = []
    try:
        yield found
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
        found.extend(
            Problem("runtime-log", "error", clip(message), count=count)
            for message, count in collect.messages.items()
        )
