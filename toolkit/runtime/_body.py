"""Request bodies: Content-Type (415), size (413), parsing (400), schema (422), then the
handler's value. JSON is parsed by orjson and built into the handler's pydantic type; forms,
multipart, text and binary bodies are decoded by their media type (`_forms`, `_text`) and
validated against that media type's schema in the document; other media types (XML, ...)
reach the handler as bytes."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import orjson
from pydantic import TypeAdapter, ValidationError

from ._asgi import Receive
from ._forms import Errors, MultipartForm, UrlencodedForm
from ._media import ContentTypes, essence, is_json
from ._params import ABSENT
from ._schemas import Schemas, Validator, errors_of, follow, resolve
from ._text import BinaryBody, admits_string, decode_text
from .operation import Body, Operation
from .problem import HTTPProblem

_log = logging.getLogger("ctk.runtime")
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


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


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one non-JSON media type of a body is decoded: `decode(raw, content_type)` gives
    (the handler's value, the instance to validate, errors found while decoding); binary
    bodies are checked inside."""

    decode: Callable[[bytes, str], tuple[Any, Any, Errors]]
    validator: Validator | None
    model: bool  # build the body's pydantic model (the schema is the JSON media type's)
    empty: bool  # an empty body is a value (`{}`, `""`, `b""`), not a missing body


def _located(document: Any, pointer: str, node: Any) -> tuple[str, Any]:
    """`node` (found at `pointer`) with its internal `$ref`s followed, and where it lives."""
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        pointer = unquote(ref[1:])
        try:
            node = resolve(document, pointer)
        except LookupError:
            return pointer, None
    return pointer, node


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def media_plans(
    schemas: Schemas, body: Body, path: str, method: str, invalid: int, has_model: bool
) -> dict[str, _Plan]:
    """The decoding plan of each non-JSON media type of the operation's `requestBody`, found
    in the document by path and method; {} when it is not there (then bodies pass as bytes)."""
    document = schemas.resource
    located = _content(document, path, method)
    if located is None:
        return {}
    pointer, content = located
    json_target = _target(document, body.schema) if body.schema and has_model else None
    plans: dict[str, _Plan] = {}
    for key, media in content.items():
        kind = essence(str(key))
        if is_json(kind) or not isinstance(media, Mapping) or kind in plans:
            continue
        where = f"{pointer}/{_escape(str(key))}/schema" if "schema" in media else None
        plan = _plan(schemas, kind, where, media.get("encoding"), invalid)
        if plan is not None:
            model = json_target is not None and where is not None
            model = model and plan.model and _target(document, where or "") == json_target
            plans[kind] = dataclasses.replace(plan, model=model)
    return plans


def _content(document: Any, path: str, method: str) -> tuple[str, Mapping[str, Any]] | None:
    """(pointer, object) of the `content` of the operation's `requestBody`, `$ref`s followed."""
    pointer = f"/paths/{_escape(path)}"
    try:
        item = resolve(document, pointer)
    except LookupError:
        return None
    pointer, item = _located(document, pointer, item)
    op = item.get(method.lower()) if isinstance(item, Mapping) else None
    if not isinstance(op, Mapping):
        return None
    pointer = f"{pointer}/{method.lower()}/requestBody"
    pointer, request = _located(document, pointer, op.get("requestBody"))
    content = request.get("content") if isinstance(request, Mapping) else None
    return (f"{pointer}/content", content) if isinstance(content, Mapping) else None


def body_roots(document: Mapping[str, Any], operations: Iterable[Operation]) -> list[str]:
    """Pointers of the non-JSON body schemas, so `Schemas` rewrites 3.0 `nullable` in them
    as it does for the pointers the operations list."""
    found: list[str] = []
    for op in operations:
        located = _content(document, op.path, op.method) if op.body is not None else None
        if located is not None:
            pointer, content = located
            found.extend(
                f"{pointer}/{_escape(str(key))}/schema"
                for key, media in content.items()
                if isinstance(media, Mapping)
                and "schema" in media
                and not is_json(essence(str(key)))
            )
    return found


def _plan(
    schemas: Schemas, kind: str, where: str | None, encoding: Any, invalid: int
) -> _Plan | None:
    """One media type's plan (`model` says whether it may use the body model); None passes
    the bytes through."""
    schema = schemas.schema(where) if where else None
    encoding = encoding if isinstance(encoding, Mapping) else {}
    resolver = _resolver(schemas.resource)
    if kind == FORM:
        form = UrlencodedForm(schema, encoding, resolver)
        return _Plan(_both(form), _validator(schemas, where), True, empty=True)
    if kind == MULTIPART:
        multipart = MultipartForm(schema, encoding, resolver)
        validator = _validator(schemas, where)
        return _Plan(multipart, validator, not multipart.has_files, empty=False)
    if kind.startswith("text/"):
        if not admits_string(schema):
            return None  # a text type described as an object: not a string to validate
        return _Plan(_text, _validator(schemas, where), False, empty=True)
    if (where and admits_string(schema)) or kind == "application/octet-stream":
        binary = BinaryBody(schema if isinstance(schema, Mapping) else {}, invalid)
        return _Plan(_binary(binary), None, False, empty=True)
    return None


def _validator(schemas: Schemas, where: str | None) -> Validator | None:
    return schemas.validator(where) if where else None


def _target(document: Any, pointer: str) -> str:
    """Where the schema at `pointer` really lives (its `$ref`s followed)."""
    try:
        return _located(document, pointer, resolve(document, pointer))[0]
    except LookupError:
        return pointer


def _resolver(document: Any) -> Callable[[Any], Any]:
    return lambda node: follow(document, node)


def _both(decode: Callable[[bytes], Any]) -> Callable[[bytes, str], tuple[Any, Any, Errors]]:
    def run(raw: bytes, content_type: str) -> tuple[Any, Any, Errors]:
        value = decode(raw)
        return value, value, []

    return run


def _text(raw: bytes, content_type: str) -> tuple[str, str, Errors]:
    text = decode_text(raw, content_type)
    return text, text, []


def _binary(check: BinaryBody) -> Callable[[bytes, str], tuple[bytes, None, Errors]]:
    return lambda raw, content_type: (check(raw), None, [])


class BodyReader:
    """The compiled request-body handling of one operation."""

    __slots__ = (
        "_adapter",
        "_invalid",
        "_limit",
        "_plans",
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
        self._validator = schemas.validator(body.schema) if body.schema else None
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
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise HTTPProblem(400, detail=f"the request body is not valid JSON: {error}") from None
        validator = self._validator
        if validator is not None and not validator.is_valid(value):
            raise self._invalid_body(errors_of(validator, value))
        if self._adapter is None:
            return value
        return self._model(self._adapter, value)

    def _plan(self, media: str) -> _Plan | None:
        """The plan of the documented type that covers `media` (exact, then `type/*`, `*/*`)."""
        plans = self._plans
        if not plans:
            return None
        plan = plans.get(media)
        if plan is None:
            plan = plans.get(media.split("/", 1)[0] + "/*") or plans.get("*/*")
        return plan

    def _decoded(self, plan: _Plan, raw: bytes, content_type: str) -> Any:
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
