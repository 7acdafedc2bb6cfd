"""What a generated client declares about each operation, and how a call becomes a request
(OpenAPI's default styles: `simple` path and header values, `form` exploded query values)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter

T = TypeVar("T")
Location = Literal["path", "query", "header", "cookie"]
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


@dataclass(frozen=True, slots=True)
class Param:
    name: str  # as the spec writes it
    arg: str  # the method's keyword argument
    location: Location


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One operation: `result` parses the documented success body (`None` for none)."""

    id: str
    method: str
    path: str
    result: TypeAdapter[T]
    params: tuple[Param, ...] = ()
    body_media: str | None = None  # the Content-Type of the request body
    success: tuple[int, ...] = (200,)  # documented success statuses
    # documented error bodies by status ("404", "4XX", "default")
    errors: Mapping[str, TypeAdapter[Any]] = field(default_factory=dict)
    idempotency_header: str | None = None  # e.g. "Idempotency-Key" when the spec declares one

    @property
    def retry_safe(self) -> bool:
        """May a request be sent twice? Idempotent methods, and any operation whose
        Idempotency-Key lets the server recognise a repeat."""
        return self.method in IDEMPOTENT or self.idempotency_header is not None

    def error_body(self, status: int) -> TypeAdapter[Any] | None:
        errors = self.errors
        return errors.get(str(status)) or errors.get(f"{status // 100}XX") or errors.get("default")


def text(value: Any) -> str:
    """One value as OpenAPI's `simple`/`form` styles write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return text(value.value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return ",".join(text(v) for v in value)
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return ",".join(f"{k},{text(v)}" for k, v in value.items())
    return str(value)


@dataclass
class Request:
    method: str
    url: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    cookies: dict[str, str]
    content: bytes | None


def build(op: Operation[Any], arguments: Mapping[str, Any], body: Any) -> Request:
    """The request for a call: values given as None are left out (an optional parameter)."""
    path = op.path
    params: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for param in op.params:
        value = arguments.get(param.arg)
        if value is None:
            continue
        if param.location == "path":
            path = path.replace("{" + param.name + "}", quote(text(value), safe=""))
        elif param.location == "query":
            values = value if isinstance(value, list | tuple) else [value]
            params.extend((param.name, text(v)) for v in values)
        elif param.location == "header":
            headers[param.name] = text(value)
        else:
            cookies[param.name] = text(value)
    content = None
    if op.body_media is not None and body is not None:
        content = _encode(body, op.body_media)
        headers["Content-Type"] = op.body_media
    return Request(op.method, path, params, headers, cookies, content)


def _encode(body: Any, media: str) -> bytes:
    if isinstance(body, bytes):
        return body
    if isinstance(body, str) and not _is_json(media):
        return body.encode("utf-8")
    if isinstance(body, BaseModel):
        # fields never set stay out: a merge patch sends only what changes, nulls included
        return body.model_dump_json(by_alias=True, exclude_unset=True).encode("utf-8")
    return TypeAdapter(Any).dump_json(body, by_alias=True)


def _is_json(media: str) -> bool:
    kind = media.split(";", 1)[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")
