"""Non-JSON request bodies: service.py types `body` as what the runtime hands over.

The runtime decodes forms and multipart into a dict, text/* into str, and passes any other
media type as bytes (runtime/_decoders.py). The Protocol must say the same, or a handler
written against it is mistyped; these tests run the generated app and check every body
the handler receives against the annotation the generator wrote.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import types
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.unit.generate._package import imported_package
from toolkit.runtime import Settings, UploadedFile

PACKAGE = "ctk_raw_bodies_pkg"
NUMBER = {"type": "object", "properties": {"n": {"type": "integer"}}}
OK = {"204": {"description": "done"}, "422": {"description": "invalid"}}


def _op(op_id: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "requestBody": {"required": True, "content": content},
        "responses": OK,
    }


DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Raw bodies", "version": "1"},
    "paths": {
        "/form": {
            "post": _op("postForm", {"application/x-www-form-urlencoded": {"schema": NUMBER}})
        },
        "/upload": {
            "post": _op(
                "upload",
                {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    }
                },
            )
        },
        "/note": {"put": _op("putNote", {"text/plain": {"schema": {"type": "string"}}})},
        "/blob": {"put": _op("putBlob", {"application/octet-stream": {}})},
        "/either": {
            "put": _op("putEither", {"text/csv": {}, "application/x-www-form-urlencoded": {}})
        },
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("raw_bodies")
    spec = root / "api.json"
    spec.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    with imported_package(spec, root, PACKAGE) as package:
        yield package


def _annotations(package: ModuleType) -> dict[str, Any]:
    service = importlib.import_module(f"{PACKAGE}.service")
    protocol = next(
        value
        for value in vars(service).values()
        if isinstance(value, type)
        and getattr(value, "_is_protocol", False)
        and value.__module__ == service.__name__
    )
    handlers = ("post_form", "upload", "put_note", "put_blob", "put_either")
    return {name: typing.get_type_hints(getattr(protocol, name))["body"] for name in handlers}


def test_service_types_each_body_by_its_media_type(package: ModuleType) -> None:
    assert _annotations(package) == {
        "post_form": dict[str, Any],
        "upload": dict[str, Any],
        "put_note": str,
        "put_blob": bytes,
        "put_either": dict[str, Any] | str,
    }


class _Recorder:
    def __init__(self) -> None:
        self.bodies: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        async def handler(**kwargs: Any) -> None:
            self.bodies[name] = kwargs["body"]

        return handler


def test_the_runtime_hands_over_what_the_annotation_says(package: ModuleType) -> None:
    service = _Recorder()
    app = package.create_app(service, settings=Settings(access_log=False))

    async def send() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            form = {"content-type": "application/x-www-form-urlencoded"}
            answers = [
                await client.post("/form", content=b"n=3", headers=form),
                await client.post(
                    "/upload", files={"file": ("a.bin", b"\x00\x01", "application/octet-stream")}
                ),
                await client.put("/note", content=b"hello", headers={"content-type": "text/plain"}),
                await client.put(
                    "/blob", content=b"\xff", headers={"content-type": "application/octet-stream"}
                ),
                await client.put("/either", content=b"a,b", headers={"content-type": "text/csv"}),
            ]
        return [answer.status_code for answer in answers]

    assert asyncio.run(send()) == [204] * 5
    assert service.bodies["post_form"] == {"n": 3}
    upload = service.bodies["upload"]["file"]
    assert isinstance(upload, UploadedFile) and upload.data == b"\x00\x01"
    assert service.bodies["put_note"] == "hello"
    assert service.bodies["put_blob"] == b"\xff"
    assert service.bodies["put_either"] == "a,b"
    hints = _annotations(package)
    for name, body in service.bodies.items():
        union = isinstance(hints[name], types.UnionType)
        expected = typing.get_args(hints[name]) if union else (hints[name],)
        assert isinstance(body, tuple(typing.get_origin(t) or t for t in expected)), name
