"""Parameter decoding: OpenAPI styles (form, simple, label, matrix, spaceDelimited,
pipeDelimited, deepObject) and coercion of the strings by the schema's type, prepared once
per parameter so a request only runs the few closures it needs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote_plus

import orjson

from ._json import loads_text
from .operation import OperationError, Param

ABSENT: Any = object()  # the parameter is not in the request
Coerce = Callable[[str], Any]
Sources = tuple[
    Mapping[str, str],  # path
    Mapping[str, list[str]],  # query
    Mapping[str, str],  # headers (lower-case names)
    Mapping[str, str],  # cookies
]
Extract = Callable[[Sources], Any]

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "false": False}


def parse_query(raw: bytes) -> dict[str, list[str]]:
    """`a=1&b=x+y&a=2` → {"a": ["1", "2"], "b": ["x y"]} (blank pairs dropped)."""
    out: dict[str, list[str]] = {}
    if not raw:
        return out
    for pair in raw.decode("latin-1").split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        elif not value.isascii():
            value = value.encode("latin-1").decode("utf-8", "replace")
        out.setdefault(name, []).append(value)
    return out


def parse_cookies(header: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if not header:
        return out
    for chunk in header.split(";"):
        name, sep, value = chunk.partition("=")
        if sep:
            out.setdefault(name.strip(), value.strip().strip('"'))
    return out


def _kind(schema: Any) -> str:
    if not isinstance(schema, Mapping):
        return ""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    return kind if isinstance(kind, str) else ""


def coercer(schema: Any) -> Coerce:
    """str → the schema type's value when the text spells one, else the text itself (which
    then fails validation with a message about the type). `null` is None when the schema
    allows null and the type is not a string (for which it is the text "null")."""
    kind = _kind(schema)
    types = schema.get("type") if kind else None
    if kind in ("integer", "number", "boolean") and isinstance(types, list) and "null" in types:
        base = coercer({"type": kind})
        return lambda s: None if s == "null" else base(s)
    if kind == "integer":
        return lambda s: int(s) if _INTEGER.fullmatch(s) else s
    if kind == "number":  # an integer literal stays exact (2**63 - 1 is no float)
        return lambda s: (
            (int(s) if _INTEGER.fullmatch(s) else float(s)) if _NUMBER.fullmatch(s) else s
        )
    if kind == "boolean":
        return lambda s: _BOOLEANS.get(s, s)
    return str


def _json(text: str) -> Any:
    try:
        return loads_text(text)
    except orjson.JSONDecodeError:
        return text  # fails validation unless a string is allowed


def _pairs(items: list[str], coerce: Mapping[str, Coerce]) -> dict[str, Any] | str:
    """`["a", "1", "b", "2"]` → {"a": 1, "b": 2} (coerced per property)."""
    if len(items) % 2:
        return ",".join(items)
    return {k: coerce.get(k, str)(v) for k, v in zip(items[::2], items[1::2], strict=True)}


def _assigned(items: list[str], coerce: Mapping[str, Coerce]) -> dict[str, Any]:
    """`["a=1", "b=2"]` → {"a": 1, "b": 2}."""
    out: dict[str, Any] = {}
    for item in items:
        key, _, value = item.partition("=")
        out[key] = coerce.get(key, str)(value)
    return out


def extractor(param: Param, schema: Any, resolve: Callable[[Any], Any]) -> Extract:
    """A function from the request's sources to the decoded value (or ABSENT)."""
    where = param.location
    style = param.style or ("simple" if where in ("path", "header") else "form")
    explode = param.explode if param.explode is not None else style == "form"
    name = param.name.lower() if where == "header" else param.name
    kind = _kind(schema)
    items = resolve(schema.get("items")) if isinstance(schema, Mapping) else None
    props = schema.get("properties") if isinstance(schema, Mapping) else None
    prop_coerce = {k: coercer(resolve(v)) for k, v in (props or {}).items()}
    one = coercer(items if kind == "array" else schema)

    if param.media_type is not None:
        return _single(where, name, _json)
    if where == "query":
        if style == "deepObject":
            prefix = name + "["

            def deep(sources: Sources) -> Any:
                found = {
                    k[len(prefix) : -1]: prop_coerce.get(k[len(prefix) : -1], str)(v[0])
                    for k, v in sources[1].items()
                    if k.startswith(prefix) and k.endswith("]")
                }
                return found or ABSENT

            return deep
        if kind == "object" and explode:

            def exploded(sources: Sources) -> Any:
                query = sources[1]
                found = {k: c(query[k][0]) for k, c in prop_coerce.items() if k in query}
                return found or ABSENT

            return exploded
        if kind == "array" and explode:

            def many(sources: Sources) -> Any:
                values = sources[1].get(name)
                return ABSENT if values is None else [one(v) for v in values]

            return many
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return _single(where, name, _split(kind, sep, explode, one, prop_coerce))
    if where in ("path", "header"):
        if style == "label":
            return _single(
                where,
                name,
                _prefixed(".", "." if explode else ",", kind, one, prop_coerce, explode),
            )
        if style == "matrix":
            return _single(where, name, _matrix(param.name, kind, explode, one, prop_coerce))
        return _single(where, name, _split(kind, ",", explode, one, prop_coerce))
    if where == "cookie":
        # One cookie holds the whole value: form style is comma-separated like simple, an
        # object as `k=v,k=v` when exploded (form's default) and `k,v,k,v` when not.
        return _single(where, name, _split(kind, ",", explode, one, prop_coerce))
    raise OperationError.at("", f"parameter {param.name!r} has unknown location {where!r}")


def _single(where: str, name: str, decode: Callable[[str], Any]) -> Extract:
    index = ("path", "query", "header", "cookie").index(where)
    if where == "query":

        def first(sources: Sources) -> Any:
            values = sources[1].get(name)
            return ABSENT if values is None else decode(values[0])

        return first

    def lookup(sources: Sources) -> Any:
        value: Any = sources[index].get(name)
        return ABSENT if value is None else decode(value)

    return lookup


def _split(
    kind: str, sep: str, explode: bool, one: Coerce, props: Mapping[str, Coerce]
) -> Callable[[str], Any]:
    if kind == "array":
        return lambda text: [one(v) for v in text.split(sep)] if text else []
    if kind == "object":  # "" is how form, simple and label spell {}
        if explode:
            return lambda text: _assigned(text.split(sep), props) if text else {}
        return lambda text: _pairs(text.split(sep), props) if text else {}
    return one


def _prefixed(
    lead: str, sep: str, kind: str, one: Coerce, props: Mapping[str, Coerce], explode: bool
) -> Callable[[str], Any]:
    inner = _split(kind, sep, explode, one, props)
    return lambda text: inner(text[len(lead) :]) if text.startswith(lead) else text


def _matrix(
    name: str, kind: str, explode: bool, one: Coerce, props: Mapping[str, Coerce]
) -> Callable[[str], Any]:
    head = f";{name}="

    def decode(text: str) -> Any:
        if text == head[:-1]:  # `;name`: an empty value, array or object
            return [] if kind == "array" else {} if kind == "object" else one("")
        if kind == "array" and explode:
            return [one(v[len(head) - 1 :]) for v in text.split(";")[1:]]
        if kind == "object" and explode:
            return _assigned(text[1:].split(";"), props)
        if not text.startswith(head):
            return text
        return _split(kind, ",", False, one, props)(text[len(head) :])

    return decode
