"""How an RFC 9457 problem is written in an error schema that is not one, decided when the
code is generated (ADR 0014): for APIs whose errors look like `{code, message}` or
`{error: {code, message}}`.

Each JSON error schema an operation documents (found through its `$ref`s, so one entry per
component) gets a *mapping*: data saying which problem member fills each property. A
property whose name is well known (message, detail, code, status, errors, requestId, ...)
takes the matching member, coerced to the property's type; a required property nothing
fills takes the schema's `const`/`example`/`default`/`enum` or a minimal value of its type.
Every such mapping is a guess, so each is reported (with the schema's location) until the
user confirms or overrides it in `[tool.ctk.generate] error-mappings`. The runtime applies
the mapping (`toolkit.runtime._projection`); it guesses nothing.

Mapping grammar (JSON values, written into app.py):
  plan   = {"object": {name: field}} | {"each": plan} | {"from": [member], "as": S, "else": v}
  field  = plan (+ "else") | {"errors": plan} | {"now": "date-time" | "date" | "unix"}
         | {"else": v}     (a constant)
where S is the part of the property's schema that coercion reads (type, enum, format,
lengths, pattern) and "else" is the value used when the members give nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit import pointer as jp
from toolkit.model.build import METHODS, is_json, mapping

Plan = dict[str, Any]
Resolve = Callable[[Any], Any]
_DEPTH = 8
_ABSENT: Any = object()

# Problem members a mapping may name (`message`, `code`, `category`, `pointer` are derived
# from the problem: see `toolkit.runtime._projection.source_of`), and `now`.
MEMBERS = frozenset(
    {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "request_id",
        "message",
        "code",
        "category",
        "pointer",
        "now",
    }
)
# Normalized property name (lower case, no `_`/`-`) → the members that fill it, in order.
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
_COERCION_KEYS = ("enum", "format", "maxLength", "minLength", "pattern")
FORMAT_EXAMPLES = {
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


@dataclass(frozen=True, slots=True)
class ErrorMapping:
    """The plans for one error schema (alternatives, most faithful first) and, for the
    report, what fills each top-level property."""

    pointer: str  # where the schema is (its `$ref`s followed)
    plans: tuple[Plan, ...]
    sources: dict[str, str] = field(default_factory=dict)  # property → "detail", "= 0", ...


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


def error_schemas(document: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(operation label, schema pointer with `$ref`s followed, schema) for every JSON error
    schema each operation documents, in document order (a shared schema once per use)."""
    for path, raw_item in mapping(document.get("paths")).items():
        item_value, item_at = jp.follow(document, raw_item, jp.join("/paths", path))
        item = mapping(item_value)
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            for status, raw in mapping(op.get("responses")).items():
                code = str(status).upper()
                if not (code[:1] in ("4", "5") or code == "DEFAULT"):
                    continue
                # a shared response (`components/responses`): named where it is written, as
                # the runtime finds it by the followed pointer
                at = jp.join(item_at, method, "responses", str(status))
                response_value, at = jp.follow(document, raw, at)
                response = mapping(response_value)
                for media, entry in mapping(response.get("content")).items():
                    essence = str(media).split(";", 1)[0].strip().lower()
                    if essence == "application/problem+json" or not is_json(essence):
                        continue
                    if not isinstance(entry, Mapping) or "schema" not in entry:
                        continue
                    schema, pointer = jp.follow(document, entry["schema"], "")
                    if pointer == "":  # inline: name it by where it is written
                        pointer = jp.join(at, "content", str(media), "schema")
                    if isinstance(schema, Mapping):
                        yield f"{method.upper()} {path}", pointer, schema


def plan_mapping(document: Mapping[str, Any], pointer: str, schema: Any) -> ErrorMapping:
    """The mapping of a problem onto `schema` (at `pointer`)."""

    def resolve(node: Any) -> Any:
        return jp.deref(document, node)

    plans = tuple(_plans(schema, resolve, 0))
    sources: dict[str, str] = {}
    top = next((p for p in plans if "object" in p), None)
    for name, spec in (top or {}).get("object", {}).items():
        sources[name] = describe(spec)
    return ErrorMapping(pointer, plans, sources)


def describe(spec: Mapping[str, Any]) -> str:
    """What fills a field, in a few words: `detail`, `errors[]`, `= 0`."""
    if "from" in spec:
        return " or ".join(spec["from"])
    if "now" in spec:
        return "now"
    if "errors" in spec:
        return "errors[]"
    if "object" in spec:
        return "{" + ", ".join(f"{k}: {describe(v)}" for k, v in spec["object"].items()) + "}"
    if "else" in spec:
        return f"= {spec['else']!r}"
    return "nothing"


