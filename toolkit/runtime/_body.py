"""Request bodies: Content-Type (415), size (413), parsing (400), schema (422), then the
handler's value. JSON is parsed by orjson and built into the handler's pydantic type; forms,
multipart, text and binary bodies are decoded by their media type (`_forms`, `_text`) and
validated against that media type's schema in the document; other media types (XML, ...)
reach the handler as bytes."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from ._asgi import Receive
from ._decoders import Plan, media_plans
from ._forms import Errors
from ._json import loads
from ._media import ContentTypes, is_json
from ._params import ABSENT
from ._schemas import Schemas, errors_of
from ._views import REQUEST
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
        "_plans",
        "_strip",
        "_types",
        "_validator",
        "arg",
        "op_id",
        "required",
    )

    def __init__(
        self,
        op_id: str,
        body: Body,
        schemas: Schemas,
        limit: int,
        invalid: int = 422,
        *,
        path: str = "",
        method: str = "",
    ) -> None:
        """`path` and `method` find the operation's `requestBody` in the document, whose
        non-JSON media types (forms, multipart, text, binary) are then decoded and validated
        by their own schemas; without them, such bodies reach the handler as bytes."""
        self.op_id = op_id
        self._invalid = invalid
        self.arg = body.arg
        self.required = body.required
        self._types = ContentTypes(body.media_types)
        self._validator = schemas.validator(body.schema, REQUEST) if body.schema else None
        # read-only members a client sent: validated, then removed (ADR 0017)
        self._strip = (
            partial(schemas.strip_read_only, pointer=body.schema)
            if body.schema and schemas.strips_read_only()
            else None
        )
        self._adapter: TypeAdapter[Any] | None = (
            TypeAdapter(body.model) if body.model is not None else None
        )
        self._limit = limit
        self._plans = (
            media_plans(schemas, body, path, method, invalid, self._adapter is not None)
            if path and method
            else {}
        )

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
            if not self.required:
                return ABSENT
            plan = self._plan(media) if media is not None else None
            if plan is None or not plan.empty:
                raise HTTPProblem(
                    400,
                    detail="the request body is required",
                    errors=[{"pointer": "", "detail": "the request body is required"}],
                )
            return self._decoded(plan, raw, content_type or "")
        if media is None:
            raise self._unsupported(None)
        if not is_json(media):
            plan = self._plan(media)
            return raw if plan is None else self._decoded(plan, raw, content_type or "")
        try:
            value = loads(raw)  # exact: integers beyond 64 bits stay integers
        except orjson.JSONDecodeError as error:
            raise HTTPProblem(400, detail=f"the request body is not valid JSON: {error}") from None
        validator = self._validator
        if validator is not None and not validator.is_valid(value):
            raise self._invalid_body(errors_of(validator, value))
        if self._strip is not None:
            self._strip(value)
        adapter = self._adapter
        if adapter is None:
            return value
        try:
            return adapter.validate_python(value)
        except ValidationError as error:
            raise self._generator_bug(error) from None

    def _plan(self, media: str) -> Plan | None:
        """The plan of the documented type that covers `media` (exact, then `type/*`, `*/*`)."""
        plans = self._plans
        if not plans:
            return None
        plan = plans.get(media)
        if plan is None:
            plan = plans.get(media.split("/", 1)[0] + "/*") or plans.get("*/*")
        return plan

    def _decoded(self, plan: Plan, raw: bytes, content_type: str) -> Any:
        value, instance, errors = plan.decode(raw, content_type)
        validator = plan.validator
        if errors or (validator is not None and not validator.is_valid(instance)):
            if validator is not None:
                errors = sorted({*errors, *errors_of(validator, instance)})
            raise self._invalid_body(errors)
        if plan.model and self._adapter is not None:
            return self._model(self._adapter, value)
        return value

    def _invalid_body(self, errors: Errors) -> HTTPProblem:
        return HTTPProblem(
            self._invalid,
            detail="the request body does not match its schema",
            # RFC 6901 pointers into the body (`/name`), as `format: json-pointer` wants
            errors=[{"pointer": p, "detail": m} for p, m in errors],
        )

    def _model(self, adapter: TypeAdapter[Any], value: Any) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as error:
            raise self._generator_bug(error) from None

    def _generator_bug(self, error: ValidationError) -> HTTPProblem:
        """The JSON Schema accepted what the generated model refuses: a generator bug."""
        _log.error(
            "operation %s: the body model rejected a body its JSON Schema accepts "
            "(a generator bug): %s",
            self.op_id,
            error.errors(include_url=False, include_input=False)[:3],
        )
        return HTTPProblem(500)

    def _unsupported(self, content_type: str | None) -> HTTPProblem:
        accepted = ", ".join(self._types.documented)
        given = f"Content-Type {content_type!r}" if content_type else "a body without Content-Type"
        return HTTPProblem(
            415,
            detail=f"{given} is not accepted; use one of: {accepted}",
            headers={"Accept": accepted},
            accepted=list(self._types.documented),
        )
