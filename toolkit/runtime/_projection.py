"""Problem → documented error schema: a problem document (RFC 9457 members plus `request_id`
and `errors`) projected onto the JSON Schema an operation documents for an error, for APIs
whose errors look like `{code, message}` or `{error: {code, message}}` rather than RFC 9457.

Each schema compiles once into projector closures: a property whose name is well known
(message, detail, error, code, status, title, errors, requestId, ...) takes the matching
problem member, coerced to the property's type; a required property nothing fills takes the
schema's `example`/`default`/`enum`/`const` or a minimal value of its type. The caller
validates the result (jsonschema-rs) and falls back when it does not fit.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

ABSENT: Any = object()
Source = Mapping[str, Any]  # a problem document, or one of its `errors` items merged into it
Project = Callable[[Source], Any]
Resolve = Callable[[Any], Any]  # a schema node with its `$ref` followed
_DEPTH = 8

# Normalized property name (lower case, no `_`/`-`) → what it takes from the problem.
_MESSAGE = ("message", "detail", "title")
_KNOWN: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "message",
            "details",
            "description",
            "errordescription",
            "errormessage",
            "msg",
            "reason",
            "text",
            "summary",
        ),
        _MESSAGE,
    ),
    "detail": ("detail", "title"),
    **dict.fromkeys(("title", "error", "errortitle"), ("title",)),
    **dict.fromkeys(
        ("status", "statuscode", "httpstatus", "httpstatuscode", "httpcode"), ("status",)
    ),
    **dict.fromkeys(("code", "errorcode"), ("code",)),
    **dict.fromkeys(("errortype", "category", "kind", "subcategory"), ("category",)),
    "type": ("type",),
    "instance": ("instance",),
    "uri": ("instance",),
    "path": ("pointer", "instance"),
    **dict.fromkeys(
        ("pointer", "field", "param", "parameter", "property", "location", "in", "name"),
        ("pointer",),
    ),
    **dict.fromkeys(
        ("requestid", "correlationid", "traceid", "errorid", "id", "reference"), ("request_id",)
    ),
    **dict.fromkeys(("timestamp", "time", "occurredat", "date"), ("now",)),
}
_LISTS = frozenset(
    {
        "errors",
        "invalidfields",
        "details",
        "fielderrors",
        "violations",
        "validationerrors",
        "causes",
    }
)
_NESTED = frozenset({"error", "problem", "fault"})
_FORMATS = {
    "date-time": "1970-01-01T00:00:00Z",
    "date": "1970-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "email": "user@example.com",
    "uri": "about:blank",
    "uri-reference": "about:blank",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")


def kind(schema: Any) -> str:
    """The schema's type (the first non-null one), or what its keywords imply."""
    if not isinstance(schema, Mapping):
        return ""
    found = schema.get("type")
    if isinstance(found, list):
        found = next((k for k in found if k != "null"), "")
    if isinstance(found, str) and found:
        return found
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return ""


def source_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The projection's source: the problem document plus derived members."""
    title = str(document.get("title", ""))
    errors = document.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else None
    source = dict(document)
    source["message"] = str(document.get("detail", title))
    said = [
        f"{e.get('pointer') or '/'} {e.get('detail', '')}".strip()
        for e in (errors if isinstance(errors, list) else ())[:3]
        if isinstance(e, Mapping) and e.get("detail") != source["message"]
    ]
    if said:  # an envelope without a list of errors still says which fields were wrong
        source["message"] += ": " + "; ".join(said)
    source["code"] = str(document.get("status", ""))
    source["category"] = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").upper()
    if isinstance(first, Mapping) and "pointer" in first:
        source["pointer"] = first["pointer"]
    return source


def _items_of(source: Source) -> list[Source]:
    """One source per `errors` item (its pointer and detail over the problem's); the problem
    itself when it has none."""
    errors = source.get("errors")
    if not isinstance(errors, list) or not errors:
        return [source]
    return [_item(source, e) for e in errors if isinstance(e, Mapping)]


def _item(source: Source, error: Mapping[str, Any]) -> dict[str, Any]:
    return {**source, **error, "message": error.get("detail", source.get("message"))}


def _merged(schema: Mapping[str, Any], resolve: Resolve) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names, with `allOf` members merged in."""
    props: dict[str, Any] = {}
    required: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        found = node.get("properties")
        if isinstance(found, Mapping):
            for name, sub in found.items():
                props.setdefault(str(name), sub)
        names = node.get("required")
        if isinstance(names, list):
            required.update(str(n) for n in names)
        for member in node.get("allOf") or ():
            member = resolve(member)
            if isinstance(member, Mapping):
                stack.append(member)
    return props, required


def minimal(schema: Any, resolve: Resolve, depth: int = 0) -> Any:
    """A value the schema documents (`const`, `example`, `examples`, `default`, `enum`) or the
    smallest one of its type; ABSENT when none can be guessed."""
    schema = resolve(schema)
    if schema is True or schema == {}:
        return ""  # any value will do
    if not isinstance(schema, Mapping) or depth > _DEPTH:
        return ABSENT
    if "const" in schema:
        return schema["const"]
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return minimal(branches[0], resolve, depth + 1)
    return _minimal_of_type(schema, resolve, depth)


def _minimal_of_type(schema: Mapping[str, Any], resolve: Resolve, depth: int) -> Any:
    found = kind(schema)
    if found == "string":
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS:
            return _FORMATS[fmt]
        length = schema.get("minLength")
        return "x" * length if isinstance(length, int) and length > 0 else ""
    if found in ("integer", "number"):
        return _minimal_number(schema, found == "integer")
    if found == "boolean":
        return False
    if found == "null":
        return None
    if found == "array":
        count = schema.get("minItems")
        if not isinstance(count, int) or count <= 0:
            return []
        item = minimal(schema.get("items", {}), resolve, depth + 1)
        return ABSENT if item is ABSENT else [item] * count
    if found == "object":
        props, required = _merged(schema, resolve)
        out: dict[str, Any] = {}
        for name in sorted(required):
            value = minimal(props.get(name, {}), resolve, depth + 1)
            if value is ABSENT:
                return ABSENT
            out[name] = value
        return out
    return ABSENT


def _minimal_number(schema: Mapping[str, Any], integer: bool) -> int | float:
    def number(key: str) -> float | None:
        value = schema.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return None

    low, high = number("minimum"), number("maximum")
    above = number("exclusiveMinimum")  # 2020-12: a number; Draft 4: a flag on `minimum`
    if above is not None:
        value = above + 1
    elif low is not None:
        value = low + (1 if schema.get("exclusiveMinimum") is True else 0)
    elif high is not None and high < 0:
        value = high - (1 if schema.get("exclusiveMaximum") is True else 0)
    else:
        return 0
    return math.ceil(value) if integer else value


def coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` as the scalar the schema wants (ABSENT when it cannot be)."""
    found = kind(schema)
    result: Any = ABSENT
    if found in ("string", ""):
        if isinstance(value, str):
            result = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            result = str(value)
        if isinstance(result, str):
            result = _string(result, schema)
    elif found == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            result = value
        elif isinstance(value, str) and value.isdigit():
            result = int(value)
    elif found == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        result = value
    enum = schema.get("enum")
    if result is not ABSENT and isinstance(enum, list) and result not in enum:
        return ABSENT
    return result


