"""Problem → documented error schema, by the mapping `ctk generate` decided and wrote into
app.py (`toolkit.model.error_shapes`, ADR 0014): the runtime applies it and guesses nothing.

A mapping is data: which problem member (RFC 9457 members plus `request_id`, `errors` and a
few derived ones: see `source_of`) fills each property, coerced to the property's type, and
the constant a required property takes when nothing fills it. Each plan compiles once into a
closure; the caller validates the result (jsonschema-rs) and falls back when it does not fit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

ABSENT: Any = object()
Source = Mapping[str, Any]  # a problem document, or one of its `errors` items merged into it
Project = Callable[[Source], Any]
# formats a problem's detail can never be (it is no date, email or URI)
_FORMATS = frozenset(
    {"date-time", "date", "time", "uuid", "email", "uri", "hostname", "ipv4", "ipv6"}
)


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


def coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """`value` as the scalar the schema wants (ABSENT when it cannot be)."""
    found = str(schema.get("type") or "")  # written by generate: the type, resolved
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
    elif isinstance(fmt, str) and fmt in _FORMATS:
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


def _now(form: str) -> Any:
    moment = datetime.now(UTC)
    if form == "unix":
        return int(moment.timestamp())
    if form == "date":
        return moment.date().isoformat()
    return moment.isoformat().replace("+00:00", "Z")


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


def compile_plans(plans: Any) -> tuple[Project, ...]:
    """The projections of one error schema's mapping, most faithful first; an unreadable
    plan (a hand-edited app.py) is skipped, never a crash on an error path."""
    found = []
    for plan in plans if isinstance(plans, list | tuple) else ():
        project = _plan(plan)
        if project is not None:
            found.append(project)
    return tuple(found)


def _plan(plan: Any) -> Project | None:
    if not isinstance(plan, Mapping):
        return None
    if "object" in plan:
        return _object(plan["object"])
    if "each" in plan:
        item = _plan(plan["each"])
        if item is None:
            return None
        return lambda source: [item(s) for s in _items_of(source)]
    if "from" in plan:
        return _first(tuple(plan["from"]), plan.get("as") or {}, plan.get("else", ABSENT))
    return None


def _object(fields: Any) -> Project | None:
    if not isinstance(fields, Mapping):
        return None
    compiled = [
        (str(name), _field(spec), spec.get("else", ABSENT))
        for name, spec in fields.items()
        if isinstance(spec, Mapping)
    ]

    def project(source: Source) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, fill, fallback in compiled:
            value = fill(source) if fill is not None else ABSENT
            if value is ABSENT:
                value = fallback
            if value is not ABSENT:
                out[name] = value
        return out

    return project


def _field(spec: Mapping[str, Any]) -> Project | None:
    if "errors" in spec:
        item = _plan(spec["errors"])
        if item is None:
            return None

        def many(source: Source) -> Any:
            errors = source.get("errors")
            if not isinstance(errors, list) or not errors:
                return ABSENT
            return [item(_item(source, e)) for e in errors if isinstance(e, Mapping)]

        return many
    if "now" in spec:
        form = str(spec["now"])
        return lambda source: _now(form)
    if "from" in spec:
        return _first(tuple(spec["from"]), spec.get("as") or {}, ABSENT)
    if "object" in spec:
        return _object(spec["object"])
    return None
