"""Non-JSON request bodies: for each media type of an operation's `requestBody` (found in
the document by path and method, since generated code lists only the JSON schema), a plan
that decodes the bytes (`_forms`, `_text`) and the validator of that media type's schema."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.pointer import deref, escape, follow, resolve

from ._forms import Errors, MultipartForm, UrlencodedForm
from ._media import essence, is_json
from ._schemas import Schemas, Validator
from ._text import BinaryBody, admits_string, decode_text
from ._views import REQUEST
from .operation import Body, Operation

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True, slots=True)
class Plan:
    """How one non-JSON media type of a body is decoded: `decode(raw, content_type)` gives
    (the handler's value, the instance to validate, errors found while decoding); binary
    bodies are checked inside."""

    decode: Callable[[bytes, str], tuple[Any, Any, Errors]]
    validator: Validator | None
    model: bool  # build the body's pydantic model (the schema is the JSON media type's)
    empty: bool  # an empty body is a value (`{}`, `""`, `b""`), not a missing body


def _located(document: Any, pointer: str, node: Any) -> tuple[str, Any]:
    """`node` (found at `pointer`) with its internal `$ref`s followed, and where it lives."""
    node, pointer = follow(document, node, pointer)
    return pointer, node


def media_plans(
    schemas: Schemas, body: Body, path: str, method: str, invalid: int, has_model: bool
) -> dict[str, Plan]:
    """The decoding plan of each non-JSON media type of the operation's `requestBody`, found
    in the document by path and method; {} when it is not there (then bodies pass as bytes)."""
    document = schemas.resource
    located = _content(document, path, method)
    if located is None:
        return {}
    pointer, content = located
    json_target = _target(document, body.schema) if body.schema and has_model else None
    plans: dict[str, Plan] = {}
    for key, media in content.items():
        kind = essence(str(key))
        if is_json(kind) or not isinstance(media, Mapping) or kind in plans:
            continue
        where = f"{pointer}/{escape(str(key))}/schema" if "schema" in media else None
        plan = _plan(schemas, kind, where, media.get("encoding"), invalid)
        if plan is not None:
            model = json_target is not None and where is not None
            model = model and plan.model and _target(document, where or "") == json_target
            plans[kind] = dataclasses.replace(plan, model=model)
    return plans


def _content(document: Any, path: str, method: str) -> tuple[str, Mapping[str, Any]] | None:
    """(pointer, object) of the `content` of the operation's `requestBody`, `$ref`s followed."""
    pointer = f"/paths/{escape(path)}"
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
                f"{pointer}/{escape(str(key))}/schema"
                for key, media in content.items()
                if isinstance(media, Mapping)
                and "schema" in media
                and not is_json(essence(str(key)))
            )
    return found


def _plan(
    schemas: Schemas, kind: str, where: str | None, encoding: Any, invalid: int
) -> Plan | None:
    """One media type's plan (`model` says whether it may use the body model); None passes
    the bytes through."""
    schema = schemas.schema(where) if where else None
    encoding = encoding if isinstance(encoding, Mapping) else {}
    resolver = _resolver(schemas.resource)
    if kind == FORM:
        form = UrlencodedForm(schema, encoding, resolver)
        return Plan(_both(form), _validator(schemas, where), True, empty=True)
    if kind == MULTIPART:
        multipart = MultipartForm(schema, encoding, resolver)
        validator = _validator(schemas, where)
        return Plan(multipart, validator, not multipart.has_files, empty=False)
    if kind.startswith("text/"):
        if not admits_string(schema):
            return None  # a text type described as an object: not a string to validate
        return Plan(_text, _validator(schemas, where), False, empty=True)
    if (where and admits_string(schema)) or kind == "application/octet-stream":
        binary = BinaryBody(schema if isinstance(schema, Mapping) else {}, invalid)
        return Plan(_binary(binary), None, False, empty=True)
    return None


def _validator(schemas: Schemas, where: str | None) -> Validator | None:
    return schemas.validator(where, REQUEST) if where else None


def _target(document: Any, pointer: str) -> str:
    """Where the schema at `pointer` really lives (its `$ref`s followed)."""
    try:
        return _located(document, pointer, resolve(document, pointer))[0]
    except LookupError:
        return pointer


def _resolver(document: Any) -> Callable[[Any], Any]:
    return lambda node: deref(document, node)


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
