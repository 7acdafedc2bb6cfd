"""A small spec exercising the runtime, a service implementing it, and an httpx client
calling the ASGI app in-process.

`operations_from` derives the `Operation` table from the spec the way `ctk generate` does
(pointers into the document), so each test states only the spec it needs.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx
import pytest
from pydantic import MISSING, BaseModel, Field

from toolkit.model.error_mappings import guessed_mappings
from toolkit.runtime import (
    Body,
    HTTPProblem,
    Operation,
    Param,
    Principal,
    Reply,
    RequestContext,
    Response,
    Settings,
    StaticKeys,
    build_app,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _json_type(content: Mapping[str, Any]) -> str | None:
    """The JSON media type whose schema is used, as the generator picks it (`*/*` last)."""
    found = next((m for m in content if m == "application/json" or m.endswith("+json")), None)
    found = found or ("text/json" if "text/json" in content else None)
    return found or ("*/*" if "*/*" in content else None)


def operations_from(
    doc: Mapping[str, Any], models: Mapping[str, Any] | None = None
) -> tuple[Operation, ...]:
    """The operations table of `doc`; `models` maps operationId → the body's pydantic type."""
    ops = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            base = f"/paths/{escape(path)}/{method}"
            params = []
            for i, p in enumerate(op.get("parameters", [])):
                pointer = f"{base}/parameters/{i}/schema" if "schema" in p else None
                media_type = next(iter(p.get("content", {})), None)
                if media_type is not None:
                    pointer = f"{base}/parameters/{i}/content/{escape(media_type)}/schema"
                params.append(
                    Param(
                        p["name"],
                        p["name"].replace("-", "_").lower(),
                        p["in"],
                        p.get("required", False),
                        pointer,
                        style=p.get("style", ""),
                        explode=p.get("explode"),
                        media_type=media_type,
                    )
                )
            body = None
            if "requestBody" in op:
                content = op["requestBody"]["content"]
                kind = _json_type(content)
                body = Body(
                    "body",
                    op["requestBody"].get("required", False),
                    tuple(content),
                    f"{base}/requestBody/content/{escape(kind)}/schema"
                    if kind and "schema" in content[kind]
                    else None,
                    (models or {}).get(op["operationId"]),
                )
            responses = []
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {})
                kind = _json_type(content)
                pointer = f"{base}/responses/{status}"
                responses.append(
                    Response(
                        status,
                        tuple(content),
                        f"{pointer}/content/{escape(kind)}/schema"
                        if kind and "schema" in content[kind]
                        else None,
                        tuple(
                            name
                            for name, header in response.get("headers", {}).items()
                            if header.get("required")
                        ),
                    )
                )
            security = op.get("security", doc.get("security"))
            successes = [int(s) for s in op.get("responses", {}) if s.isdigit() and s[0] == "2"]
            ops.append(
                Operation(
                    id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    handler=op["operationId"],
                    params=tuple(params),
                    body=body,
                    responses=tuple(responses),
                    security=None
                    if security is None
                    else tuple(
                        tuple((name, tuple(scopes)) for name, scopes in req.items())
                        for req in security
                    ),
                    default_status=min(successes, default=200),
                    tags=tuple(op.get("tags", ())),
                )
            )
    return tuple(ops)


# -- the spec --------------------------------------------------------------------------------

