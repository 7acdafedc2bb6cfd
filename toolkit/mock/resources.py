"""`--stateful`: which resources the spec describes.

A resource is a collection path plus an item path one `{param}` segment below it
(`/prompts` + `/prompts/{prompt_id}`) whose operations share the item's schema: the item
GET's, or else PUT/PATCH's, success body is the schema the collection's POST answers with
(or that its list holds). The id is the item path's parameter, stored in the body property
named like it (`prompt_id`, `promptId`, `id`). Collections below another item
(`/prompts/{prompt_id}/versions`) are resources too, one set of items per parent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit import pointer as jp
from toolkit.model.api import ApiModel, OperationModel

_PARAM = re.compile(r"^\{([^{}/]+)\}$")
_PARENT = re.compile(r"\{([^{}/]+)\}")
_ARRAY_FIELDS = ("items", "data", "results", "records", "entries", "values", "content")


@dataclass(frozen=True, slots=True)
class Resource:
    collection: str  # the collection's path template
    item: str  # the item's path template
    param: str  # the item path's parameter
    id_field: str  # the body property holding the id
    schema: str  # pointer of the item's schema (as its GET answers it)
    create: str | None = None  # handler names
    read: str | None = None
    replace: str | None = None
    update: str | None = None
    delete: str | None = None
    list: str | None = None
    list_field: str | None = None  # the list body's array member ("" : the body is the array)
    # parent path parameter -> the body property holding its value (`prompt_id`)
    parent_fields: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        verbs = [
            name
            for name, handler in (
                ("create", self.create),
                ("list", self.list),
                ("read", self.read),
                ("replace", self.replace),
                ("update", self.update),
                ("delete", self.delete),
            )
            if handler
        ]
        return f"{self.item} (id: {self.param} = body.{self.id_field}; {', '.join(verbs)})"


def infer_resources(api: ApiModel, document: Mapping[str, Any]) -> tuple[Resource, ...]:
    by_path: dict[str, dict[str, OperationModel]] = {}
    for op in api.operations:
        by_path.setdefault(op.path, {})[op.method] = op
    found: list[Resource] = []
    for item_path, item_ops in by_path.items():
        collection, _, last = item_path.rstrip("/").rpartition("/")
        match = _PARAM.match(last)
        if not match or not collection:
            continue
        param = match[1]
        schema = _item_schema(item_ops)
        if schema is None:
            continue
        target = _target(document, schema)
        id_field = _id_field(target, param, document)
        if id_field is None:
            continue
        coll_ops = by_path.get(collection, {})
        create = coll_ops.get("post")
        listing = coll_ops.get("get")
        list_field = _list_field(document, listing, target) if listing else None
        names = {_flat(name): name for name in _properties(target, document)}
        parent_fields = tuple(
            (name, names[_flat(name)])
            for name in _PARENT.findall(collection)
            if _flat(name) in names
        )
        found.append(
            Resource(
                collection=collection,
                item=item_path,
                param=param,
                id_field=id_field,
                schema=schema,
                create=create.handler
                if create and _answers_with(document, create, target)
                else None,
                read=_handler(item_ops.get("get")),
                replace=_handler(item_ops.get("put")),
                update=_handler(item_ops.get("patch")),
                delete=_handler(item_ops.get("delete")),
                list=listing.handler if listing and list_field is not None else None,
                list_field=list_field,
                parent_fields=parent_fields,
            )
        )
    return tuple(found)


def _handler(op: OperationModel | None) -> str | None:
    return op.handler if op is not None else None


def _success_schema(op: OperationModel | None) -> str | None:
    for model in op.success if op is not None else ():
        if model.response.schema:
            return model.response.schema
    return None


def _item_schema(ops: Mapping[str, OperationModel]) -> str | None:
    for method in ("get", "put", "patch"):
        found = _success_schema(ops.get(method))
        if found:
            return found
    return None


def _target(document: Mapping[str, Any], pointer: str) -> Any:
    try:
        return jp.deref(document, jp.resolve(document, pointer))
    except (KeyError, ValueError):
        return None


def _properties(schema: Any, document: Mapping[str, Any] | None = None) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    found = (
        dict(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else {}
    )
    for part in schema.get("allOf") or () if document is not None else ():
        found.update(_properties(jp.deref(document, part), document))
    return found


def _id_field(schema: Any, param: str, document: Mapping[str, Any]) -> str | None:
    """The property named like the parameter, else `id`, else the one ending in `id`
    (an `allOf`'s parts' properties included)."""
    names = list(_properties(schema, document))
    if not names:
        return None
    flat = {_flat(name): name for name in names}
    for candidate in (param, "id"):
        if _flat(candidate) in flat:
            return flat[_flat(candidate)]
    stem = _flat(param).removesuffix("id")
    for name in names:
        if _flat(name) in (f"{stem}id", f"{stem}name", f"{stem}key", stem):
            return name
    return None


def _flat(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _same(document: Mapping[str, Any], pointer: str | None, target: Any) -> bool:
    return pointer is not None and _target(document, pointer) is target


def _answers_with(document: Mapping[str, Any], op: OperationModel, target: Any) -> bool:
    return _same(document, _success_schema(op), target)


def _list_field(document: Mapping[str, Any], op: OperationModel, target: Any) -> str | None:
    """Where the list answer holds the items: "" when it is the array, else its member."""
    schema = _target(document, _success_schema(op) or "")
    if not isinstance(schema, dict):
        return None
    if jp.deref(document, schema.get("items")) is target:
        return ""
    properties = _properties(schema, document)
    arrays = [
        name
        for name, sub in properties.items()
        if isinstance(jp.deref(document, sub), dict)
        and jp.deref(document, jp.deref(document, sub).get("items")) is target
    ]
    for name in (*_ARRAY_FIELDS, *arrays):
        if name in arrays:
            return name
    return None
