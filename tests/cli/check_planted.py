"""The reference service with one bug planted each, for `ctk check`'s tests: what a
regression looks like from the outside (a wrong response, a route too many)."""

from __future__ import annotations

import json
import re
from typing import Any

from toolkit.runtime._asgi import Message, Receive, Scope, Send

_ONE_PROMPT = re.compile(r"^/prompts/[^/]+$")


def _inner() -> Any:
    import examples.prompt_library as service

    return service.unlimited_app


class CorruptingApp:
    """GET /prompts/{id} answers `name` as a number: a schema-violating response."""

    @property
    def app(self) -> Any:
        return _inner()  # the service's current app (tests give each its own database)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not _ONE_PROMPT.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body = message.get("body", b"")
            if start.get("status") == 200 and body:
                data = json.loads(body)
                data["name"] = 42
                body = json.dumps(data).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


class OpaqueDriftingApp:
    """An ASGI callable that lists no routes: it serves `PUT /prompts`, which the spec
    lacks, and refuses `GET /prompts/{id}/versions` with 405, which the spec declares."""

    __slots__ = ()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            status = None
            if path == "/prompts" and method == "PUT":
                status = 200
            elif re.fullmatch(r"/prompts/[^/]+/versions", path) and method == "GET":
                status = 405
            if status is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": b"{}"})
                return
        await _inner()(scope, receive, send)


corrupting_app = CorruptingApp()
opaque_app = OpaqueDriftingApp()
