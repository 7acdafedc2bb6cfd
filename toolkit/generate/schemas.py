"""Adjust the copy of the schemas datamodel-code-generator sees (never the served document).

The runtime validates every body against the exact JSON Schema before it builds the model,
so a model must accept every value the schema accepts. Three schema shapes generate models
that are stricter, and one generates code ruff refuses:

- `oneOf`/`anyOf` + `discriminator` becomes a pydantic tagged union, which refuses values
  without a known tag that the schema accepts (the discriminator is only a hint in OpenAPI).
  Dropped: the plain union validates in pydantic's smart mode, which picks the branch that
  fits best (the most fields set), so tagged values still land in their branch.
- A `discriminator` on an object that others extend (`allOf: [$ref: Base, ...]`) made every
  use of Base a tagged union of the subclasses, with the schema *names* as tags; the schema
  only validates Base. Dropped too; each use of Base becomes `Base | Sub1 | Sub2`, Base
  first, so a value lands in a subclass only when it sets more fields than Base holds.
- A schema with `properties` but no `type` ("open") accepts any JSON value, not only objects.
  Its class models the object form (`type: object` is added); every place that uses it
  (a property, array items, map values, a union branch) accepts the other JSON values too:
  `Model | list[Any] | bool | int | float | str | None`. A request body that is open gets
  the same union in service.py and app.py (`OPEN_UNION`).
- `enum: [1, 1]` gives an Enum with duplicate members (ruff PIE796): values de-duplicated;
  a string enum with a value named like a `str` method (`count`, `title`) gets member names
  with a trailing underscore (`x-enum-varnames`), since a StrEnum member `count` overrides
  `str.count` (mypy).
- A `default` the schema itself refuses is made to fit (`_fit_default`).
- An `allOf` of one `$ref` becomes a subclass; when the child redeclares a property the base
  types as an object, array or model (`items: list[dict]` -> `list[Item]`), the subclass
  attribute is an incompatible override (mypy: lists are invariant, a model is no dict). The
  base is inlined into that child instead, without the properties the child narrows, so
  its class holds the merged fields (no base) and the child's types. A property the child
  redeclares as the base has it, apart from annotations (`description`, `title`...), is
  left to the base: each position makes its own class (ADR 0015), so the child's copy of
  an inline enum would be another type, an incompatible override to mypy.
"""

from __future__ import annotations

import copy
import datetime
import ipaddress
import json
import keyword
import uuid
from dataclasses import dataclass, field
from typing import Any

import pydantic

from toolkit.model.build import SCHEMAS_PREFIX

# Marks a union `adjust` wrapped around a schema (its `anyOf/0`): the class made from that
# schema is named by the schema's own place (models.Prepared.original).
WRAPPER = "x-ctk-wrapper"
# What an open schema accepts besides an object, as datamodel-code-generator renders it.
_OTHERS = ({"type": "array"}, {"type": "boolean"}, {"type": "integer"}, {"type": "number"})
OPEN_UNION = "list[Any] | bool | int | float | str | None"
# The same in a signature: an int is a float there (PEP 484's numeric tower; ruff PYI041).
OPEN_ANNOTATION = "list[Any] | bool | float | str | None"

# Keywords whose value is one schema, a list of schemas, or a name -> schema map.
SCHEMA_SINGLES = ("additionalProperties", "items", "not", "contains", "if", "then", "else")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties")
# Positions whose value is used as a type (wrapped when open); `allOf` merges, so it is not.
_USES_ONE = ("additionalProperties", "items")
_USES_MANY = ("anyOf", "oneOf", "prefixItems")
_NOT_OPEN = ("type", "$ref", "anyOf", "oneOf", "enum", "const", "not")


