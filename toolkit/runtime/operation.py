"""What a generated `app.py` declares about each operation; the runtime does the rest.

Generated code holds no schemas, only JSON pointers into the source document it ships
(`openapi.json`), so nothing from the spec is ever pasted into Python source (no
injection), and the served `/openapi.json` is the source document itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import Location, ToolkitError

ParamLocation = Literal["path", "query", "header", "cookie"]
# One alternative of a security requirement: (scheme name, required scopes) pairs, all needed.
Requirement = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Param:
    name: str  # as written in the spec
    arg: str  # the handler's keyword argument
    location: ParamLocation
    required: bool
    schema: str | None  # JSON pointer (into the shipped document) of the parameter's schema
    style: str = ""  # "" = the location's default (simple for path/header, form for query/cookie)
    explode: bool | None = None  # None = the style's default
    # Set when the parameter is described by `content` instead of `schema`: the raw value is
    # parsed as this media type (JSON) before validation. None = style serialization.
    media_type: str | None = None
    # The Python type the handler receives when the validated JSON value is not already it
    # (`datetime`, `date`, `UUID`, lists of them): converted by pydantic after validation.
    # None = the value as validated (str, int, float, bool, list, dict).
    convert: Any = None


@dataclass(frozen=True, slots=True)
class Body:
    arg: str
    required: bool
    media_types: tuple[str, ...]  # accepted Content-Types (may hold wildcards like "image/*")
    schema: str | None  # pointer of the JSON schema (for JSON media types)
    model: Any = None  # the pydantic type the handler receives (None: the parsed JSON value)


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "4XX" or "default"
    media_types: tuple[str, ...] = ()
    schema: str | None = None  # pointer of the JSON schema of the JSON media type
    headers: tuple[str, ...] = ()  # names of headers the spec marks required


@dataclass(frozen=True, slots=True)
class Operation:
    id: str  # operationId (or the derived one)
    method: str  # upper case
    path: str  # the path template, as written
    handler: str  # the service's method name
    params: tuple[Param, ...] = ()
    body: Body | None = None
    responses: tuple[Response, ...] = ()
    # None: no security; otherwise alternatives (any one must be satisfied); () = public
    security: tuple[Requirement, ...] | None = None
    default_status: int = 200  # status used when the handler returns a bare value
    tags: tuple[str, ...] = field(default=())


class OperationError(ToolkitError):
    """`build_app` cannot serve an operation: a pointer that leads nowhere, a schema that does
    not compile, a handler the service lacks, an unknown security scheme. Raised at startup,
    never per request; `location.pointer` is the JSON pointer into the document at fault."""

    @classmethod
    def at(cls, pointer: str, message: str, hint: str = "") -> OperationError:
        return cls(message, location=Location("openapi.json", pointer=pointer), hint=hint)
