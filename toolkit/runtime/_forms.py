"""Form bodies → the object their schema describes, ready for the same jsonschema-rs validation
JSON bodies get.

* application/x-www-form-urlencoded: `parse_qsl` (strict, blank values kept), then each
  property is decoded exactly as a query parameter of that schema would be (`_params`'
  extractor: `style`/`explode` from the media type's `encoding`, `form` + explode by
  default; `contentType: application/json` parses the field as JSON).
* multipart/form-data: each part by the property it names (OpenAPI's defaults): a binary
  string (`format: binary`, a 3.1 `contentMediaType`, or an `encoding.contentType` that is
  neither text nor JSON) becomes an `UploadedFile`; an object, or an array of objects, is
  JSON; a primitive is text coerced by its type like a query value; an array collects its
  repeated parts (a non-array property sent in several parts is refused, not truncated).
  A binary property needs a file part (a filename, or a non-text
  Content-Type), as FastAPI's UploadFile does: a text field there is a 422.
  `style`/`explode` do not apply to multipart (OpenAPI 3.0).

Fields the schema does not name are kept (as text, or lists when repeated), so
`additionalProperties: false` still sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson

from toolkit.pointer import escape

from ._media import essence, is_json
from ._multipart import MAX_PARTS, Part, UploadedFile, parse_multipart
from ._params import ABSENT, Coerce, coercer, extractor
from .operation import Param
from .problem import HTTPProblem

Resolve = Callable[[Any], Any]
Errors = list[tuple[str, str]]  # (JSON pointer into the body, message)
_NOT_A_FILE = "a file is expected here (a part with a filename), not a text field"
_EMPTY: Mapping[str, Any] = {}
_COMPOSED = ("allOf", "anyOf", "oneOf")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


def _types(schema: Any) -> set[str]:
    kind = _mapping(schema).get("type")
    if isinstance(kind, str):
        return {kind}
    return {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def properties(schema: Any, resolve: Resolve, depth: int = 0) -> dict[str, Any]:
    """The named properties of a form schema, `$ref`s followed, merged through
    allOf/anyOf/oneOf (the first definition of a name wins)."""
    schema = _mapping(resolve(schema))
    found = {name: resolve(value) for name, value in _mapping(schema.get("properties")).items()}
    if depth < 8:
        for key in _COMPOSED:
            branches = schema.get(key)
            for branch in branches if isinstance(branches, list) else ():
                for name, value in properties(branch, resolve, depth + 1).items():
                    found.setdefault(name, value)
    return found


def _extra(schema: Any, resolve: Resolve) -> Coerce:
    """How to read a field the schema does not name: by `additionalProperties` when typed."""
    return coercer(resolve(_mapping(resolve(schema)).get("additionalProperties")))


def _content_type(encoding: Mapping[str, Any], name: str) -> str | None:
    value = _mapping(encoding.get(name)).get("contentType")
    return essence(value.split(",")[0]) if isinstance(value, str) and value.strip() else None


def _json_or_text(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text  # fails validation unless a string is allowed


def _spreads(schema: Any, style: str, explode: bool | None) -> bool:
    """An exploded form-style object: its members are top-level fields of the form."""
    return "object" in _types(schema) and style in ("", "form") and explode is not False


def _bad(detail: str) -> HTTPProblem:
    return HTTPProblem(400, detail=detail)


class UrlencodedForm:
    """application/x-www-form-urlencoded → dict, each field decoded like a query parameter."""

    __slots__ = ("_claimed", "_extra", "_fields", "_prefixes")

    def __init__(self, schema: Any, encoding: Mapping[str, Any], resolve: Resolve) -> None:
        self._fields: list[tuple[str, Callable[[Any], Any]]] = []
        props = properties(schema, resolve)
        self._claimed: set[str] = set(props)
        prefixes: list[str] = []
        for name, prop in props.items():
            enc = _mapping(encoding.get(name))
            style = str(enc.get("style") or "")
            explode = enc.get("explode") if isinstance(enc.get("explode"), bool) else None
            media = _content_type(encoding, name)
            param = Param(
                name=name,
                arg=name,
                location="query",
                required=False,
                schema=None,
                style=style,
                explode=explode,
                media_type=media if media is not None and is_json(media) else None,
            )
            self._fields.append((name, extractor(param, prop, resolve)))
            if param.media_type is None and style == "deepObject":
                prefixes.append(name + "[")
            elif param.media_type is None and _spreads(prop, style, explode):
                self._claimed.update(properties(prop, resolve))
        self._prefixes = tuple(prefixes)
        self._extra = _extra(schema, resolve)

    def __call__(self, raw: bytes) -> dict[str, Any]:
        try:
            pairs = parse_qsl(
                raw.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=True,
                errors="strict",
                max_num_fields=MAX_PARTS,
            )
        except ValueError as error:  # UnicodeDecodeError is one too
            raise _bad(f"the form body is not valid x-www-form-urlencoded: {error}") from None
        fields: dict[str, list[str]] = {}
        for name, value in pairs:
            fields.setdefault(name, []).append(value)
        sources = (_EMPTY, fields, _EMPTY, _EMPTY)
        out: dict[str, Any] = {}
        for name, extract in self._fields:
            value = extract(sources)
            if value is not ABSENT:
                out[name] = value
        extra = self._extra
        for name, values in fields.items():
            if name in self._claimed or name in out or name.startswith(self._prefixes):
                continue
            out[name] = extra(values[0]) if len(values) == 1 else [extra(v) for v in values]
        return out


@dataclass(frozen=True, slots=True)
class _Field:
    array: bool
    binary: bool  # the part (each part, for arrays) is a file
    json: bool  # the part is JSON by the schema or the encoding
    text_only: bool  # a plain string: a JSON part Content-Type does not make it JSON
    coerce: Coerce


def _is_binary(schema: Any, content_type: str | None) -> bool:
    if content_type is not None:
        return not (content_type.startswith("text/") or is_json(content_type))
    schema = _mapping(schema)
    if _types(schema) - {"string"}:
        return False
    if schema.get("format") == "binary":
        return True
    return "contentMediaType" in schema and "contentEncoding" not in schema


def _is_structured(schema: Any) -> bool:
    schema = _mapping(schema)
    kinds = _types(schema)
    if kinds:
        return bool(kinds & {"object", "array"})
    return any(k in schema for k in ("properties", "additionalProperties", "items"))


def _field(prop: Any, content_type: str | None, resolve: Resolve) -> _Field:
    array = _types(prop) == {"array"} or (not _types(prop) and "items" in _mapping(prop))
    one = resolve(_mapping(prop).get("items")) if array else prop
    binary = _is_binary(one, content_type)
    json = is_json(content_type) if content_type is not None else _is_structured(one)
    text_only = not json and _types(one) == {"string"}
    return _Field(array, binary, json, text_only, coercer(one))


class MultipartForm:
    """multipart/form-data → (the handler's dict, the instance to validate). Files are
    `UploadedFile` for the handler and their bytes as latin-1 text for the validator (one
    character per byte, so `maxLength` counts bytes)."""

    __slots__ = ("_extra", "_fields")

    def __init__(self, schema: Any, encoding: Mapping[str, Any], resolve: Resolve) -> None:
        self._fields = {
            name: _field(prop, _content_type(encoding, name), resolve)
            for name, prop in properties(schema, resolve).items()
        }
        self._extra = _extra(schema, resolve)

    @property
    def has_files(self) -> bool:
        return any(f.binary for f in self._fields.values())

    def __call__(self, raw: bytes, content_type: str) -> tuple[dict[str, Any], Any, Errors]:
        """(the handler's dict, the instance to validate, errors found while decoding: a
        binary property sent as a text field rather than a file part)."""
        grouped: dict[str, list[Part]] = {}
        for part in parse_multipart(raw, content_type):
            grouped.setdefault(part.name, []).append(part)
        value: dict[str, Any] = {}
        errors: Errors = []
        for name, parts in grouped.items():
            field = self._fields.get(name)
            if field is None:
                items = [self._unnamed(p) for p in parts]
                value[name] = items[0] if len(items) == 1 else items
                continue
            if field.binary:
                where = "/" + escape(name)
                errors.extend(
                    (f"{where}/{i}" if field.array else where, _NOT_A_FILE)
                    for i, p in enumerate(parts[: None if field.array else 1])
                    if not _is_file(p)
                )
            items = [self._decode(field, p) for p in parts]
            if not field.array:
                # repeated parts for one value: all of them, so validation refuses them
                # (taking the first would drop the others silently)
                value[name] = items[0] if len(items) == 1 else items
            elif len(items) == 1 and isinstance(items[0], list) and not field.binary:
                value[name] = items[0]  # the whole array sent as one JSON part
            else:
                value[name] = items
        return value, {name: _instance(v) for name, v in value.items()}, errors

    def _decode(self, field: _Field, part: Part) -> Any:
        if field.binary:
            return _upload(part)  # a text field here is reported by the caller
        text = _text(part)
        if field.json or (part.content_type and is_json(part.content_type) and not field.text_only):
            return _json_or_text(text)
        return field.coerce(text)

    def _unnamed(self, part: Part) -> Any:
        kind = part.content_type
        if _is_file(part):
            if kind is not None and is_json(kind) and part.filename is None:
                return _json_or_text(_text(part))
            return _upload(part)
        return self._extra(_text(part))


def _is_file(part: Part) -> bool:
    """A file part has a filename or a Content-Type other than text (RFC 7578: a part
    without one is text/plain, a form field)."""
    kind = part.content_type
    return part.filename is not None or (kind is not None and not kind.startswith("text/"))


def _upload(part: Part) -> UploadedFile:
    return UploadedFile(part.filename, part.content_type or "application/octet-stream", part.data)


def _text(part: Part) -> str:
    charset = part.charset or "utf-8"
    try:
        return part.data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise _bad(f"the multipart part {part.name!r} is not valid {charset} text") from None


def _instance(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return value.data.decode("latin-1")
    if isinstance(value, list):
        return [_instance(v) for v in value]
    return value
