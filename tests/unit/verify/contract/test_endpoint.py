"""The state endpoint without pact: setup and teardown of every kind of handler, the values
it answers with, failures (422, recorded with the handler's exception), and the teardowns
ctk runs itself when pact will not ask for them."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from toolkit.verify.contract import provider_state
from toolkit.verify.contract.endpoint import FAILURE_STATUS, StateEndpoint
from toolkit.verify.contract.states import StateRegistry, _parse

EVENTS: list[str] = []


@provider_state("plain {n}")
def plain(n: int) -> dict[str, Any]:
    EVENTS.append(f"plain {n} on {threading.current_thread().name}")
    return {"n": n, "at": datetime(2024, 1, 1, tzinfo=UTC)}


@provider_state("coroutine")
async def coroutine() -> None:
    EVENTS.append("coroutine")


@provider_state("generator")
def generator() -> Iterator[dict[str, str]]:
    EVENTS.append("generator setup")
    yield {"token": "abc"}
    EVENTS.append("generator teardown")


@provider_state("async generator")
async def async_generator() -> AsyncIterator[None]:
    EVENTS.append("async setup")
    yield
    EVENTS.append("async teardown")


@provider_state("raises")
def raises() -> None:
    raise LookupError("no such row")


@provider_state("yields twice")
def yields_twice() -> Iterator[None]:
    yield
    yield


@provider_state("returns a list")
def returns_a_list() -> list[int]:
    return [1]


@provider_state("never yields")
def never_yields() -> Iterator[None]:
    return
    yield  # a generator function that ends at once


HANDLERS = [
    plain,
    coroutine,
    generator,
    async_generator,
    raises,
    yields_twice,
    returns_a_list,
    never_yields,
]


@pytest.fixture
def endpoint() -> Iterator[StateEndpoint]:
    """An endpoint whose calls all run on one loop, as they do in the server."""
    EVENTS.clear()
    handlers = [_parse(t, f) for f in HANDLERS for t in f.__ctk_provider_states__]  # type: ignore[attr-defined]
    loop = asyncio.new_event_loop()
    endpoint = StateEndpoint(StateRegistry("tests.states", tuple(handlers)))
    endpoint.run = loop.run_until_complete  # type: ignore[attr-defined]
    yield endpoint
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()


def call(endpoint: StateEndpoint, state: str, action: str, **params: Any) -> tuple[int, Any]:
    body = json.dumps({"state": state, "action": action, "params": params}).encode()
    return endpoint.run(endpoint.change(body))  # type: ignore[attr-defined,no-any-return]


def test_plain_functions_run_in_a_thread_and_answer_their_values(endpoint: StateEndpoint) -> None:
    assert call(endpoint, "plain {n}", "setup", n="3") == (
        200,
        {"n": 3, "at": "2024-01-01T00:00:00+00:00"},
    )
    assert EVENTS[0].startswith("plain 3 on ") and "MainThread" not in EVENTS[0]
    assert call(endpoint, "plain {n}", "teardown", n="3") == (200, {})


def test_generators_tear_down_after_their_yield(endpoint: StateEndpoint) -> None:
    assert call(endpoint, "generator", "setup") == (200, {"token": "abc"})
    assert call(endpoint, "async generator", "setup") == (200, {})
    assert call(endpoint, "coroutine", "setup") == (200, {})
    assert call(endpoint, "async generator", "teardown") == (200, {})
    assert call(endpoint, "generator", "teardown") == (200, {})
    assert EVENTS == [
        "generator setup",
        "async setup",
        "coroutine",
        "async teardown",
        "generator teardown",
    ]
    assert [(c.state, c.action, c.ok) for c in endpoint.calls][-2:] == [
        ("async generator", "teardown", True),
        ("generator", "teardown", True),
    ]


def test_a_raising_handler_answers_422_and_keeps_the_exception(endpoint: StateEndpoint) -> None:
    status, body = call(endpoint, "raises", "setup")
    assert status == FAILURE_STATUS == 422  # not 5xx: pact retries those for two minutes
    assert body == {"error": "LookupError: no such row"}
    failure = endpoint.calls[-1].failure
    assert failure is not None
    assert (failure.state, failure.action, failure.error) == ("raises", "setup", "LookupError")
    assert failure.location.startswith("tests/unit/verify/contract/test_endpoint.py:")
    assert (
        failure.raised_at
        == f"tests/unit/verify/contract/test_endpoint.py:{_line_of('no such row')}"
    )


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("yields twice", "yields_twice() yielded more than once"),
        ("returns a list", "returns_a_list() gave list; a state handler returns (or yields) None"),
        ("never yields", "never_yields() is a generator that ended without yielding"),
        ("nobody handles this", "no handler in tests.states for the provider state"),
    ],
)
def test_handler_misuse_is_a_failure_with_a_message(
    endpoint: StateEndpoint, state: str, message: str
) -> None:
    status, _ = call(endpoint, state, "setup")
    if status == 200:  # yields twice: the failure shows at teardown
        status, _ = call(endpoint, state, "teardown")
    assert status == 422
    failures = [c.failure for c in endpoint.calls if c.failure is not None]
    assert message in failures[-1].message


def test_a_failed_setup_tears_down_what_the_interaction_set_up(endpoint: StateEndpoint) -> None:
    """pact skips the request and every teardown of an interaction whose setup failed."""
    call(endpoint, "generator", "setup")
    call(endpoint, "raises", "setup")
    assert EVENTS == ["generator setup", "generator teardown"]
    forced = endpoint.calls[-1]
    assert (forced.state, forced.action, forced.forced, forced.setup_index) == (
        "generator",
        "teardown",
        True,
        0,
    )


def test_leftovers_are_torn_down_at_the_end(endpoint: StateEndpoint) -> None:
    async def run() -> None:
        for state in ("generator", "async generator"):
            body = json.dumps({"state": state, "action": "setup", "params": {}}).encode()
            await endpoint.change(body)
        await endpoint.close_leftovers()

    endpoint.run(run())  # type: ignore[attr-defined]
    assert EVENTS[-2:] == ["async teardown", "generator teardown"]
    assert all(c.forced for c in endpoint.calls[-2:])


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"state": "x"}',
        b'{"state": 1, "action": "setup"}',
        b'{"state": "x", "action": "go"}',
    ],
)
def test_a_request_that_is_not_a_state_change_is_400(endpoint: StateEndpoint, body: bytes) -> None:
    status, answer = endpoint.run(endpoint.change(body))  # type: ignore[attr-defined]
    assert status == 400
    assert answer["error"].startswith("not a pact state change")


def test_the_empty_state_without_a_handler_is_a_no_op(endpoint: StateEndpoint) -> None:
    assert call(endpoint, "", "setup") == (200, {})
    assert call(endpoint, "", "teardown") == (200, {})


def _line_of(text: str) -> int:
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line and "raise" in line)
