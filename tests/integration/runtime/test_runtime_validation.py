"""Validation end to end: `ctk generate` on a 3.0 document, the generated app (its pydantic
models included) behind uvicorn on 127.0.0.1, real HTTP. Covers the integer-format ranges,
string formats Draft 4 does not know, integers beyond 64 bits in JSON bodies, the empty
serialization of an object parameter, custom-method routes and `content` parameters."""

from __future__ import annotations

import importlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from toolkit.runtime import ASGIApp, Operation, Param, RequestContext, Response, Settings, build_app

SPEC = Path(__file__).with_name("specs") / "validation.yaml"


def serve(app: ASGIApp) -> Iterator[httpx.Client]:
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
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


class Service:
    """Echoes bodies back and records the arguments it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _seen(self, name: str, kwargs: dict[str, Any]) -> None:
        kwargs.pop("context")
        self.calls.append((name, kwargs))

    async def get_item(self, **kwargs: Any) -> Any:
        self._seen("get_item", kwargs)
        return {"id": kwargs["id"]}

    async def post_job(self, **kwargs: Any) -> Any:
        self._seen("post_job", kwargs)
        return kwargs["body"]

    async def post_count(self, **kwargs: Any) -> Any:
        self._seen("post_count", kwargs)
        return kwargs["body"]

    async def search(self, **kwargs: Any) -> None:
        self._seen("search", kwargs)

    async def get_thing(self, **kwargs: Any) -> None:
        self._seen("get_thing", kwargs)

    async def get_iam_policy(self, **kwargs: Any) -> None:
        self._seen("get_iam_policy", kwargs)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("validation")
    subprocess.run(
        [sys.executable, "-m", "toolkit", "generate", str(SPEC), "--out", "rtv_validation"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("rtv_validation.app")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("rtv_validation")]:
            del sys.modules[name]


@pytest.fixture
def service() -> Service:
    return Service()


@pytest.fixture
def client(generated: Any, service: Service) -> Iterator[httpx.Client]:
    settings = Settings(validate_responses=True, access_log=False)
    yield from serve(generated.create_app(service, settings=settings))


def pointers(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [e["pointer"] for e in response.json()["errors"]]


def test_integer_formats_are_ranges(client: httpx.Client, service: Service) -> None:
    assert client.get(f"/items/{2**63 - 1}").json() == {"id": 2**63 - 1}
    bad = client.get(f"/items/{2**63}")
    assert bad.status_code == 400 and pointers(bad) == ["/path/id"]
    assert "(the int64 range)" in bad.json()["errors"][0]["detail"]
    body = {"id": "123e4567-e89b-12d3-a456-426614174000", "retries": 2**31}
    bad = client.post("/jobs", json=body)
    assert bad.status_code == 422 and pointers(bad) == ["/retries"]


def test_formats_draft4_lacks_are_client_errors(client: httpx.Client, service: Service) -> None:
    job = {"id": "123e4567-e89b-12d3-a456-426614174000", "every": "P1DT12H", "retries": 3}
    ok = client.post("/jobs", json=job)
    assert ok.status_code == 200, ok.text
    assert ok.json() == {**job, "every": "P1DT12H"}
    received = service.calls[-1][1]["body"]
    assert str(received.id) == job["id"] and received.every.total_seconds() == 129600
    for field, value in (("id", "not-a-uuid"), ("every", "every day")):
        bad = client.post("/jobs", json={**job, field: value})
        assert bad.status_code == 422, bad.text  # not the generator-bug 500
        assert pointers(bad) == [f"/{field}"]


def test_integers_beyond_64_bits_are_exact(client: httpx.Client, service: Service) -> None:
    for n in (-(2**63) - 1, 2**64, 10**30):
        response = client.post(
            "/counts", content=b'{"n": %d}' % n, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200, response.text
        assert service.calls[-1][1]["body"].n == n
        assert response.content == b'{"n":%d}' % n


def test_empty_object_parameter(client: httpx.Client, service: Service) -> None:
    assert client.get("/search?filter=").status_code == 204
    assert service.calls[-1] == ("search", {"filter": {}})
    assert client.get("/search?filter=name,x").status_code == 204
    assert service.calls[-1] == ("search", {"filter": {"name": "x"}})


def test_custom_method_route(client: httpx.Client, service: Service) -> None:
    assert client.post("/v1/abc:getIamPolicy").status_code == 204
    assert service.calls[-1] == ("get_iam_policy", {"resource": "abc"})
    assert client.get("/v1/abc").status_code == 204
    assert service.calls[-1] == ("get_thing", {"name": "abc"})


# -- `content` parameters, with a hand-built operation table ---------------------------------

CONTENT_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "content parameters", "version": "1"},
    "paths": {
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {
                        "name": "filter",
                        "in": "query",
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["n"],
                                    "properties": {"n": {"type": "integer", "format": "int32"}},
                                }
                            }
                        },
                    },
                    {
                        "name": "X-Ids",
                        "in": "header",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"type": "integer"}}
                            }
                        },
                    },
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {}}}},
            }
        }
    },
}
BASE = "/paths/~1search/get/parameters"
CONTENT_OPERATIONS = (
    Operation(
        id="search",
        method="GET",
        path="/search",
        handler="search",
        params=(
            Param(
                "filter",
                "filter",
                "query",
                True,
                f"{BASE}/0/content/application~1json/schema",
                media_type="application/json",
            ),
            Param(
                "X-Ids",
                "x_ids",
                "header",
                False,
                f"{BASE}/1/content/application~1json/schema",
                media_type="application/json",
            ),
        ),
        responses=(Response("200", ("application/json",)),),
    ),
)


class Searcher:
    async def search(self, *, context: RequestContext, **kwargs: Any) -> dict[str, Any]:
        return kwargs


@pytest.fixture
def content_client() -> Iterator[httpx.Client]:
    app = build_app(CONTENT_SPEC, CONTENT_OPERATIONS, Searcher(), Settings(access_log=False))
    yield from serve(app)


def test_content_parameters_are_json(content_client: httpx.Client) -> None:
    ok = content_client.get("/search", params={"filter": '{"n": 3}'}, headers={"X-Ids": "[1, 2]"})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"filter": {"n": 3}, "x_ids": [1, 2]}
    bad = content_client.get("/search", params={"filter": '{"n": "x"}'})
    assert bad.status_code == 400 and pointers(bad) == ["/query/filter/n"]
    bad = content_client.get("/search", params={"filter": '{"n": 2147483648}'})
    assert pointers(bad) == ["/query/filter/n"]
    bad = content_client.get("/search", params={"filter": "{not json"})
    assert bad.status_code == 400 and pointers(bad) == ["/query/filter"]
    bad = content_client.get("/search", params={"filter": "{}"}, headers={"X-Ids": '["a"]'})
    assert sorted(pointers(bad)) == ["/header/X-Ids/0", "/query/filter/n"]
    missing = content_client.get("/search")
    assert missing.status_code == 400 and pointers(missing) == ["/query/filter"]
