"""Built-in routes: health, readiness, metrics, the exact spec bytes, offline docs; the
document wins when it defines the same path."""

from __future__ import annotations

import logging
import re

import orjson
import pytest

from toolkit.runtime import Settings

from .conftest import SPEC, Client, MakeClient, assert_problem

pytestmark = pytest.mark.anyio


async def test_healthz(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_follows_the_check(make_client: MakeClient) -> None:
    state = {"ready": False}

    async def ready() -> bool:
        return state["ready"]

    client = make_client(Settings(ready=ready))
    assert (await client.get("/readyz")).status_code == 503
    state["ready"] = True
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_readyz_check_that_raises_is_503(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    async def ready() -> bool:
        raise ConnectionError("db down")

    client = make_client(Settings(ready=ready))
    with caplog.at_level(logging.ERROR, "ctk.runtime"):
        assert (await client.get("/readyz")).status_code == 503
    assert "readiness" in caplog.text


async def test_metrics_count_requests_per_operation(client: Client) -> None:
    await client.get("/items")
    await client.get("/items")
    await client.get("/items?limit=0")
    await client.get("/nowhere")
    text = (await client.get("/metrics")).text
    assert 'ctk_requests_total{method="GET",operation="list_items",status="200"} 2.0' in text
    assert 'ctk_requests_total{method="GET",operation="list_items",status="400"} 1.0' in text
    assert 'ctk_requests_total{method="GET",operation="_unrouted",status="404"} 1.0' in text
    assert re.search(r'ctk_request_duration_seconds_count\{operation="list_items"\} 3\.0', text)
    assert "/metrics" not in text  # built-in routes are not counted


async def test_each_app_has_its_own_registry(make_client: MakeClient) -> None:
    one, two = make_client(), make_client()
    await one.get("/items")
    assert "list_items" in (await one.get("/metrics")).text
    assert "list_items" not in (await two.get("/metrics")).text


async def test_openapi_json_is_the_exact_bytes(make_client: MakeClient) -> None:
    raw = b'{"openapi": "3.0.3",   "note": "formatting kept"}'
    client = make_client(Settings(spec_bytes=raw))
    response = await client.get("/openapi.json")
    assert response.content == raw
    assert response.headers["content-type"] == "application/json"


async def test_openapi_json_defaults_to_the_document(client: Client) -> None:
    assert orjson.loads((await client.get("/openapi.json")).content) == SPEC


async def test_docs_are_offline(client: Client) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "http" not in page.text.lower()
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith("docs/") for r in refs)
    for ref in refs:
        asset = await client.get("/" + ref)
        assert asset.status_code == 200, ref
        assert asset.content
    init = (await client.get("/docs/init.js")).text
    assert 'url: "openapi.json"' in init
    assert "validatorUrl: null" in init  # no calls to the public validator


async def test_switched_off_builtins_are_404(make_client: MakeClient) -> None:
    client = make_client(Settings(docs=False, metrics=False))
    assert_problem(await client.get("/docs"), 404)
    assert_problem(await client.get("/metrics"), 404)


async def test_builtins_answer_get_and_head_only(client: Client) -> None:
    response = await client.post("/healthz")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD"
    head = await client.head("/healthz")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == "15"


async def test_the_document_wins_over_builtins(make_client: MakeClient) -> None:
    spec = {**SPEC, "paths": {**SPEC["paths"]}}
    spec["paths"]["/healthz"] = {
        "get": {"operationId": "get_my_item", "responses": {"200": {"description": "ok"}}}
    }
    client = make_client(spec=spec)
    assert (await client.get("/healthz")).json() == {"me": True}


async def test_access_log_is_one_json_line(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "ctk.access"):
        response = await client.get("/items/12", headers={"X-Request-ID": "log-1"})
    lines = [r for r in caplog.records if r.name == "ctk.access"]
    assert len(lines) == 1
    entry = orjson.loads(lines[0].getMessage())
    assert entry.pop("duration_ms") >= 0
    assert entry == {
        "method": "GET",
        "path": "/items/{item_id}",
        "status": response.status_code,
        "request_id": "log-1",
        "operation_id": "get_item",
    }


async def test_access_log_can_be_switched_off(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(Settings(access_log=False))
    with caplog.at_level(logging.INFO, "ctk.access"):
        await client.get("/items")
    assert not [r for r in caplog.records if r.name == "ctk.access"]


async def test_docs_with_a_trailing_slash_redirects_to_docs(client: Client) -> None:
    """Issue 11 item 8: the page's relative links resolve from `/docs`, not `/docs/`."""
    response = await client.get("/docs/")
    assert response.status_code == 308
    assert response.headers["location"] == "../docs"
    assert str(response.url.join(response.headers["location"])) == "http://testserver/docs"
