"""In-process worker of bench/http_overhead.py: imports one ASGI app and calls it directly.

    python inprocess.py MODULE:ATTR      (run with this folder's parent venv set up)

Reads commands on stdin, one a line, and answers one JSON line each:

    check   {"valid": [status, body], "invalid": [status, body], "cases": {name: status}}
    run N   {"calls_per_s": ...}   N calls of the valid request, timed
    quit

Each call gets its own scope (a copy) and a `receive` that behaves like uvicorn's: the body
first, then `http.disconnect` once the response is complete. uvloop runs the event loop when
it is installed, as in the servers.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from common import ORIGIN, PATH, QUERY, cases, invalid_payload, payload

ASGI = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def make_scope(body: bytes, path: str = PATH, query: str = QUERY) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"user-agent", b"bench/1"),
            (b"accept", b"*/*"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"origin", ORIGIN.encode()),  # as a browser sends it; only +prod apps use it
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(app: ASGI, template: dict[str, Any], body: bytes, keep: list[Any] | None) -> None:
    done = asyncio.Event()
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": body, "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if keep is not None:
            keep.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            done.set()

    scope = dict(template)
    scope["headers"] = list(template["headers"])
    scope["state"] = {}
    await app(scope, receive, send)


async def answer(app: ASGI, body: bytes, path: str = PATH, query: str = QUERY) -> list[Any]:
    sent: list[Any] = []
    try:
        await call(app, make_scope(body, path, query), body, sent)
    except Exception as error:  # re-raised after the app sent its 500, as under uvicorn
        if not sent:
            return [500, repr(error)]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return [status, text.decode("utf-8", "replace")[:300]]


async def calls_per_second(app: ASGI, n: int) -> float:
    body = payload()
    template = make_scope(body)
    gc.collect()
    start = time.perf_counter()
    for _ in range(n):
        await call(app, template, body, None)
    return n / (time.perf_counter() - start)


async def serve(target: str) -> None:
    module, _, attr = target.partition(":")
    app = getattr(importlib.import_module(module), attr)
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            return
        if command[0] == "check":
            out: dict[str, Any] = {
                "valid": await answer(app, payload()),
                "invalid": await answer(app, invalid_payload()),
                "cases": {
                    name: (await answer(app, body, path, query))[0]
                    for name, (path, query, body) in cases().items()
                },
            }
        elif command[0] == "run":
            out = {"calls_per_s": await calls_per_second(app, int(command[1]))}
        else:
            out = {"error": f"unknown command {command[0]!r}"}
        print(json.dumps(out), flush=True)


def main() -> None:
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(sys.argv[1]))
    else:
        uvloop.run(serve(sys.argv[1]))


if __name__ == "__main__":
    main()
