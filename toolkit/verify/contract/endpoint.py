"""ctk's provider-state change endpoint: a tiny ASGI app pact's verifier POSTs
`{"state", "params", "action"}` to, before and after each interaction.

With `--app`/`--impl` it is mounted at `STATE_PATH` in front of the provider app, in the same
server, so async handlers run on the app's loop. Every call is logged (`calls`), failures with
the handler's exception, so the run can attach them to their interaction whatever pact says.

A failure answers 422, not 500: pact's verifier retries a 5xx state call eight times with
exponential backoff (about two minutes, rerunning the failing setup each time), while any
other non-2xx fails the interaction at once (ADR 0012).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.runtime._asgi import plain_lifespan
from toolkit.verify.contract.lifecycle import Running, finish, start
from toolkit.verify.contract.results import StateFailure
from toolkit.verify.contract.states import (
    StateHandler,
    StateRegistry,
    display_path,
)

STATE_PATH = "/_ctk/provider-state"
FAILURE_STATUS = 422

Scope = dict[str, Any]


@dataclass(frozen=True, slots=True)
class StateCall:
    """One state change, as pact asked for it (or as ctk ran it: `forced`)."""

    index: int
    state: str
    params: dict[str, Any]
    action: str  # setup | teardown
    failure: StateFailure | None = None
    values: dict[str, Any] = field(default_factory=dict)
    forced: bool = False  # a teardown pact never asked for (it skips them after a failure)
    setup_index: int | None = None  # for teardowns: the setup it ends

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass
class _Active:
    state: str
    key: str
    handler: StateHandler
    running: Running
    setup_index: int


class StateEndpoint:
    """The ASGI app answering pact's state calls from one registry's handlers."""

    def __init__(self, registry: StateRegistry) -> None:
        self.registry = registry
        self.calls: list[StateCall] = []
        self._active: list[_Active] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # served alone (--url): nothing to start
            await plain_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if scope.get("method") != "POST":
            await _answer(send, 405, {"error": "POST a state change"})
            return
        self._loop = asyncio.get_running_loop()
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # pact calls one at a time; make sure of it
            status, answer = await self.change(body)
        await _answer(send, status, answer)

    async def change(self, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            request = json.loads(body)
            state, action = request["state"], request["action"]
            params = request.get("params") or {}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return 400, {"error": f"not a pact state change: {exc}"}
        if not (isinstance(state, str) and isinstance(params, dict)):
            return 400, {"error": "not a pact state change: state must be a string"}
        if action not in ("setup", "teardown"):
            return 400, {"error": f"not a pact state change: unknown action {action!r}"}
        if action == "setup":
            call = await self._setup(state, params)
        else:
            call = await self._teardown(state, params)
        if call.failure is not None:
            return FAILURE_STATUS, {"error": f"{call.failure.error}: {call.failure.message}"}
        return 200, call.values

    async def close_leftovers(self) -> None:
        """Tear down what pact will not ask to (after a failed setup, and at the end)."""
        while self._active:
            await self._finish(self._active.pop(), forced=True)

    def close_leftovers_now(self, timeout: float = 30.0) -> bool:
        """`close_leftovers` on the server's loop, from another thread; False when they did
        not finish within `timeout` seconds."""
        if self._loop is None or not self._active or self._loop.is_closed():
            return True
        done = asyncio.run_coroutine_threadsafe(self.close_leftovers(), self._loop)
        try:
            done.result(timeout)
        except TimeoutError:
            done.cancel()
            return False
        return True

    async def _setup(self, state: str, params: dict[str, Any]) -> StateCall:
        index = len(self.calls)
        handler: StateHandler | None = None
        try:
            found = self.registry.find(state)
            if found is None:  # the empty state around a stateless interaction, unhandled
                return self._log(StateCall(index, state, params, "setup"))
            handler, given = found
            arguments = handler.arguments(state, given, params)
            values, running = await start(handler, arguments)
        except Exception as exc:
            failure = _failure(state, "setup", params, handler, exc)
            self._log(StateCall(index, state, params, "setup", failure))
            # pact skips this interaction's request and teardowns: undo what was set up
            await self.close_leftovers()
            return self.calls[index]
        if running is not None:
            self._active.append(_Active(state, _key(params), handler, running, index))
        return self._log(StateCall(index, state, params, "setup", values=values))

    async def _teardown(self, state: str, params: dict[str, Any]) -> StateCall:
        key = _key(params)
        for position in range(len(self._active) - 1, -1, -1):
            active = self._active[position]
            if active.state == state and active.key == key:
                del self._active[position]
                return await self._finish(active, forced=False)
        return self._log(StateCall(len(self.calls), state, params, "teardown"))

    async def _finish(self, active: _Active, *, forced: bool) -> StateCall:
        index = len(self.calls)
        params = self.calls[active.setup_index].params
        failure = None
        try:
            await finish(active.handler, active.running)
        except Exception as exc:
            failure = _failure(active.state, "teardown", params, active.handler, exc, forced)
        call = StateCall(
            index, active.state, params, "teardown", failure, {}, forced, active.setup_index
        )
        return self._log(call)

    def _log(self, call: StateCall) -> StateCall:
        self.calls.append(call)
        return call


def with_state_endpoint(app: Any, endpoint: StateEndpoint) -> Any:
    """`app` with the state endpoint answering at `STATE_PATH`, everything else untouched."""

    async def routed(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("path") == STATE_PATH:
            await endpoint(scope, receive, send)
        else:
            await app(scope, receive, send)

    return routed


def _failure(
    state: str,
    action: str,
    params: dict[str, Any],
    handler: StateHandler | None,
    exc: Exception,
    forced: bool = False,
) -> StateFailure:
    location = "" if handler is None else str(handler.location)
    if isinstance(exc, ToolkitError):  # ctk's own refusal: no handler, bad arguments, ...
        return StateFailure(
            state,
            action,
            params,
            "",
            exc.message,
            location or (str(exc.location) if exc.location else ""),
            hint=exc.hint,
            notes=tuple(exc.notes),
            forced=forced,
        )
    return StateFailure(
        state,
        action,
        params,
        type(exc).__name__,
        str(exc),
        location,
        raised_at=_raised_at(exc, handler),
        forced=forced,
    )


def _raised_at(exc: BaseException, handler: StateHandler | None) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    inside = frames[-1]
    code = getattr(inspect.unwrap(handler.function), "__code__", None) if handler else None
    if code is not None:
        own = Path(code.co_filename).resolve()
        mine = [f for f in frames if Path(f.filename).resolve() == own]
        inside = mine[-1] if mine else inside
    return f"{display_path(inside.filename)}:{inside.lineno}"


def _key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, default=str)


async def _answer(send: Any, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
