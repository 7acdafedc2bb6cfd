"""The app's own errors (400, 401, 403, 406, 413, 415, 422, 500) answered the way each
operation documents them (ADR 0007), through a real app; 404/405 off any operation stay
RFC 9457 problems; the success path never touches the error machinery."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from toolkit.model.error_mappings import guessed_mappings
from toolkit.runtime import HTTPProblem, Settings, build_app

from .conftest import KEYS, Client, MakeClient, assert_problem, operations_from

pytestmark = pytest.mark.anyio

ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "additionalProperties": False,
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
}
DEFAULT = {
    "default": {
        "description": "error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
}
BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            }
        }
    },
}


def _op(op_id: str, *, responses: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
    return {
        "operationId": op_id,
        "responses": {**ok, **(DEFAULT if responses is None else responses)},
        **extra,
    }


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Errors follow the contract", "version": "1"},
    "paths": {
        "/things": {
            "get": _op(
                "list_things",
                parameters=[
                    {
                        "name": "limit",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer", "maximum": 10},
                    }
                ],
            ),
            "post": _op("create_thing", requestBody=BODY),
        },
        "/secret": {"get": _op("secret", security=[{"oauth": ["things:write"]}])},
        "/fail": {"get": _op("fail")},
        "/only-422": {
            "post": _op(
                "only_422",
                parameters=[{"name": "q", "in": "query", "required": True, "schema": {}}],
                requestBody=BODY,
                responses={"422": DEFAULT["default"]},
            )
        },
        "/silent": {"get": {"operationId": "silent"}},  # no responses: promises nothing
    },
    "components": {
        "schemas": {"Error": ERROR},
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://auth.example.test/token",
                        "scopes": {"things:write": "write"},
                    }
                },
            }
        },
    },
}


class Things:
    async def list_things(self, **kw: Any) -> Any:
        return {"limit": kw["limit"]}

    async def create_thing(self, **kw: Any) -> Any:
        return {"created": True}

    async def secret(self, **kw: Any) -> Any:
        return {}

    async def fail(self, **kw: Any) -> Any:
        raise RuntimeError("boom")

    async def only_422(self, **kw: Any) -> Any:
        return {}

    async def silent(self, **kw: Any) -> Any:
        return {"anything": "goes"}


@pytest.fixture
def things(make_client: MakeClient) -> Client:
    return make_client(
        settings=Settings(verifier=KEYS, validate_responses=True), spec=SPEC, impl=Things()
    )


def _documented(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json", response.text
    body: dict[str, Any] = response.json()
    jsonschema.Draft4Validator(ERROR).validate(body)
    assert body["code"] == response.status_code
    return body


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("GET", "/things", {}, 400),
        ("GET", "/things?limit=11", {}, 400),
        ("GET", "/secret", {}, 401),
        ("GET", "/secret", {"headers": {"Authorization": "Bearer tok-r"}}, 403),
        ("GET", "/things?limit=1", {"headers": {"Accept": "text/html"}}, 406),
        (
            "POST",
            "/things",
            {"content": b"x" * 2_000_000, "headers": {"content-type": "application/json"}},
            413,
        ),
        ("POST", "/things", {"content": b"{}", "headers": {"content-type": "text/csv"}}, 415),
        (
            "POST",
            "/things",
            {"content": b"{", "headers": {"content-type": "application/json"}},
            400,
        ),
        ("POST", "/things", {"json": {"name": 3}}, 422),
        ("GET", "/fail", {}, 500),
    ],
)
async def test_runtime_errors_use_the_documented_default(
    things: Client, method: str, url: str, kwargs: dict[str, Any], status: int
) -> None:
    response = await things.request(method, url, **kwargs)
    assert response.status_code == status
    _documented(response)


async def test_the_message_says_what_was_wrong(things: Client) -> None:
    body = _documented(await things.get("/things?limit=11"))
    assert body["message"].startswith("invalid parameters: /query/limit ")
    unauthorized = await things.get("/secret")
    assert unauthorized.headers["www-authenticate"].startswith("Bearer")


async def test_no_operation_no_contract_problem_json(things: Client) -> None:
    assert_problem(await things.get("/nowhere"), 404)
    assert_problem(await things.delete("/things"), 405)


@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        ({"json": {"name": "x"}}, "missing required parameters"),
        ({"params": {"q": "1"}}, "the request body is required"),
        (
            {
                "params": {"q": "1"},
                "content": b"{",
                "headers": {"content-type": "application/json"},
            },
            "the request body is not valid JSON",
        ),
        ({"params": {"q": "1"}, "json": {}}, "the request body does not match its schema"),
    ],
)
async def test_only_422_documented_every_client_error_is_422(
    things: Client, kwargs: dict[str, Any], detail: str
) -> None:
    response = await things.post("/only-422", **kwargs)
    assert response.status_code == 422
    assert _documented(response)["message"].startswith(detail)


async def test_an_operation_without_responses_promises_nothing(things: Client) -> None:
    response = await things.get("/silent")
    assert (response.status_code, response.json()) == (200, {"anything": "goes"})


async def test_handler_problems_follow_the_contract_too(make_client: MakeClient) -> None:
    class Conflicted(Things):
        async def create_thing(self, **kw: Any) -> Any:
            raise HTTPProblem(409, detail="already there", headers={"Retry-After": "5"})

    client = make_client(settings=Settings(validate_responses=True), spec=SPEC, impl=Conflicted())
    response = await client.post("/things", json={"name": "x"})
    assert response.status_code == 409 and response.headers["retry-after"] == "5"
    assert _documented(response)["message"] == "already there"


async def test_the_success_path_never_builds_an_error_plan() -> None:
    doc = copy.deepcopy(SPEC)
    mappings = guessed_mappings(doc)
    app = build_app(
        doc, operations_from(doc), Things(), Settings(access_log=False, error_mappings=mappings)
    )
    endpoint = app._router.match({"path": "/things", "raw_path": b"/things"})[0].methods["GET"]  # type: ignore[attr-defined,index]
    plans = endpoint._errors._plans
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for _ in range(3):
            assert (await client.get("/things?limit=1")).status_code == 200
        assert plans == {}
        await client.get("/things")
        await client.get("/things?limit=99")
    assert list(plans) == [400]  # worked out once, on the first 400
