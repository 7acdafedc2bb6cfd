"""Identical inline schemas share one class; every place keeps its own name (ADR 0016).

Real documents repeat inline shapes: GitHub's has 7,439 places that make a class but only
3,765 distinct class bodies. One class per place doubled the generator's work, and gave
equal shapes unrelated types. So identical inline objects and enums (equal JSON, the
description included) are hoisted once, at the place that comes first (ADR 0015's order),
and every other place refers to it; models.py then names each other place as an alias of
that class (`PromptCreateTagsItem = PromptTagsItem`). A name still depends on its own place
only: a new identical schema at a smaller pointer makes the old class an alias, it never
takes its name away.

Only shapes the generator makes a class of either way are shared: an object with
properties or a plain enum, at a property, `items` or `additionalProperties` (never a
component or body root, whose class the runtime builds), with no default, nullability or
composition of its own, so a `$ref` there means exactly what the inline schema meant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from toolkit import pointer as jp
from toolkit.generate.schemas import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_SINGLES
from toolkit.model.build import SCHEMAS_PREFIX
from toolkit.model.class_names import pointer_order

_OBJECT_KEYS = frozenset(["type", "properties", "required", "additionalProperties", "description"])
_ENUM_KEYS = frozenset(["type", "enum", "description", "x-enum-varnames"])
# keywords whose value is a name -> schema map (schemas.py's, and the definitions)
_MAP = (*SCHEMA_MAPS, "$defs", "definitions")
# the places a shared class may stand
_PLACES = frozenset(["properties", "items", "additionalProperties"])
_MAX_DEPTH = 64


def _shareable(node: dict[str, Any]) -> bool:
    keys = node.keys()
    if node.get("type") == "object" and keys <= _OBJECT_KEYS:
        properties = node.get("properties")
        return isinstance(properties, dict) and bool(properties)
    if keys <= _ENUM_KEYS and node.get("type") in ("string", "integer"):
        values = node.get("enum")
        return isinstance(values, list) and bool(values) and None not in values
    return False


def share_identical(
    schemas: dict[str, Any], original: Callable[[str], str], claim: Callable[[], str]
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Hoist each group of identical shareable schemas into `schemas` under a new key.

    `original` maps a pointer of this document to the user's; `claim` gives a free key.
    Returns the new keys' places in the user's document and, for each group, the user's
    pointer of the place whose class it is -> the user's pointers of the other places.
    """
    found: dict[str, list[tuple[str, str, Any, Any]]] = {}
    stack: list[tuple[Any, str, Any, Any, bool, int]] = [
        (schema, SCHEMAS_PREFIX + jp.escape(key), None, None, False, 0)
        for key, schema in schemas.items()
    ]
    while stack:
        node, pointer, parent, index, place, depth = stack.pop()
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            continue
        if place and _shareable(node):
            key = json.dumps(node, sort_keys=True, default=str)
            found.setdefault(key, []).append((original(pointer), pointer, parent, index))
        for word in SCHEMA_SINGLES:
            child = node.get(word)
            if isinstance(child, dict):
                stack.append(
                    (child, jp.join(pointer, word), node, word, word in _PLACES, depth + 1)
                )
        for word in SCHEMA_LISTS:
            children = node.get(word)
            for i, child in enumerate(children if isinstance(children, list) else []):
                stack.append((child, jp.join(pointer, word, i), children, i, False, depth + 1))
        for word in _MAP:
            children = node.get(word)
            for name, child in children.items() if isinstance(children, dict) else ():
                at = jp.join(pointer, word, name)
                stack.append((child, at, children, name, word in _PLACES, depth + 1))
    origins: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for members in found.values():
        places = {where: entry for entry in members for where in [entry[0]]}
        if len(places) < 2:
            continue
        ordered = sorted(places, key=pointer_order)
        first = places[ordered[0]]
        node = first[2][first[3]]
        hoisted = claim()
        schemas[hoisted] = node
        origins[hoisted] = ordered[0]
        groups[ordered[0]] = tuple(ordered[1:])
        ref: dict[str, Any] = {"$ref": "#" + SCHEMAS_PREFIX + hoisted}
        if "description" in node:  # the field keeps its description (a sibling of $ref)
            ref["description"] = node["description"]
        for _, _, parent, index in members:
            parent[index] = dict(ref)
    return origins, groups


def copies(pointer: str, groups: dict[str, tuple[str, ...]]) -> list[str]:
    """The user's pointers whose class is the one made at `pointer`: the other places of its
    group, and the same place within every copy of a group holding it, transitively."""
    out: list[str] = []
    seen = {pointer}
    work = [pointer]
    while work:
        at = work.pop()
        prefixes = [at[:i] for i, char in enumerate(at) if char == "/" and i] + [at]
        for prefix in prefixes:
            for member in groups.get(prefix, ()):
                place = member + at[len(prefix) :]
                if place not in seen:
                    seen.add(place)
                    out.append(place)
                    work.append(place)
    return sorted(out, key=pointer_order)
