"""Request bodies: media types (415), size (413), JSON (400), schema (422), model, raw bytes."""

from __future__ import annotations

import logging

import orjson
import pytest

from toolkit.runtime import Settings

from .conftest import KEYS, Client, Item, MakeClient, Service, assert_problem

pytestmark = pytest.mark.anyio

GOOD = {"name": "lamp", "price": 12.5, "note": None, "tags": ["home"]}


async def test_valid_body_reaches_the_handler_as_the_model(
    client: Client, service: Service
) -> None:
    response = await client.post("/items", json=GOOD)
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {**GOOD, "id": 7}
    body = service.calls[-1][1]["body"]
    assert isinstance(body, Item)
    assert body.note is None  # nullable (3.0) accepted by the JSON Schema too


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON"],
)
async def test_content_type_parameters_and_case(client: Client, content_type: str) -> None:
    response = await client.post(
        "/items", content=orjson.dumps(GOOD), headers={"content-type": content_type}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/merge-patch+json"]
)
async def test_other_content_type_is_415(client: Client, content_type: str) -> None:
    response = await client.post("/items", content=b"{}", headers={"content-type": content_type})
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]
    assert response.headers["accept"] == "application/json"


async def test_body_without_content_type_is_415(client: Client) -> None:
    assert_problem(await client.post("/items", content=b"{}"), 415)


async def test_missing_required_body_is_400(client: Client) -> None:
    response = await client.post("/items", headers={"content-type": "application/json"})
    body = assert_problem(response, 400)
    assert body["errors"][0]["pointer"] == ""


async def test_malformed_json_is_400(client: Client) -> None:
    response = await client.post(
        "/items", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 400)
    assert "not valid JSON" in body["detail"]


async def test_schema_violations_are_422_with_body_pointers(client: Client) -> None:
    response = await client.post("/items", json={"price": 0, "tags": [1], "color": "red"})
    body = assert_problem(response, 422)
    assert sorted(e["pointer"] for e in body["errors"]) == [
        "/color",
        "/name",
        "/price",
        "/tags/0",
    ]


async def test_content_length_over_the_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(Settings(verifier=KEYS, max_body_bytes=64))
    response = await client.post("/items", json={**GOOD, "note": "x" * 100})
    body = assert_problem(response, 413)
    assert "64 bytes" in body["detail"]


async def test_streamed_body_over_the_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(Settings(verifier=KEYS, max_body_bytes=64))

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(10):
            yield b"x" * 16

    response = await client.post(
        "/upload", content=chunks(), headers={"content-type": "application/octet-stream"}
    )
    assert_problem(response, 413)


async def test_non_json_media_types_pass_raw_bytes(client: Client, service: Service) -> None:
    response = await client.post(
        "/upload", content=b"\x00\x01\x02", headers={"content-type": "image/png"}
    )
    assert response.json() == {"size": 3, "type": "bytes"}
    assert service.calls[-1][1]["body"] == b"\x00\x01\x02"


async def test_optional_body_may_be_absent(client: Client, service: Service) -> None:
    response = await client.post("/upload")
    assert response.json() == {"size": None, "type": "NoneType"}
    assert "body" not in service.calls[-1][1]


async def test_model_refusing_what_the_schema_accepts_is_500_and_logged(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    from pydantic import BaseModel, Field

    import toolkit.runtime as runtime

    from .conftest import SPEC, Service, operations_from

    class Strict(BaseModel):
        name: str = Field(max_length=2)  # stricter than the schema: a generator bug
        price: float

    ops = operations_from(SPEC, {"create_item": Strict})
    app = runtime.build_app(SPEC, ops, Service())
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        with caplog.at_level(logging.ERROR, "ctk.runtime"):
            response = await client.post("/items", json=GOOD)
    assert_problem(response, 500)
    assert "generator bug" in caplog.text
    assert "create_item" in caplog.text
