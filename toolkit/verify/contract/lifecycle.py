"""Running a state handler: setup until it returns (or until its `yield`), teardown after.

Coroutines and async generators run on the loop of the server that serves the state
endpoint, which with `--app`/`--impl` is the provider app's own loop, so a handler shares
the app's connection pool. Plain functions and generators run in a worker thread, so they
may block (or start their own event loop) without stalling the server.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import inspect
import json
import uuid
from collections.abc import AsyncGenerator, Generator, Mapping
from typing import Any

from toolkit.verify.contract.states import StateError, StateHandler

Running = Generator[Any, None, None] | AsyncGenerator[Any, None]


async def start(handler: StateHandler, arguments: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Set the state up: the provider-state values it gives, and the generator to resume at
    teardown (None for a plain function)."""
    function = handler.function
    running: Running | None = None
    if inspect.isasyncgenfunction(function):
        agen: AsyncGenerator[Any, None] = function(**arguments)
        running = agen
        try:
            value = await agen.__anext__()
        except StopAsyncIteration:
            raise _no_yield(handler) from None
    elif inspect.isgeneratorfunction(function):
        gen: Generator[Any, None, None] = function(**arguments)
        running = gen
        advanced, value = await asyncio.to_thread(_advance, gen)
        if not advanced:
            raise _no_yield(handler)
    elif inspect.iscoroutinefunction(function):
        value = await function(**arguments)
    else:
        value = await asyncio.to_thread(function, **arguments)
        if inspect.isawaitable(value):  # a partial of a coroutine function, and the like
            value = await value
    try:
        return provider_values(handler, value), running
    except StateError:
        await finish(handler, running)
        raise


async def finish(handler: StateHandler, running: Running | None) -> None:
    """Tear the state down: resume the generator after its `yield`; it must end there."""
    if running is None:
        return
    if isinstance(running, AsyncGenerator):
        try:
            await running.__anext__()
        except StopAsyncIteration:
            return
        await running.aclose()
    else:
        advanced, _ = await asyncio.to_thread(_advance, running)
        if not advanced:
            return
        await asyncio.to_thread(running.close)
    raise StateError(
        f"{handler.function.__name__}() yielded more than once; a state handler yields once, "
        "between setup and teardown",
        handler.location,
    )


def provider_values(handler: StateHandler, value: Any) -> dict[str, Any]:
    """What pact injects (`fromProviderState`): a dict returned or yielded, as JSON."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise StateError(
            f"{handler.function.__name__}() gave {type(value).__name__}; a state handler "
            "returns (or yields) None or a dict of provider-state values with string keys",
            handler.location,
        )
    try:
        text = json.dumps(dict(value), default=_plain)
    except (TypeError, ValueError) as exc:
        raise StateError(
            f"{handler.function.__name__}() gave values that are not JSON: {exc}",
            handler.location,
        ) from None
    values: dict[str, Any] = json.loads(text)
    return values


def _advance(running: Generator[Any, None, None]) -> tuple[bool, Any]:
    """next() that reports the end instead of raising StopIteration, which must not cross a
    thread's future."""
    try:
        return True, next(running)
    except StopIteration:
        return False, None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _no_yield(handler: StateHandler) -> StateError:
    return StateError(
        f"{handler.function.__name__}() is a generator that ended without yielding; yield "
        "once between setup and teardown",
        handler.location,
    )
