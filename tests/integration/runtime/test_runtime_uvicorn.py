"""The runtime behind a real uvicorn server on 127.0.0.1: real sockets, real HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from toolkit.runtime import Body, Operation, Param, RequestContext, Response, Settings, build_app

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "echo", "version": "1"},
    "paths": {
        "/echo/{n}": {
            "post": {
                "operationId": "echo",
                "parameters": [
                    {
                        "name": "n",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["word"],
                                "properties": {"word": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"type": "string"}}
                            }
                        },
                    }
                },
            }
        }
    },
}
BASE = "/paths/~1echo~1{n}/post"
OPERATIONS = (
    Operation(
        id="echo",
        method="POST",
        path="/echo/{n}",
        handler="echo",
        params=(Param("n", "n", "path", True, f"{BASE}/parameters/0/schema"),),
        body=Body(
            "body",
            True,
            ("application/json",),
            f"{BASE}/requestBody/content/application~1json/schema",
        ),
        responses=(
            Response(
                "200",
                ("application/json",),
                f"{BASE}/responses/200/content/application~1json/schema",
            ),
        ),
    ),
)


class Echo:
    async def echo(self, *, n: int, body: dict[str, str], context: RequestContext) -> list[str]:
        return [body["word"]] * n


@pytest.fixture
def base_url() -> Iterator[str]:
    app = build_app(SPEC, OPERATIONS, Echo(), Settings(validate_responses=True))
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="none", http="h11")
    server = uvicorn.Server(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


def test_real_http_round_trips(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=5) as client:
        ok = client.post("/echo/3", json={"word": "hi"}, headers={"X-Request-ID": "it-1"})
        assert ok.status_code == 200
        assert ok.json() == ["hi", "hi", "hi"]
        assert ok.headers["x-request-id"] == "it-1"
        assert ok.headers["content-type"] == "application/json"

        bad = client.post("/echo/0", json={})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == "application/problem+json"
        assert bad.json()["errors"][0]["pointer"] == "/path/n"

        body = client.post("/echo/1", json={"nope": 1}).json()
        assert body["errors"] == [{"pointer": "/word", "detail": '"word" is a required property'}]

        assert client.get("/echo/1").status_code == 405
        assert client.get("/healthz").json() == {"status": "ok"}
        assert "ctk_requests_total" in client.get("/metrics").text

        chunked = client.post(
            "/echo/2",
            content=iter([b'{"wo', b'rd": "x"}']),
            headers={"content-type": "application/json"},
        )
        assert chunked.json() == ["x", "x"]