ITEM_REF = {"$ref": "#/components/schemas/Item"}


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ok(schema: Any = None, status: str = "200", **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok", **extra}
    if schema is not None:
        response["content"] = _json(schema)
    return {status: response}


def _get(op_id: str, **extra: Any) -> dict[str, Any]:
    return {"get": {"operationId": op_id, "responses": _ok({"type": "object"}), **extra}}


def _secured(op_id: str, *requirements: dict[str, list[str]]) -> dict[str, Any]:
    return _get(op_id, security=list(requirements))


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Runtime test API", "version": "1.0.0"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "list_items",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                    },
                    {
                        "name": "tag",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "style": "deepObject",
                        "schema": {
                            "type": "object",
                            "properties": {"color": {"type": "string"}, "min": {"type": "integer"}},
                        },
                    },
                    {"name": "flag", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "ratio",
                        "in": "query",
                        "schema": {"type": "number", "nullable": True},
                    },
                    {
                        "name": "pipes",
                        "in": "query",
                        "style": "pipeDelimited",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date"},
                    },
                    {
                        "name": "near",
                        "in": "query",
                        "content": _json(
                            {
                                "type": "object",
                                "required": ["lat"],
                                "properties": {"lat": {"type": "number"}},
                            }
                        ),
                    },
                ],
                "responses": _ok({"type": "object"}),
            },
            "post": {
                "operationId": "create_item",
                "requestBody": {"required": True, "content": _json(ITEM_REF)},
                "responses": {
                    "201": {"description": "created", "content": _json(ITEM_REF)},
                    "409": {"description": "conflict"},
                },
            },
        },
        "/items/me": _get("get_my_item"),
        "/items/{item_id}": {
            "get": {
                "operationId": "get_item",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                    {
                        "name": "X-Flags",
                        "in": "header",
                        "schema": {"type": "array", "items": {"type": "boolean"}},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": _ok({"type": "object"}),
            },
            "delete": {
                "operationId": "delete_item",
                "parameters": [
                    {
                        "name": "item_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {"204": {"description": "gone"}},
            },
        },
        "/files/{name}.{ext}": {
            "get": {
                "operationId": "get_file",
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "ext",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["txt", "md"]},
                    },
                ],
                "responses": _ok({"type": "object"}),
            }
        },
        "/required-query": {
            "get": {
                "operationId": "required_query",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 2},
                    }
                ],
                "responses": _ok({"type": "object"}),
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": False,
                    "content": {"application/octet-stream": {}, "image/*": {}},
                },
                "responses": _ok({"type": "object"}),
            }
        },
        "/text": {
            "get": {
                "operationId": "get_text",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/fail": _get("fail"),
        "/problem": _get(
            "problem", responses={"200": {"description": "ok"}, "409": {"description": "conflict"}}
        ),
        "/teapot": _get("teapot"),
        "/reply": {
            "get": {
                "operationId": "reply",
                "responses": {
                    "200": {"description": "ok", "content": _json({"type": "object"})},
                    "202": {
                        "description": "accepted",
                        "content": _json({"type": "object", "required": ["queued"]}),
                        "headers": {"X-Rate": {"required": True, "schema": {"type": "string"}}},
                    },
                },
            }
        },
        "/bad-response": _get("bad_response", responses=_ok(ITEM_REF)),
        "/missing-header": _get(
            "missing_header",
            responses={
                "200": {
                    "description": "ok",
                    "content": _json({"type": "object"}),
                    "headers": {"X-Rate": {"required": True, "schema": {"type": "string"}}},
                }
            },
        ),
        "/sparse": _get("sparse", responses=_ok({"$ref": "#/components/schemas/Sparse"})),
        "/secure/header": _secured("secure_header", {"key_header": []}),
        "/secure/query": _secured("secure_query", {"key_query": []}),
        "/secure/cookie": _secured("secure_cookie", {"key_cookie": []}),
        "/secure/bearer": _secured("secure_bearer", {"bearer": []}),
        "/secure/basic": _secured("secure_basic", {"basic": []}),
        "/secure/oauth": _secured("secure_oauth", {"oauth": ["items:write", "items:read"]}),
        "/secure/either": _secured("secure_either", {"key_header": []}, {"bearer": []}),
        "/secure/both": _secured("secure_both", {"key_header": [], "bearer": []}),
        "/secure/optional": _secured("secure_optional", {}, {"bearer": []}),
        "/public": _secured("public"),
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "price"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "description": "display name"},
                    "price": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                    "note": {"type": "string", "nullable": True, "example": "fragile"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "id": {"type": "integer", "readOnly": True},
                },
            },
            "Sparse": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}, "nickname": {"type": "string"}},
            },
        },
        "securitySchemes": {
            "key_header": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "key_query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "key_cookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "bearer": {"type": "http", "scheme": "bearer"},
            "basic": {"type": "http", "scheme": "basic"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://auth.example.test/token",
                        "scopes": {"items:read": "read", "items:write": "write"},
                    }
                },
            },
        },
    },
}


class Item(BaseModel):
    name: str
    price: float
    note: str | None = None
    tags: list[str] = Field(default_factory=list)
    id: int | MISSING = MISSING


class Sparse(BaseModel):
    id: int
    nickname: str | MISSING = MISSING


MODELS = {"create_item": Item}
SECRET = "secret internals: db password hunter2"


