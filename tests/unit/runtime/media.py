"""A spec whose request bodies are not JSON (forms, multipart, text, binary, XML), a service
that records what each handler received, and a client factory for it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import BaseModel

from toolkit.runtime import RequestContext, Settings, build_app

from .conftest import operations_from

PET = {"$ref": "#/components/schemas/Pet"}


def _op(op_id: str, content: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "requestBody": {"required": required, "content": content},
        # both client errors documented: unreadable bodies answer 400, invalid ones 422
        "responses": {
            "200": {"description": "ok"},
            "400": {"description": "unreadable"},
            "422": {"description": "invalid"},
        },
    }


FORM_SCHEMA = {
    "type": "object",
    "required": ["n"],
    "additionalProperties": False,
    "properties": {
        "n": {"type": "integer", "minimum": 1},
        "ratio": {"type": "number"},
        "ok": {"type": "boolean"},
        "name": {"type": "string", "maxLength": 5},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "meta": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}},
        "filter": {"type": "object", "properties": {"min": {"type": "integer"}}},
        "score": {"type": "integer", "nullable": True},
    },
}

UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["orderId", "doc"],
    "properties": {
        "orderId": {"type": "integer"},
        "flags": {"type": "array", "items": {"type": "boolean"}},
        "note": {"type": "string", "maxLength": 10},
        "doc": {"type": "string", "format": "binary", "maxLength": 16},
        "extras": {"type": "array", "items": {"type": "string", "format": "binary"}},
        "meta": {"type": "object", "properties": {"tag": {"type": "string"}}},
        "avatar": {"type": "string"},
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Media bodies", "version": "1"},
    "paths": {
        "/form": {
            "post": _op(
                "post_form",
                {
                    "application/x-www-form-urlencoded": {
                        "schema": FORM_SCHEMA,
                        "encoding": {
                            "ids": {"style": "form", "explode": False},
                            "meta": {"contentType": "application/json"},
                            "filter": {"style": "deepObject", "explode": True},
                        },
                    }
                },
            )
        },
        "/pets": {
            "put": _op(
                "put_pet",
                {
                    "application/json": {"schema": PET},
                    "application/x-www-form-urlencoded": {"schema": PET},
                },
            )
        },
        "/upload": {
            "post": _op(
                "upload",
                {
                    "multipart/form-data": {
                        "schema": UPLOAD_SCHEMA,
                        "encoding": {"avatar": {"contentType": "image/png"}},
                    }
                },
            )
        },
        "/note": {
            "put": _op(
                "put_note",
                {
                    "text/plain": {
                        "schema": {"type": "string", "maxLength": 8, "pattern": "^[a-z]*$"}
                    }
                },
            ),
            "post": _op("post_note", {"text/*": {"schema": {"type": "string"}}}, required=False),
        },
        "/csv": {"post": _op("post_csv", {"text/csv": {"schema": {"type": "object"}}})},
        "/blob": {
            "put": _op(
                "put_blob",
                {
                    "application/octet-stream": {
                        "schema": {"type": "string", "format": "binary", "maxLength": 8}
                    }
                },
            ),
            "post": _op(
                "post_blob",
                {"image/*": {"schema": {"type": "string", "format": "binary", "minLength": 2}}},
            ),
        },
        "/xml": {"post": _op("post_xml", {"application/xml": {"schema": PET}})},
        # Azure's documents list text/json beside (or instead of) application/json
        "/text-json": {"put": _op("put_text_json", {"text/json": {"schema": PET}})},
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
            }
        }
    },
}


class Pet(BaseModel):
    name: str
    age: int | None = None


class Recorder:
    """Every handler records its body (or the lack of one) and answers a bare 200."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        async def handle(*, context: RequestContext, **kwargs: Any) -> None:
            self.bodies.append(kwargs.get("body", "<absent>"))

        return handle


def media_client(recorder: Recorder, settings: Settings | None = None) -> httpx.AsyncClient:
    """An httpx client (use it with `async with`) on an app serving SPEC with `recorder`."""
    doc = copy.deepcopy(SPEC)
    ops = operations_from(doc, {"put_pet": Pet})
    app = build_app(doc, ops, recorder, settings or Settings(access_log=False))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