def coercion(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a scalar schema the runtime's coercion reads."""
    out: dict[str, Any] = {"type": kind(schema)} if kind(schema) else {}
    out.update((key, schema[key]) for key in _COERCION_KEYS if key in schema)
    return out


def _plans(schema: Any, resolve: Resolve, depth: int) -> list[Plan]:
    schema = resolve(schema)
    if not isinstance(schema, Mapping) or depth > _DEPTH:
        return []
    found: list[Plan] = []
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or ():
            found.extend(_plans(branch, resolve, depth + 1))
    shape = kind(schema)
    if shape == "object" or (shape == "" and "allOf" in schema):
        found.insert(0, _object(schema, resolve, depth))
    elif shape == "array":
        items = _plans(schema.get("items", {}), resolve, depth + 1)
        if items:
            found.insert(0, {"each": items[0]})
    elif shape in ("string", "integer", "number"):
        members = ["detail", "title"] if shape == "string" else ["status"]
        plan: Plan = {"from": members, "as": coercion(schema)}
        fallback = minimal(schema, lambda node: node)
        if fallback is not _ABSENT:
            plan["else"] = fallback
        found.insert(0, plan)
    return found


def _object(schema: Mapping[str, Any], resolve: Resolve, depth: int) -> Plan:
    props, required = merged(schema, resolve)
    props.update((name, {}) for name in sorted(required) if name not in props)
    fields: dict[str, Any] = {}
    for name, raw in props.items():
        sub = resolve(raw)
        sub = sub if isinstance(sub, Mapping) else {}
        spec = _field(_norm(name), sub, resolve, depth)
        if name in required:
            fallback = minimal(sub, resolve, depth + 1)
            if fallback is not _ABSENT and "now" not in spec:
                spec["else"] = fallback
        if spec:
            fields[name] = spec
    return {"object": fields}


def _field(key: str, schema: Mapping[str, Any], resolve: Resolve, depth: int) -> dict[str, Any]:
    shape = kind(schema)
    if shape == "object" and key in _NESTED:
        return _object(schema, resolve, depth + 1)
    if shape == "array" and key in _LISTS:
        items = _plans(schema.get("items", {}), resolve, depth + 1)
        return {"errors": items[0]} if items else {}
    members = _KNOWN.get(key)
    if members is None or shape in ("object", "array", "boolean", "null"):
        return {}
    if members == ("now",):
        if shape in ("integer", "number"):
            return {"now": "unix"}
        return {"now": "date" if schema.get("format") == "date" else "date-time"}
    return {"from": list(members), "as": coercion(schema)}


def merged(schema: Mapping[str, Any], resolve: Resolve) -> tuple[dict[str, Any], set[str]]:
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
    smallest one of its type; _ABSENT when none can be guessed."""
    schema = resolve(schema)
    if schema is True or schema == {}:
        return ""  # any value will do
    if not isinstance(schema, Mapping) or depth > _DEPTH:
        return _ABSENT
    if "const" in schema:
        return _json(schema["const"])
    for key in ("example", "default"):
        if key in schema:
            return _json(schema[key])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return _json(examples[0])
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return _json(enum[0])
    for key in ("oneOf", "anyOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return minimal(branches[0], resolve, depth + 1)
    return _minimal_of_type(schema, resolve, depth)


def _json(value: Any) -> Any:
    """`value` if it is plain JSON that a Python literal can hold, else _ABSENT (a YAML
    `.inf`, a date object)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _ABSENT
    if isinstance(value, list):
        items = [_json(v) for v in value]
        return _ABSENT if any(v is _ABSENT for v in items) else items
    if isinstance(value, Mapping):
        entries = {str(k): _json(v) for k, v in value.items()}
        return _ABSENT if any(v is _ABSENT for v in entries.values()) else entries
    return _ABSENT


def _minimal_of_type(schema: Mapping[str, Any], resolve: Resolve, depth: int) -> Any:
    found = kind(schema)
    if found == "string":
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_EXAMPLES:
            return FORMAT_EXAMPLES[fmt]
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
        return _ABSENT if item is _ABSENT else [item] * min(count, 100)
    if found == "object":
        props, required = merged(schema, resolve)
        out: dict[str, Any] = {}
        for name in sorted(required):
            value = minimal(props.get(name, {}), resolve, depth + 1)
            if value is _ABSENT:
                return _ABSENT
            out[name] = value
        return out
    return _ABSENT


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
    if not math.isfinite(value):
        return 0
    return math.ceil(value) if integer else value


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")
