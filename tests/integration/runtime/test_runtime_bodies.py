"""Non-JSON request bodies end to end: a real uvicorn server (`running()`), real sockets, an
httpx client sending a real multipart upload, a form and a text body."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from toolkit.runtime import (
    Body,
    Operation,
    RequestContext,
    Response,
    Settings,
    UploadedFile,
    build_app,
    running,
)

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "uploads", "version": "1"},
    "paths": {
        "/photos": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["album", "photo"],
                                "properties": {
                                    "album": {"type": "integer", "minimum": 1},
                                    "caption": {"type": "string", "maxLength": 20},
                                    "photo": {"type": "string", "contentMediaType": "image/jpeg"},
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        }
                    },
                },
                "responses": OK,
            }
        },
        "/settings": {
            "post": {
                "operationId": "settings",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"verbose": {"type": "boolean"}},
                            }
                        },
                        "text/plain": {"schema": {"type": "string", "maxLength": 10}},
                    },
                },
                "responses": OK,
            }
        },
    },
}


def _op(op_id: str, path: str, media: tuple[str, ...]) -> Operation:
    pointer = f"/paths/~1{path[1:]}/post/responses/200/content/application~1json/schema"
    return Operation(
        id=op_id,
        method="POST",
        path=path,
        handler=op_id,
        body=Body("body", True, media, None),
        responses=(Response("200", ("application/json",), pointer),),
    )


OPERATIONS = (
    _op("upload", "/photos", ("multipart/form-data",)),
    _op("settings", "/settings", ("application/x-www-form-urlencoded", "text/plain")),
)


class Service:
    async def upload(self, *, body: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        photo: UploadedFile = body["photo"]
        return {
            "album": body["album"],
            "tags": body.get("tags", []),
            "filename": photo.filename,
            "content_type": photo.content_type,
            "sha256": hashlib.sha256(photo.data).hexdigest(),
        }

    async def settings(self, *, body: Any, context: RequestContext) -> Any:
        return body


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    settings = Settings(access_log=False, max_body_bytes=512 * 1024, validate_responses=True)
    with running(build_app(SPEC, OPERATIONS, Service(), settings)) as url:
        yield url


def test_a_real_multipart_upload(base_url: str) -> None:
    photo = os.urandom(300 * 1024)
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post(
            "/photos",
            data={"album": "3", "caption": "sunset", "tags": ["sea", "sky"]},
            files={"photo": ("sunset.jpg", photo, "image/jpeg")},
        )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "album": 3,
        "tags": ["sea", "sky"],
        "filename": "sunset.jpg",
        "content_type": "image/jpeg",
        "sha256": hashlib.sha256(photo).hexdigest(),
    }


def test_an_invalid_upload_is_422_with_pointers(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post(
            "/photos", data={"album": "0", "caption": "x" * 21}, files={"other": b"1"}
        )
    assert response.status_code == 422
    pointers = sorted(e["pointer"] for e in response.json()["errors"])
    assert pointers == ["/album", "/caption", "/photo"]


def test_an_upload_over_the_limit_is_413(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post(
            "/photos",
            data={"album": "1"},
            files={"photo": ("big.jpg", b"\xff" * (600 * 1024), "image/jpeg")},
        )
    assert response.status_code == 413


def test_a_truncated_multipart_body_is_400(base_url: str) -> None:
    raw = b'--b\r\nContent-Disposition: form-data; name="album"\r\n\r\n1\r\n--b\r\nContent-Di'
    with httpx.Client(base_url=base_url, timeout=10) as client:
        response = client.post(
            "/photos", content=raw, headers={"content-type": "multipart/form-data; boundary=b"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_a_form_and_a_text_body_on_one_operation(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        form = client.post("/settings", data={"verbose": "true"})
        text = client.post("/settings", content=b"", headers={"content-type": "text/plain"})
        long = client.post("/settings", content=b"x" * 11, headers={"content-type": "text/plain"})
    assert form.json() == {"verbose": True}
    assert text.json() == ""
    assert long.status_code == 422
