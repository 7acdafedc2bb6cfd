"""A schema's meaning, as `ctk diff` compares it: `$ref`s followed, `allOf` parts merged,
3.0 `nullable` and 3.1 type arrays folded into one "nullable", and what `oneOf`/`anyOf`
variants say of the whole (`X or null` is X, nullable; an untyped `oneOf` of objects is an
object). Read once per schema (SchemaDiff caches them); no findings here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from toolkit import pointer as jp

UPPER = ("maximum", "maxLength", "maxItems", "maxProperties")
LOWER = ("minimum", "minLength", "minItems", "minProperties")
MISSING = object()
_BOUNDS = (*UPPER, *LOWER)


@dataclass
class Shape:
    """A schema's meaning, `allOf` merged and references followed."""

    pointer: str
    types: frozenset[str] | None = None  # None: any type
    nullable: bool = False
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: tuple[Any, str] | None = None
    additional: Any = True  # True, False, or (schema, pointer)
    enum: set[str] | None = None  # canonical JSON of each value
    format: str | None = None
    pattern: str | None = None
    bounds: dict[str, tuple[float, bool]] = field(default_factory=dict)
    default: Any = MISSING
    read_only: bool = False
    write_only: bool = False
    variants: list[tuple[Any, str]] = field(default_factory=list)
    discriminator: str | None = None


def shape_at(document: Mapping[str, Any], node: Any, pointer: str, legacy: bool) -> Shape:
    """The shape of `node`, found at `pointer` (references followed already)."""
    found = Shape(pointer)
    _merge(found, document, node, pointer, legacy, 0)
    if found.variants:
        _fold_variants(found, document, legacy)
    return found


def _fold_variants(found: Shape, document: Mapping[str, Any], legacy: bool) -> None:
    """What a schema's `oneOf`/`anyOf` variants say of the whole: `X or null` is X, nullable
    (3.1's `anyOf: [X, {type: "null"}]`); an untyped `oneOf` of objects is an object; of
    closed objects, a closed one."""
    parts = []
    for variant, at in found.variants:
        part = Shape(at)
        _merge(part, document, *follow(document, variant, at), legacy, 1)
        parts.append(part)
    nulls = [p.types == frozenset() and p.nullable for p in parts]
    if any(nulls) and not all(nulls):
        found.nullable = True
        found.variants = [v for v, null in zip(found.variants, nulls, strict=True) if not null]
        parts = [p for p, null in zip(parts, nulls, strict=True) if not null]
        if len(found.variants) == 1:
            variant, at = found.variants.pop()
            _merge(found, document, *follow(document, variant, at), legacy, 1)
            return
    if found.types is None and all(p.types is not None for p in parts):
        found.types = frozenset().union(*(p.types or () for p in parts))
    if found.additional is not False and all(p.additional is False for p in parts):
        found.additional = False


def follow(document: Mapping[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    followed, at = jp.follow(document, node, pointer)
    return (followed if followed is not None else {}), at


def _merge(
    into: Shape, document: Mapping[str, Any], node: Any, pointer: str, legacy: bool, depth: int
) -> None:
    if not isinstance(node, Mapping) or depth > 16:
        return
    for index, part in enumerate(node.get("allOf") or ()):
        sub, at = follow(document, part, jp.join(pointer, "allOf", index))
        _merge(into, document, sub, at, legacy, depth + 1)
    kind = node.get("type")
    if isinstance(kind, str | list):
        kinds = {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}
        if "null" in kinds:
            into.nullable = True
        kinds.discard("null")
        into.types = frozenset(kinds) if into.types is None else into.types & kinds
    if legacy and node.get("nullable") is True:
        into.nullable = True
    if "enum" in node and isinstance(node["enum"], list):
        values = {canon(v) for v in node["enum"]}
        if canon(None) in values:
            into.nullable = True
            values.discard(canon(None))
        into.enum = values if into.enum is None else into.enum & values
    if "const" in node:
        into.enum = {canon(node["const"])}
    for key in ("format", "pattern"):
        if isinstance(node.get(key), str):
            setattr(into, key, node[key])
    for key in _BOUNDS:
        value = node.get(key)
        if value is not None and number(value):
            exclusive = (
                key in ("maximum", "minimum")
                and node.get("exclusiveMaximum" if key == "maximum" else "exclusiveMinimum") is True
            )
            into.bounds[key] = (float(value), exclusive)
    for key, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
        limit = node.get(key)
        if number(limit):  # 3.1: the exclusive bound is the number
            into.bounds[bound] = (float(limit), True)
    if "default" in node:
        into.default = node["default"]
    into.read_only = into.read_only or node.get("readOnly") is True
    into.write_only = into.write_only or node.get("writeOnly") is True
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        prefix = f"{pointer}/properties/"
        for name, sub in properties.items():
            into.properties[str(name)] = (sub, prefix + jp.escape(str(name)))
    if isinstance(node.get("required"), list):
        into.required |= {str(n) for n in node["required"]}
    if "items" in node and isinstance(node["items"], Mapping):
        into.items = (node["items"], jp.join(pointer, "items"))
    extra = node.get("additionalProperties")
    if extra is False:
        into.additional = False
    elif isinstance(extra, Mapping):
        into.additional = (extra, jp.join(pointer, "additionalProperties"))
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            into.variants = [(v, jp.join(pointer, key, i)) for i, v in enumerate(node[key])]
    disc = node.get("discriminator")
    if isinstance(disc, Mapping) and isinstance(disc.get("propertyName"), str):
        into.discriminator = disc["propertyName"]


def number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def read_as(value: Any, types: frozenset[str] | None) -> Any:
    """A default as a client reads it in the schema's type: `true` for a string is "true",
    "1" for an integer is 1 (a spec fixing a default written in the wrong type changes no
    meaning); 1.0 is 1; any other value as it is."""
    if number(value) and float(value).is_integer():
        value = int(value)
    if types is None or _json_type(value) in types or (number(value) and "number" in types):
        return value
    if "string" in types and (isinstance(value, bool) or number(value)):
        return json.dumps(value)
    if isinstance(value, str):
        try:
            parsed = read_as(json.loads(value), None)
        except ValueError:
            return value
        if _json_type(parsed) in types or (number(parsed) and "number" in types):
            return parsed
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value), "null")


def covers(wide: frozenset[str] | None, narrow: frozenset[str] | None) -> bool:
    """Every value of a `narrow` type is one of `wide`'s (number takes integers)."""
    if wide is None:
        return True
    if narrow is None:
        return False
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


_WIDTH = {"int32": 1, "int64": 2, "float": 1, "double": 2}


def widths(o: Shape, n: Shape) -> tuple[int, int] | None:
    """Both formats as numeric widths (no format = the widest), when both are numeric."""
    numeric = {"integer", "number"}
    if not (o.types and n.types and o.types <= numeric and n.types <= numeric):
        return None
    if any(f is not None and f not in _WIDTH for f in (o.format, n.format)):
        return None
    return _WIDTH.get(o.format or "", 2), _WIDTH.get(n.format or "", 2)


def tighter(
    upper: bool, before: tuple[float, bool] | None, after: tuple[float, bool] | None
) -> bool:
    if after is None:
        return False
    if before is None:
        return True
    if after[0] != before[0]:
        return after[0] < before[0] if upper else after[0] > before[0]
    return after[1] and not before[1]
