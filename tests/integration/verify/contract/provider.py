"""A tiny items service (raw ASGI) for the contract tests, in three builds: `app` keeps the
contract, `renamed` renames a response field, `wrong_status` answers 201 for a read.

The data lives in `ITEMS`, which the states module fills and empties; `LOOP` is the event
loop the app started on, so a test can see that async state handlers share it."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

ITEMS: dict[int, dict[str, Any]] = {}
LOOP: list[asyncio.AbstractEventLoop] = []
_ITEM = re.compile(r"/items/(\d+)")


class ItemsApp:
    def __init__(self, *, field: str = "name", status: int = 200) -> None:
        self.field = field
        self.status = status

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    LOOP[:] = [asyncio.get_running_loop()]
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        status, body = self.route(scope)
        data = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    def route(self, scope: dict[str, Any]) -> tuple[int, Any]:
        path = scope["path"]
        if path == "/items":
            query = dict(
                part.split("=", 1) for part in scope["query_string"].decode().split("&") if part
            )
            # the cursor a state handler handed to pact: only it pages
            if "cursor" in query and query["cursor"] != f"c-{len(ITEMS)}":
                return 400, {"error": f"bad cursor {query['cursor']!r}"}
            items = [self.show(item) for item in sorted(ITEMS.values(), key=lambda i: i["id"])]
            return 200, {"items": items[:2], "next_cursor": None}
        found = _ITEM.fullmatch(path)
        if found and int(found.group(1)) in ITEMS:
            return self.status, self.show(ITEMS[int(found.group(1))])
        return 404, {"error": "not found"}

    def show(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"id": item["id"], self.field: item["name"]}


app = ItemsApp()
renamed = ItemsApp(field="title")
wrong_status = ItemsApp(status=201)