class Service:
    """Echoes what it received, so tests can see the decoded arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _seen(self, name: str, /, **kwargs: Any) -> dict[str, Any]:
        context: RequestContext = kwargs.pop("context")
        self.calls.append((name, {**kwargs, "context": context}))
        principal = context.principal
        return {
            "args": kwargs,
            "principal": None if principal is None else principal.subject,
            "scheme": None if principal is None else principal.scheme,
        }

    async def list_items(self, **kw: Any) -> Any:
        return self._seen("list_items", **kw)

    async def create_item(self, *, body: Item, context: RequestContext) -> Item:
        self.calls.append(("create_item", {"body": body, "context": context}))
        if body.name == "taken":
            return Reply(409)  # type: ignore[return-value]
        return body.model_copy(update={"id": 7})

    async def get_my_item(self, **kw: Any) -> Any:
        return {"me": True}

    async def get_item(self, **kw: Any) -> Any:
        return self._seen("get_item", **kw)

    async def delete_item(self, **kw: Any) -> None:
        self._seen("delete_item", **kw)

    async def get_file(self, **kw: Any) -> Any:
        return self._seen("get_file", **kw)

    async def required_query(self, **kw: Any) -> Any:
        return self._seen("required_query", **kw)

    async def upload(self, **kw: Any) -> Any:
        body = kw.get("body")
        self._seen("upload", **kw)
        return {"size": None if body is None else len(body), "type": type(body).__name__}

    async def get_text(self, **kw: Any) -> Any:
        return "plain words"

    async def fail(self, **kw: Any) -> Any:
        raise RuntimeError(SECRET)

    async def problem(self, **kw: Any) -> Any:
        raise HTTPProblem(409, detail="already there", headers={"Retry-After": "5"}, hint="retry")

    async def teapot(self, **kw: Any) -> Any:
        return Reply(418, {"short": "stout"})

    async def reply(self, **kw: Any) -> Any:
        return Reply(202, {"queued": True}, headers={"X-Rate": "1"})

    async def bad_response(self, **kw: Any) -> Any:
        return {"name": "", "price": -1}

    async def missing_header(self, **kw: Any) -> Any:
        return {}

    async def sparse(self, **kw: Any) -> Any:
        return Sparse(id=1)

    def secure_header(self, **kw: Any) -> Any:  # a sync handler works too
        return self._seen("secure_header", **kw)

    async def secure_query(self, **kw: Any) -> Any:
        return self._seen("secure_query", **kw)

    async def secure_cookie(self, **kw: Any) -> Any:
        return self._seen("secure_cookie", **kw)

    async def secure_bearer(self, **kw: Any) -> Any:
        return self._seen("secure_bearer", **kw)

    async def secure_basic(self, **kw: Any) -> Any:
        return self._seen("secure_basic", **kw)

    async def secure_oauth(self, **kw: Any) -> Any:
        return self._seen("secure_oauth", **kw)

    async def secure_either(self, **kw: Any) -> Any:
        return self._seen("secure_either", **kw)

    async def secure_both(self, **kw: Any) -> Any:
        return self._seen("secure_both", **kw)

    async def secure_optional(self, **kw: Any) -> Any:
        return self._seen("secure_optional", **kw)

    async def public(self, **kw: Any) -> Any:
        return self._seen("public", **kw)


KEYS = StaticKeys(
    {
        "k-123": Principal("alice", frozenset(), "key_header"),
        "q-123": Principal("quinn", frozenset(), "key_query"),
        "c-123": Principal("carol", frozenset(), "key_cookie"),
        "tok-rw": Principal("bob", frozenset({"items:read", "items:write"}), ""),
        "tok-r": Principal("rita", frozenset({"items:read"}), ""),
        "dave:pa55": Principal("dave", frozenset(), "basic"),
    }
)

Client = httpx.AsyncClient
MakeClient = Callable[..., Client]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def service() -> Service:
    return Service()


@pytest.fixture
async def make_client(service: Service) -> AsyncIterator[MakeClient]:
    """`make_client(settings=..., spec=..., service=...)` → an httpx client on a new app."""
    clients: list[httpx.AsyncClient] = []

    def make(
        settings: Settings | None = None,
        spec: Mapping[str, Any] | None = None,
        impl: object | None = None,
    ) -> httpx.AsyncClient:
        doc = copy.deepcopy(dict(spec or SPEC))
        settings = settings or Settings(verifier=KEYS)
        if settings.error_mappings is None:  # what `ctk generate` writes into app.py
            settings = dataclasses.replace(settings, error_mappings=guessed_mappings(doc))
        app = build_app(doc, operations_from(doc, MODELS), impl or service, settings)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def client(make_client: MakeClient) -> Client:
    return make_client()


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """A problem+json answer with the RFC 9457 members, the request id, and no internals."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    assert SECRET not in response.text
    return body
