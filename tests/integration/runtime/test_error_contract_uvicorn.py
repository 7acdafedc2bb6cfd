"""Errors follow the contract over real HTTP (uvicorn on 127.0.0.1): an operation documenting
`{code, message}` errors (4XX, application/vnd.shop+json) gets exactly that for the runtime's
own 401 and 415, and its 422s (a bad body or parameter) the documented example where nothing
else fits the 422 schema (ADR 0007)."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema

from toolkit.model.error_mappings import guessed_mappings
from toolkit.runtime import (
    Body,
    Operation,
    Param,
    Principal,
    Response,
    Settings,
    StaticKeys,
    build_app,
)
from toolkit.runtime.server import running

ERROR = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}
STRICT = {
    "type": "object",
    "required": ["reason"],
    "properties": {"reason": {"type": "string", "pattern": "^E_[A-Z]+$"}},
}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "errors", "version": "1"},
    "paths": {
        "/orders/{n}": {
            "post": {
                "operationId": "order",
                "security": [{"key": []}],
                "parameters": [
                    {"name": "n", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {
                    "204": {"description": "ok"},
                    "4XX": {
                        "description": "client error",
                        "content": {"application/vnd.shop+json": {"schema": ERROR}},
                    },
                    "422": {
                        "description": "invalid",
                        "content": {
                            "application/json": {
                                "schema": STRICT,
                                "example": {"reason": "E_INPUT"},
                            }
                        },
                    },
                },
            }
        }
    },
    "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}},
}
BASE = "/paths/~1orders~1{n}/post"
OPERATIONS = (
    Operation(
        id="order",
        method="POST",
        path="/orders/{n}",
        handler="order",
        params=(Param("n", "n", "path", True, f"{BASE}/parameters/0/schema"),),
        body=Body(
            "body",
            True,
            ("application/json",),
            f"{BASE}/requestBody/content/application~1json/schema",
        ),
        responses=(
            Response("204"),
            Response(
                "4XX",
                ("application/vnd.shop+json",),
                f"{BASE}/responses/4XX/content/application~1vnd.shop+json/schema",
            ),
            Response(
                "422",
                ("application/json",),
                f"{BASE}/responses/422/content/application~1json/schema",
            ),
        ),
        security=((("key", ()),),),
        default_status=204,
    ),
)


class Shop:
    async def order(self, **kw: Any) -> None:
        return None


def test_error_bodies_follow_the_contract_over_http() -> None:
    keys = StaticKeys({"k": Principal("ann", frozenset(), "key")})
    settings = Settings(
        verifier=keys, validate_responses=True, error_mappings=guessed_mappings(SPEC)
    )
    app = build_app(SPEC, OPERATIONS, Shop(), settings)
    auth = {"K": "k"}
    with running(app) as base_url, httpx.Client(base_url=base_url, timeout=5) as client:
        assert client.post("/orders/1", json={}, headers=auth).status_code == 204

        for response in (
            client.post("/orders/1", json={}),  # 401
            client.post("/orders/1", content=b"{}", headers={**auth, "content-type": "text/csv"}),
        ):
            assert response.status_code in (401, 415), response.text
            assert response.headers["content-type"] == "application/vnd.shop+json"
            body = response.json()
            jsonschema.Draft202012Validator(ERROR).validate(body)
            assert body["code"] == str(response.status_code)

        # a bad parameter is a 422 too: the operation documents 422, not 400
        for invalid in (
            client.post("/orders/1", json=[], headers=auth),
            client.post("/orders/x", json={}, headers=auth),
        ):
            assert invalid.status_code == 422
            assert invalid.headers["content-type"] == "application/json"
            assert invalid.json() == {"reason": "E_INPUT"}  # the documented example

        missing = client.post("/nowhere")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
