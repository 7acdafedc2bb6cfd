"""The ASGI 3 types the runtime speaks (the same shapes as Starlette's, without importing it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# What an endpoint hands back to the app: status, raw headers, body.
Raw = tuple[int, list[tuple[bytes, bytes]], bytes]


async def plain_lifespan(
    receive: Receive, send: Send, shutdown: Callable[[], Awaitable[None]] | None = None
) -> None:
    """Answer an ASGI lifespan with nothing to start; `shutdown` releases what the app holds
    (a Redis connection pool)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if shutdown is not None:
                await shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return
