"""The request and response views of a schema: `readOnly` and `writeOnly` (ADR 0017).

OpenAPI 3.0 says a required `readOnly` property is required in responses only, and a
required `writeOnly` one in requests only; 3.1 leaves it to the annotations and common
practice (every mainstream tool) is the same. So requests are validated against a view of
the document whose `required` lists leave out read-only properties, and responses against
one that leaves out write-only ones. A read-only value a client sends anyway is accepted
(it must still match its schema) and removed before the handler sees the body: the server
owns it (`strip`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.pointer import deref

REQUEST = "readOnly"  # what a request's view leaves out of `required`
RESPONSE = "writeOnly"  # what a response's view leaves out of `required`
_MAX_DEPTH = 64


def flags_in(document: Any) -> frozenset[str]:
    """Which of `readOnly: true` / `writeOnly: true` the document uses anywhere."""
    found: set[str] = set()
    for node in _nodes(document):
        for flag in (REQUEST, RESPONSE):
            if node.get(flag) is True:
                found.add(flag)
    return frozenset(found)


def relax_required(document: dict[str, Any], flag: str) -> None:
    """In place: every `required` list loses the properties marked `flag`."""
    for node in list(_nodes(document)):
        required = node.get("required")
        if not isinstance(required, list) or not required:
            continue
        marked = _marked(document, node, flag, 0)
        if not marked:
            continue
        kept = [name for name in required if name not in marked]
        if kept:
            node["required"] = kept
        else:  # Draft 4 wants a non-empty list
            del node["required"]


def strip(value: Any, schema: Any, document: Any, flag: str, depth: int = 0) -> None:
    """In place: remove from `value` the members its `schema` marks `flag`, at any depth
    reached through `properties`, `allOf` and `items` (a union branch is not guessed)."""
    if depth > _MAX_DEPTH:
        return
    schema = _target(document, schema)
    if not isinstance(schema, dict):
        return
    if isinstance(value, dict):
        for part in schema.get("allOf") or ():
            strip(value, part, document, flag, depth + 1)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if name not in value:
                    continue
                if _has(document, sub, flag):
                    del value[name]
                else:
                    strip(value[name], sub, document, flag, depth + 1)
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for item in value:
                strip(item, items, document, flag, depth + 1)


def _target(document: Any, schema: Any) -> Any:
    """`schema` with its `$ref`s followed (itself when one dangles)."""
    found = deref(document, schema)
    return schema if found is None else found


def _has(document: Any, schema: Any, flag: str) -> bool:
    """`flag` on the schema itself (3.1 allows it beside `$ref`) or on what it refers to."""
    return isinstance(schema, dict) and (
        schema.get(flag) is True or _get(_target(document, schema), flag) is True
    )


def _get(schema: Any, key: str) -> Any:
    return schema.get(key) if isinstance(schema, dict) else None


def _marked(document: Any, node: dict[str, Any], flag: str, depth: int) -> set[str]:
    """Names of the properties marked `flag` that `node` declares, itself or by `allOf`."""
    if depth > _MAX_DEPTH:
        return set()
    marked: set[str] = set()
    properties = node.get("properties")
    if isinstance(properties, dict):
        marked.update(name for name, sub in properties.items() if _has(document, sub, flag))
    for part in node.get("allOf") or ():
        target = _target(document, part)
        if isinstance(target, dict):
            marked |= _marked(document, target, flag, depth + 1)
    return marked


def _nodes(document: Any) -> Iterator[dict[str, Any]]:
    """Every object in `document`, each once."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            yield node
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