def _string(text: str, schema: Mapping[str, Any]) -> Any:
    fmt = schema.get("format")
    if fmt == "uuid":
        try:
            text = str(uuid.UUID(text))
        except ValueError:
            return ABSENT
    elif isinstance(fmt, str) and fmt in _FORMATS and fmt not in ("uri-reference",):
        return ABSENT  # a detail is no date, email or URI
    limit = schema.get("maxLength")
    if isinstance(limit, int) and len(text) > limit:
        text = text[:limit]
    low = schema.get("minLength")
    if isinstance(low, int) and len(text) < low:
        return ABSENT
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, text) is None:
                return ABSENT
        except re.error:
            return ABSENT
    return text


def _now(schema: Mapping[str, Any]) -> Any:
    moment = datetime.now(UTC)
    if kind(schema) in ("integer", "number"):
        return int(moment.timestamp())
    if schema.get("format") == "date":
        return moment.date().isoformat()
    return moment.isoformat().replace("+00:00", "Z")


def projectors(schema: Any, resolve: Resolve, depth: int = 0) -> list[Project]:
    """The ways to project a problem onto `schema`, most faithful first (one per branch of a
    `oneOf`/`anyOf`)."""
    schema = resolve(schema)
    if not isinstance(schema, Mapping) or depth > _DEPTH:
        return []
    found: list[Project] = []
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            found.extend(projectors(branch, resolve, depth + 1))
    shape = kind(schema)
    if shape == "object" or (shape == "" and "allOf" in schema):
        found.insert(0, _object(schema, resolve, depth))
    elif shape == "array":
        items = projectors(schema.get("items", {}), resolve, depth + 1)
        if items:
            item = items[0]
            found.insert(0, lambda source: [item(s) for s in _items_of(source)])
    elif shape in ("string", "integer", "number"):
        found.insert(0, _scalar(("detail", "title") if shape == "string" else ("status",), schema))
    return found


def _scalar(keys: tuple[str, ...], schema: Mapping[str, Any]) -> Project:
    return _first(keys, schema, minimal(schema, lambda node: node))


def _first(keys: tuple[str, ...], schema: Mapping[str, Any], fallback: Any) -> Project:
    """The first of the problem's `keys` that the schema's scalar type can hold, else
    `fallback`."""

    def project(source: Source) -> Any:
        for key in keys:
            value = source.get(key, ABSENT)
            if value is not ABSENT and value is not None:
                value = coerce(value, schema)
                if value is not ABSENT:
                    return value
        return fallback

    return project


_Field = tuple[str, Project | None, Any]  # name, how to fill it, the required fallback


def _object(schema: Mapping[str, Any], resolve: Resolve, depth: int) -> Project:
    props, required = _merged(schema, resolve)
    props.update((name, {}) for name in sorted(required) if name not in props)
    fields: list[_Field] = []
    for name, raw in props.items():
        sub = resolve(raw)
        sub = sub if isinstance(sub, Mapping) else {}
        fallback = minimal(sub, resolve, depth + 1) if name in required else ABSENT
        fields.append((name, _field(_norm(name), sub, resolve, depth), fallback))

    def project(source: Source) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, fill, fallback in fields:
            value = fill(source) if fill is not None else ABSENT
            if value is ABSENT:
                value = fallback
            if value is not ABSENT:
                out[name] = value
        return out

    return project


def _field(key: str, schema: Mapping[str, Any], resolve: Resolve, depth: int) -> Project | None:
    shape = kind(schema)
    if shape == "object" and key in _NESTED:
        return _object(schema, resolve, depth + 1)
    if shape == "array" and key in _LISTS:
        items = projectors(schema.get("items", {}), resolve, depth + 1)
        if not items:
            return None
        item = items[0]

        def many(source: Source) -> Any:
            errors = source.get("errors")
            if not isinstance(errors, list) or not errors:
                return ABSENT
            return [item(_item(source, e)) for e in errors if isinstance(e, Mapping)]

        return many
    keys = _KNOWN.get(key)
    if keys is None or shape in ("object", "array", "boolean", "null"):
        return None
    if keys == ("now",):
        return lambda source: _now(schema)
    return _first(keys, schema, ABSENT)