def _ref_name(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#" + SCHEMAS_PREFIX):
        name = ref[1 + len(SCHEMAS_PREFIX) :]
        return name if "/" not in name else None
    return None


def _is_open(node: Any, open_names: set[str]) -> bool:
    """An object model whose schema has no type: properties (or an open allOf part), and
    allOf parts that are open or add no type (`required`, `description`)."""
    if not isinstance(node, dict) or any(key in node for key in _NOT_OPEN):
        return False
    parts = node.get("allOf", [])
    if not isinstance(parts, list):
        return False
    opened = False
    for part in parts:
        name = _ref_name(part)
        if name is not None:
            if name not in open_names:
                return False
            opened = True
        elif _is_open(part, open_names):
            opened = True
        elif not isinstance(part, dict) or "type" in part or "$ref" in part:
            return False
    return opened or isinstance(node.get("properties"), dict)


def _open_components(schemas: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    changed = True
    while changed:  # allOf of open components is open: grow to a fixpoint
        changed = False
        for name, schema in schemas.items():
            if name not in found and _is_open(schema, found):
                found.add(name)
                changed = True
    return found


def _widen(schema: Any, openapi31: bool) -> dict[str, Any]:
    null = [{"type": "null"}] if openapi31 else []
    wrapper: dict[str, Any] = {
        "anyOf": [schema, *_OTHERS, {"type": "string"}, *null],
        WRAPPER: True,
    }
    if not openapi31:
        wrapper["nullable"] = True
    return wrapper


def _unique(values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    kept = []
    for value in values:
        key = json.dumps([type(value).__name__, value], sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


_STR_ATTRIBUTES = frozenset(name for name in dir(str) if not name.startswith("_"))


def _enum_names(node: dict[str, Any]) -> None:
    values = node["enum"]
    if "x-enum-varnames" in node or not all(isinstance(v, str) for v in values):
        return
    if not any(v in _STR_ATTRIBUTES for v in values):
        return
    if all(v.isidentifier() and not keyword.iskeyword(v) and v[:1] != "_" for v in values):
        node["x-enum-varnames"] = [f"{v}_" if v in _STR_ATTRIBUTES else v for v in values]


def _own_properties(node: Any, schemas: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """Properties a schema declares itself or through allOf (what its class would hold)."""
    if not isinstance(node, dict) or depth > 32:
        return {}
    name = _ref_name(node)
    if name is not None:
        return _own_properties(schemas.get(name), schemas, depth + 1)
    found: dict[str, Any] = {}
    parts = node.get("allOf")
    for part in parts if isinstance(parts, list) else []:
        found.update(_own_properties(part, schemas, depth + 1))
    properties = node.get("properties")
    found.update(properties if isinstance(properties, dict) else {})
    return found


# The types the generator gives formatted strings, to ask whether a default fits them.
_FORMATS: dict[str, Any] = {
    "date-time": pydantic.AwareDatetime,
    "date": datetime.date,
    "time": datetime.time,
    "duration": datetime.timedelta,
    "uri": pydantic.AnyUrl,
    "uuid": uuid.UUID,
    "ipv4": ipaddress.IPv4Address,
    "ipv6": ipaddress.IPv6Address,
}
_ADAPTERS: dict[str, pydantic.TypeAdapter[Any]] = {}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
_TYPE_OF = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _fit_default(node: dict[str, Any], openapi31: bool) -> None:
    """A `default` the schema itself refuses (a spec defect, common in real documents)
    would make the model refuse its own default, or fail mypy: the copy is made to hold it.

    `default: null` on a non-nullable schema makes it nullable; a scalar default of another
    JSON type adds that type; a string default its format refuses (`format: uri, default:
    ''`) drops the format, so the field is a `str`. The served document is not changed.
    """
    if "default" not in node or "$ref" in node:
        return
    default, kind = node["default"], node.get("type")
    if default is None:
        if openapi31:
            kinds = kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []
            if kinds and "null" not in kinds:
                node["type"] = [*kinds, "null"]
        elif isinstance(kind, str) and node.get("nullable") is not True:
            node["nullable"] = True
        return
    if not isinstance(kind, str) or kind not in _JSON_TYPES:
        return
    if type(default) in _TYPE_OF and not _fits(default, _JSON_TYPES[kind]):
        node["type"] = [kind, _TYPE_OF[type(default)]]
    elif (
        kind == "string"
        and isinstance(default, str)
        and node.get("format") in _FORMATS
        and not _valid(str(node["format"]), default)
    ):
        del node["format"]


def _fits(value: Any, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


def _valid(format_: str, value: str) -> bool:
    adapter = _ADAPTERS.get(format_)
    if adapter is None:
        adapter = _ADAPTERS[format_] = pydantic.TypeAdapter(_FORMATS[format_])
    try:
        adapter.validate_python(value)
    except pydantic.ValidationError:
        return False
    return True


_ONE_WAY = ("readOnly", "writeOnly")


def _one_way(node: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A required `readOnly` property is required in responses only, a `writeOnly` one in
    requests only (ADR 0017): one model serves both, so neither is required in it (the
    runtime checks each direction against its own view of the schema). A `required` in an
    `allOf` part may name a property another part declares."""
    properties = _own_properties(node, schemas)
    parts = node.get("allOf")
    for holder in [node, *(parts if isinstance(parts, list) else [])]:
        required = holder.get("required") if isinstance(holder, dict) else None
        if not isinstance(required, list) or not required or "$ref" in holder:
            continue
        kept = [name for name in required if not _flagged(properties.get(name), schemas)]
        if len(kept) == len(required):
            continue
        if kept:
            holder["required"] = kept
        else:
            del holder["required"]


def _flagged(schema: Any, schemas: dict[str, Any]) -> bool:
    name = _ref_name(schema)
    target = schemas.get(name) if name is not None else None
    return any(
        isinstance(s, dict) and s.get(key) is True for s in (schema, target) for key in _ONE_WAY
    )


def _structured(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    keys = ("$ref", "properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf")
    return schema.get("type") in ("object", "array") or any(k in schema for k in keys)


_ANNOTATIONS = frozenset(["description", "title", "example", "examples", "deprecated"])


def _typing(schema: Any) -> Any:
    """`schema` without what does not change a value's type (annotations)."""
    if not isinstance(schema, dict):
        return schema
    return {
        k: v for k, v in schema.items() if k not in _ANNOTATIONS and not str(k).startswith("x-")
    }


def _drop_restated(schema: dict[str, Any], parts: list[Any], base: dict[str, Any]) -> None:
    for node in [schema, *(p for p in parts if _ref_name(p) is None)]:
        properties = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(properties, dict):
            continue
        for name in [k for k, v in properties.items() if k in base and base[k] != v]:
            if _typing(properties[name]) == _typing(base[name]):
                del properties[name]


def _inline_conflicting_bases(schemas: dict[str, Any]) -> None:
    for schema in schemas.values():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        if not isinstance(parts, list):
            continue
        refs = [i for i, part in enumerate(parts) if _ref_name(part) is not None]
        if len(refs) != 1:  # the generator makes a subclass only of a single $ref
            continue
        base = _own_properties(parts[refs[0]], schemas)
        _drop_restated(schema, parts, base)
        mine = _own_properties(
            {**schema, "allOf": [p for p in parts if _ref_name(p) is None]}, schemas
        )
        clashing = {
            k for k, v in mine.items() if k in base and base[k] != v and _structured(base[k])
        }
        if clashing:
            inlined = copy.deepcopy(schemas.get(_ref_name(parts[refs[0]]) or ""))
            properties = inlined.get("properties") if isinstance(inlined, dict) else None
            if isinstance(properties, dict):  # the child's type is the narrower one (allOf)
                for name in clashing:
                    properties.pop(name, None)
            parts[refs[0]] = inlined


def _subclasses(schemas: dict[str, Any]) -> dict[str, list[str]]:
    """Discriminated bases (no oneOf/anyOf) -> the components extending them by allOf."""
    bases = {
        name
        for name, schema in schemas.items()
        if isinstance(schema, dict)
        and isinstance(schema.get("discriminator"), dict)
        and "oneOf" not in schema
        and "anyOf" not in schema
    }
    found: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        for part in parts if isinstance(parts, list) else []:
            base = _ref_name(part)
            if base in bases and base != name and name not in found.get(base, []):
                found.setdefault(base, []).append(name)
    return found


@dataclass(frozen=True)
class Shapes:
    """What a value typed by a class may also be, beyond an instance of that class."""

    # schemas with properties but no type: any other JSON value too
    open: frozenset[str] = frozenset()
    # discriminated bases -> the schemas extending them by allOf: an instance of one of them
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def type_of(self, name: str, *, annotation: bool = True) -> str:
        """The type of a body whose schema is the class `name` (`models.` qualified)."""
        kinds = [f"models.{n}" for n in (name, *self.variants.get(name, ()))]
        if name in self.open:
            kinds.append(OPEN_ANNOTATION if annotation else OPEN_UNION)
        return " | ".join(kinds)


def adjust(schemas: dict[str, Any], openapi31: bool) -> Shapes:
    """Adjust `schemas` (components/schemas of the copy) in place; returns what the uses of
    the open schemas and discriminated bases may hold.
    """
    _inline_conflicting_bases(schemas)
    open_names = _open_components(schemas)
    subclasses = _subclasses(schemas)

    def is_open(node: Any) -> bool:
        name = _ref_name(node)
        return name in open_names if name is not None else _is_open(node, open_names)

    def use(node: Any) -> Any:
        """What a use of `node` (a property, items, a union branch) becomes."""
        if is_open(node):
            return _widen(node, openapi31)
        subs = subclasses.get(_ref_name(node) or "")
        if subs:
            refs = ({"$ref": "#" + SCHEMAS_PREFIX + s} for s in subs)
            return {"anyOf": [node, *refs], WRAPPER: True}
        return node

    stack: list[Any] = list(schemas.values())
    seen: set[int] = set()
    objects: list[dict[str, Any]] = []  # typed at the end: is_open() must see them untyped
    while stack:
        node = stack.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.get("enum"), list):
            node["enum"] = _unique(node["enum"])
            _enum_names(node)
        if isinstance(node.get("discriminator"), dict):
            del node["discriminator"]
        _fit_default(node, openapi31)
        _one_way(node, schemas)
        if _is_open(node, open_names):
            objects.append(node)
        for key in SCHEMA_SINGLES:
            child = node.get(key)
            if key in _USES_ONE and key in node:
                node[key] = use(child)
            stack.append(child)
        for key in SCHEMA_LISTS:
            children = node.get(key)
            if isinstance(children, list):
                widened = False  # in a union, one open branch adds the other JSON values
                for index, child in enumerate(children):
                    if key in _USES_MANY:
                        again = widened and key != "prefixItems" and is_open(child)
                        if not again:  # (ruff PYI016 refused the repeated members)
                            widened = widened or is_open(child)
                            children[index] = use(child)
                    stack.append(child)
        for key in SCHEMA_MAPS:
            children = node.get(key)
            if isinstance(children, dict):
                for name, child in children.items():
                    children[name] = use(child)
                    stack.append(child)
    for node in objects:
        node["type"] = "object"
    return Shapes(frozenset(open_names), {base: tuple(subs) for base, subs in subclasses.items()})
