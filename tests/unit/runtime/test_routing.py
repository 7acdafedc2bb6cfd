"""Routing: templates, literal-over-template, 404 and 405 with Allow."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from toolkit.runtime._routing import Route, Router

from .conftest import Client, MakeClient, Service, assert_problem

pytestmark = pytest.mark.anyio


async def test_template_matches_and_coerces(client: Client, service: Service) -> None:
    response = await client.get("/items/42")
    assert response.status_code == 200
    assert response.json()["args"] == {"item_id": 42}


async def test_literal_segment_beats_template(client: Client) -> None:
    response = await client.get("/items/me")
    assert response.status_code == 200
    assert response.json() == {"me": True}


async def test_partial_segment_templates(client: Client) -> None:
    response = await client.get("/files/report.v2.md")
    assert response.json()["args"] == {"name": "report.v2", "ext": "md"}
    assert_problem(await client.get("/files/report.pdf"), 400)


async def test_percent_encoded_slash_stays_inside_the_parameter(client: Client) -> None:
    response = await client.get("/files/a%2Fb.txt")
    assert response.json()["args"] == {"name": "a/b", "ext": "txt"}


async def test_unknown_path_is_404(client: Client) -> None:
    body = assert_problem(await client.get("/nowhere"), 404)
    assert body["title"] == "Not Found"
    assert_problem(await client.get("/items/"), 404)  # an empty segment is no parameter
    assert_problem(await client.get("/items/1/extra"), 404)


async def test_other_method_is_405_with_allow(client: Client) -> None:
    response = await client.put("/items/1")
    assert_problem(response, 405)
    assert response.headers["allow"] == "DELETE, GET, HEAD"  # HEAD comes with GET
    response = await client.options("/items")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"


async def test_method_matched_to_operation(client: Client, service: Service) -> None:
    response = await client.delete("/items/5")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert service.calls[-1][0] == "delete_item"


def route_of(templates: list[str], path: str) -> tuple[str, dict[str, str]] | None:
    router = Router([Route(t, {"GET": t}) for t in templates])
    found = router.match({"path": path, "raw_path": path.encode()})
    return None if found is None else (found[0].template, found[1])


@pytest.mark.parametrize("order", [1, -1])
def test_literal_text_in_a_segment_beats_a_bare_parameter(order: int) -> None:
    templates = ["/v1/{name}", "/v1/{resource}:getIamPolicy"][::order]
    assert route_of(templates, "/v1/abc:getIamPolicy") == (
        "/v1/{resource}:getIamPolicy",
        {"resource": "abc"},
    )
    assert route_of(templates, "/v1/abc") == ("/v1/{name}", {"name": "abc"})


@pytest.mark.parametrize("order", [1, -1])
def test_more_literal_text_wins_and_literal_segments_win_first(order: int) -> None:
    templates = ["/f/{a}.{b}", "/f/{a}.tar.{b}", "/f/{a}"][::order]
    assert route_of(templates, "/f/x.tar.gz") == ("/f/{a}.tar.{b}", {"a": "x", "b": "gz"})
    assert route_of(templates, "/f/x.gz") == ("/f/{a}.{b}", {"a": "x", "b": "gz"})
    left = ["/{a}:x/lit", "/{a}/lit", "/lit/{b}"][::order]
    assert route_of(left, "/lit/lit") == ("/lit/{b}", {"b": "lit"})  # decided leftmost first
    assert route_of(left, "/q:x/lit") == ("/{a}:x/lit", {"a": "q"})


def test_a_decoded_newline_in_a_mixed_segment_still_matches() -> None:
    """Without raw_path (some ASGI callers leave it out) the decoded path is matched, and a
    parameter value may hold any character, a newline too."""
    router = Router([Route(t, {"POST": t}) for t in ["/v1/{name}", "/v1/{r}:test"]])
    found = router.match({"path": "/v1/a\nb:test"})
    assert found is not None
    assert (found[0].template, found[1]) == ("/v1/{r}:test", {"r": "a\nb"})


def test_identical_shapes_route_to_the_first_declared() -> None:
    assert route_of(["/d/{id}", "/d/{path}"], "/d/1") == ("/d/{id}", {"id": "1"})
    assert route_of(["/d/{path}", "/d/{id}"], "/d/1") == ("/d/{path}", {"path": "1"})


async def test_custom_method_route_through_the_app(
    make_client: MakeClient, service: Service
) -> None:
    def op(op_id: str, method: str, name: str) -> dict[str, Any]:
        param = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        return {
            method: {
                "operationId": op_id,
                "parameters": [param],
                "responses": {"200": {"description": "ok"}},
            }
        }

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "custom methods", "version": "1"},
        "paths": {
            "/v1/{name}": op("get_item", "get", "name"),
            "/v1/{resource}:getIamPolicy": op("list_items", "post", "resource"),
        },
    }
    client = make_client(spec=spec)
    response = await client.post("/v1/abc:getIamPolicy")
    assert response.status_code == 200, response.text
    assert service.calls[-1] == ("list_items", {"resource": "abc", "context": ANY})
    assert (await client.get("/v1/abc")).json()["args"] == {"name": "abc"}


async def test_head_is_served_on_every_get_route(client: Client) -> None:
    """Issue 11 item 8: HEAD is GET without the body (RFC 9110), same status and headers."""
    get = await client.get("/items/1")
    head = await client.head("/items/1")
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert (await client.head("/items/1", headers={"X-Flags": "nope"})).status_code == 400
