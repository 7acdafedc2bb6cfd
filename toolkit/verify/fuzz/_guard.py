"""An ASGI wrapper that turns an exception in the app into the 500 a real server sends,
keeping the traceback so the failure carries it (in-process targets only)."""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

TRACEBACK_HEADER = "x-ctk-traceback"


class Guard:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.tracebacks: dict[str, str] = {}
        self._ids = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            key = str(next(self._ids))
            self.tracebacks[key] = traceback.format_exc()
            if started:  # too late for a status: end the body, as a server would cut it
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            body = b"Internal Server Error (the app raised; ctk kept the traceback)"
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (TRACEBACK_HEADER.encode(), key.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body, "more_body": False})
