"""Routing: templates, literal-over-template, 404 and 405 with Allow."""

from __future__ import annotations

import pytest

from .conftest import Client, Service, assert_problem

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
    assert response.headers["allow"] == "DELETE, GET"
    response = await client.options("/items")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, POST"


async def test_method_matched_to_operation(client: Client, service: Service) -> None:
    response = await client.delete("/items/5")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert service.calls[-1][0] == "delete_item"
