"""Replies: bare values and `Reply`, None → 204, MISSING fields left out, request ids, and
response validation on and off."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest

from toolkit.runtime import Settings

from .conftest import KEYS, SPEC, Client, MakeClient, Service, _ok, assert_problem

pytestmark = pytest.mark.anyio

CHECKED = Settings(verifier=KEYS, validate_responses=True)


async def test_bare_value_uses_the_default_status(client: Client) -> None:
    response = await client.post("/items", json={"name": "a", "price": 1})
    assert response.status_code == 201
    assert response.json()["id"] == 7


async def test_reply_sets_status_headers_and_body(client: Client) -> None:
    response = await client.get("/reply")
    assert response.status_code == 202
    assert response.headers["x-rate"] == "1"
    assert response.json() == {"queued": True}


async def test_reply_without_body_for_a_documented_status(client: Client) -> None:
    response = await client.post("/items", json={"name": "taken", "price": 1})
    assert response.status_code == 409
    assert response.content == b""


async def test_none_with_a_documented_204_is_an_empty_204(client: Client) -> None:
    response = await client.delete("/items/1")
    assert response.status_code == 204
    assert response.content == b""


async def test_missing_fields_are_omitted_not_null(client: Client) -> None:
    response = await client.get("/sparse")
    assert response.json() == {"id": 1}
    created = await client.post("/items", json={"name": "a", "price": 1})
    assert "id" in created.json()  # set MISSING fields are serialized


async def test_text_media_type(client: Client) -> None:
    response = await client.get("/text")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "plain words"


async def test_request_id_is_echoed_when_sane(client: Client) -> None:
    response = await client.get("/items", headers={"X-Request-ID": "abc.DEF_123-x"})
    assert response.headers["x-request-id"] == "abc.DEF_123-x"


@pytest.mark.parametrize("given", ["", "has space", "x" * 129, "semi;colon", "ünï"])
async def test_insane_request_id_is_replaced(client: Client, given: str) -> None:
    response = await client.get("/items", headers={"X-Request-ID": given.encode()})
    generated = response.headers["x-request-id"]
    assert generated != given
    assert len(generated) == 32 and int(generated, 16) >= 0


async def test_request_id_is_generated_per_request_and_on_errors(client: Client) -> None:
    one = await client.get("/items")
    two = await client.get("/nowhere")
    assert one.headers["x-request-id"] != two.headers["x-request-id"]
    assert two.json()["request_id"] == two.headers["x-request-id"]


async def test_custom_request_id_header(make_client: MakeClient) -> None:
    client = make_client(Settings(request_id_header="X-Correlation-ID"))
    response = await client.get("/items", headers={"X-Correlation-ID": "corr-1"})
    assert response.headers["x-correlation-id"] == "corr-1"


async def test_without_validation_a_bad_response_goes_out(client: Client) -> None:
    assert (await client.get("/bad-response")).json() == {"name": "", "price": -1}
    assert (await client.get("/teapot")).status_code == 418
    assert (await client.get("/missing-header")).status_code == 200


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/bad-response", "answered 200: body at /name"),
        ("/teapot", "answered 418: the status is not documented"),
        ("/missing-header", "answered 200: required header 'X-Rate' is missing"),
    ],
)
async def test_validation_turns_violations_into_500(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture, url: str, message: str
) -> None:
    client = make_client(CHECKED)
    with caplog.at_level(logging.ERROR, "ctk.runtime"):
        response = await client.get(url)
    body = assert_problem(response, 500)
    assert body["detail"] == "the server produced a response its API does not allow"
    assert "contract violation" in caplog.text
    assert message in caplog.text


async def test_validation_passes_good_responses(make_client: MakeClient) -> None:
    client = make_client(CHECKED)
    assert (await client.post("/items", json={"name": "a", "price": 1})).status_code == 201
    assert (await client.get("/reply")).status_code == 202
    assert (await client.delete("/items/1")).status_code == 204
    assert (await client.get("/sparse")).json() == {"id": 1}
    assert (await client.get("/problem")).status_code == 409  # a documented problem status


async def test_validation_refuses_undocumented_problem_status(make_client: MakeClient) -> None:
    from .conftest import SPEC

    spec = {**SPEC, "paths": {**SPEC["paths"]}}
    spec["paths"]["/problem"] = {
        "get": {"operationId": "problem", "responses": {"200": {"description": "ok"}}}
    }
    client = make_client(CHECKED, spec=spec)
    assert_problem(await client.get("/problem"), 500)


class _ReturnsNone(Service):
    async def sparse(self, **kw: Any) -> Any:
        return None


async def test_none_for_a_documented_body_is_reported_not_served_as_null(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 11 item 4: `200 null` broke the contract silently."""
    client = make_client(impl=_ReturnsNone())
    with caplog.at_level(logging.ERROR, logger="ctk.runtime"):
        response = await client.get("/sparse")
    assert_problem(response, 500)
    assert "operation sparse: the handler returned None" in caplog.text


async def test_none_is_served_when_the_schema_admits_null(make_client: MakeClient) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/sparse"]["get"]["responses"] = _ok({"type": "object", "nullable": True})
    response = await make_client(spec=spec, impl=_ReturnsNone()).get("/sparse")
    assert response.status_code == 200
    assert response.content == b"null"
