"""Handler results → responses: the status (a bare value means the operation's default),
the media type, the bytes (pydantic models via pydantic-core, so fields holding `MISSING`
are left out), and, with `validate_responses`, the check against the document."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
import pydantic_core

from ._asgi import Raw
from ._json import loads
from ._media import essence, is_json
from ._schemas import Schemas, Validator, errors_of
from ._views import RESPONSE
from .context import Reply
from .operation import Operation, Response
from .problem import HTTPProblem

_log = logging.getLogger("ctk.runtime")
_NO_BODY = frozenset({204, 304})


def encode(body: Any, media_type: str) -> bytes:
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str) and not is_json(essence(media_type)):
        return body.encode("utf-8")
    return pydantic_core.to_json(body, by_alias=True)


def _content_type(media_type: str) -> bytes:
    if media_type.startswith("text/") and "charset" not in media_type:
        media_type += "; charset=utf-8"
    return media_type.encode("latin-1")


def _preferred(media_types: tuple[str, ...]) -> str:
    concrete = [m for m in media_types if "*" not in m]
    return next((m for m in concrete if is_json(essence(m))), concrete[0] if concrete else "")


class Replier:
    """The compiled response side of one operation."""

    __slots__ = (
        "_by_status",
        "_content_types",
        "_default",
        "_empty_default",
        "_media",
        "_none_refused",
        "_op",
        "_responses",
        "_validate",
        "_validators",
    )

    def __init__(self, op: Operation, schemas: Schemas, validate: bool) -> None:
        self._op = op
        self._responses = {r.status.upper(): r for r in op.responses}
        self._media = {r.status: _preferred(r.media_types) for r in op.responses}
        self._content_types: dict[str, bytes] = {}
        self._by_status: dict[int, Response | None] = {}
        # An operation without responses (allowed in 3.1) promises nothing to check.
        self._validate = validate and bool(op.responses)
        self._validators: dict[str, Validator] = {}
        if self._validate:
            for r in op.responses:
                if r.schema:
                    self._validators[r.status.upper()] = schemas.validator(r.schema, RESPONSE)
        default = self.lookup(op.default_status)
        self._default = default
        # A bare None from a handler whose default response has content but a 204 is documented.
        self._empty_default = (
            default is not None and bool(default.media_types) and "204" in self._responses
        )
        # A bare None where the default response documents a body its schema does not let be
        # `null`: a handler bug, reported, never served as `200 null`.
        self._none_refused = (
            default is not None
            and bool(default.schema)
            and not self._empty_default
            and not schemas.validator(default.schema or "", RESPONSE).is_valid(None)
        )

    def lookup(self, status: int) -> Response | None:
        """The documented response for a status: exact, then `4XX`-style, then `default`."""
        try:
            return self._by_status[status]
        except KeyError:
            pass
        r = self._responses
        found = r.get(str(status)) or r.get(f"{status // 100}XX") or r.get("DEFAULT")
        self._by_status[status] = found
        return found

    def render(self, result: Any) -> Raw:
        headers: Mapping[str, str]
        if type(result) is Reply:
            status, body, headers, media = (
                result.status,
                result.body,
                result.headers,
                result.media_type,
            )
            response = self.lookup(status)
        else:
            status, body, headers, media = self._op.default_status, result, {}, None
            response = self._default
            if body is None and self._empty_default:
                status, response = 204, self.lookup(204)
            elif body is None and self._none_refused:
                _log.error(
                    "operation %s: the handler returned None, but its %s response documents "
                    "a body; return the body, or a Reply with another status",
                    self._op.id,
                    status,
                )
                raise HTTPProblem(
                    500, detail="the server produced a response its API does not allow"
                )
        if (
            body is None
            and media is None
            and (status in _NO_BODY or response is None or not response.media_types)
        ):
            payload = b""
            raw_headers = []
        else:
            if media is None:
                media = self._media.get(response.status) if response else None
                media = media or "application/json"
            content_type = self._content_types.get(media)
            if content_type is None:
                content_type = _content_type(media)
                if len(self._content_types) < 64:
                    self._content_types[media] = content_type
            payload = encode(body, media)
            raw_headers = [(b"content-type", content_type)]
        for name, value in headers.items():
            raw_headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
        if self._validate:
            self._check(status, response, headers, media, payload)
        return status, raw_headers, payload

    def check_problem(self, problem: HTTPProblem) -> None:
        """With validate_responses, a handler's problem must have a documented status."""
        if self._validate and self.lookup(problem.status) is None:
            self._violation(problem.status, "the status is not documented")

    def _check(
        self,
        status: int,
        response: Response | None,
        headers: Mapping[str, str],
        media: str | None,
        payload: bytes,
    ) -> None:
        if response is None:
            self._violation(status, "the status is not documented")
            return
        present = {name.lower() for name in headers}
        missing = [h for h in response.headers if h.lower() not in present]
        if missing:
            self._violation(status, f"required header {missing[0]!r} is missing")
        if not payload:
            if response.media_types and status not in _NO_BODY and response.schema:
                self._violation(status, "the body is empty but the response documents content")
            return
        if not response.media_types:
            self._violation(status, "the response documents no body")
        kind = essence(media or "")
        if not any(
            essence(m) == kind or m == "*/*" or (m.endswith("/*") and kind.startswith(m[:-1]))
            for m in response.media_types
        ):
            self._violation(status, f"media type {kind!r} is not documented")
        validator = self._validators.get(response.status.upper())
        if validator is None or not is_json(kind):
            return
        try:
            value = loads(payload)  # exact: integers beyond 64 bits stay integers
        except orjson.JSONDecodeError:
            self._violation(status, "the body is not valid JSON")
        if not validator.is_valid(value):
            pointer, message = errors_of(validator, value, limit=1)[0]
            self._violation(status, f"body at {pointer or '/'}: {message}")

    def _violation(self, status: int, what: str) -> None:
        _log.error("contract violation: operation %s answered %s: %s", self._op.id, status, what)
        raise HTTPProblem(500, detail="the server produced a response its API does not allow")
