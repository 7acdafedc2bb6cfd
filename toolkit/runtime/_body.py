"""Request bodies: Content-Type (415), size (413), JSON parsing (400), schema (422), then the
handler's pydantic type. Non-JSON media types reach the handler as bytes."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from ._asgi import Receive
from ._json import loads
from ._media import ContentTypes, is_json
from ._params import ABSENT
from ._schemas import Schemas, errors_of
from .operation import Body
from .problem import HTTPProblem

_log = logging.getLogger("ctk.runtime")


class Disconnected(Exception):  # noqa: N818 - a signal, not an error
    """The client went away before sending the whole body."""


async def read_body(receive: Receive, limit: int) -> bytes:
    message = await receive()
    if message["type"] == "http.disconnect":
        raise Disconnected
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False):
        if len(body) > limit:
            raise _too_large(limit)
        return body
    chunks = [body]
    size = len(body)
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(limit: int) -> HTTPProblem:
    return HTTPProblem(413, detail=f"the request body is larger than {limit} bytes")


class BodyReader:
    """The compiled request-body handling of one operation."""

    __slots__ = (
        "_adapter",
        "_invalid",
        "_limit",
        "_types",
        "_validator",
        "arg",
        "op_id",
        "required",
    )

    def __init__(
        self, op_id: str, body: Body, schemas: Schemas, limit: int, invalid: int = 422
    ) -> None:
        self.op_id = op_id
        self._invalid = invalid
        self.arg = body.arg
        self.required = body.required
        self._types = ContentTypes(body.media_types)
        self._validator = schemas.validator(body.schema) if body.schema else None
        self._adapter: TypeAdapter[Any] | None = (
            TypeAdapter(body.model) if body.model is not None else None
        )
        self._limit = limit

    async def read(self, receive: Receive, headers: dict[str, str]) -> Any:
        """The handler's value, or ABSENT when there is no (optional) body."""
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self._limit:
            raise _too_large(self._limit)
        content_type = headers.get("content-type")
        media = None
        if content_type is not None:
            media = self._types.match(content_type)
            if media is None:
                raise self._unsupported(content_type)
        raw = await read_body(receive, self._limit)
        if not raw:
            if self.required:
                raise HTTPProblem(
                    400,
                    detail="the request body is required",
                    errors=[{"pointer": "", "detail": "the request body is required"}],
                )
            return ABSENT
        if media is None:
            raise self._unsupported(None)
        if not is_json(media):
            return raw
        try:
            value = loads(raw)  # exact: integers beyond 64 bits stay integers
        except orjson.JSONDecodeError as error:
            raise HTTPProblem(400, detail=f"the request body is not valid JSON: {error}") from None
        validator = self._validator
        if validator is not None and not validator.is_valid(value):
            raise HTTPProblem(
                self._invalid,
                detail="the request body does not match its schema",
                # RFC 6901 pointers into the body (`/name`), as `format: json-pointer` wants
                errors=[{"pointer": p, "detail": m} for p, m in errors_of(validator, value)],
            )
        if self._adapter is None:
            return value
        try:
            return self._adapter.validate_python(value)
        except ValidationError as error:
            # The JSON Schema accepted what the generated model refuses: a generator bug.
            _log.error(
                "operation %s: the body model rejected a body its JSON Schema accepts "
                "(a generator bug): %s",
                self.op_id,
                error.errors(include_url=False, include_input=False)[:3],
            )
            raise HTTPProblem(500) from None

    def _unsupported(self, content_type: str | None) -> HTTPProblem:
        accepted = ", ".join(self._types.documented)
        given = f"Content-Type {content_type!r}" if content_type else "a body without Content-Type"
        return HTTPProblem(
            415,
            detail=f"{given} is not accepted; use one of: {accepted}",
            headers={"Accept": accepted},
            accepted=list(self._types.documented),
        )
