"""What `ctk diff` compares of a document: its operations, keyed so that syntax does not count.

An operation is keyed by its method and its path with parameter names blanked
(`/prompts/{id}` and `/prompts/{prompt_id}` are one path); a parameter by where it is and its
name (header names without case; a path parameter by its position). Path-item parameters
are merged into each operation's (the operation's win), `$ref`s followed. Swagger 2.0 is read
as its OpenAPI 3.0 equivalent (ADR 0021), so 2.0 against 3.x compares meanings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit import pointer as jp

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}/]*\}")


@dataclass
class Node:
    value: Any
    pointer: str


@dataclass
class OperationView:
    method: str
    path: str
    pointer: str
    value: Mapping[str, Any]
    params: dict[tuple[str, str], Node] = field(default_factory=dict)
    body: Node | None = None
    responses: dict[str, Node] = field(default_factory=dict)
    security: Any = None  # the requirement list in effect (the document's when not its own)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


Operations = dict[tuple[str, str], OperationView]  # (method, path shape) -> operation


def path_key(path: str) -> str:
    return _TEMPLATE.sub("{}", path.rstrip("/") or "/")


def operations(document: Mapping[str, Any]) -> Operations:
    found: Operations = {}
    paths = document.get("paths")
    for path, raw_item in paths.items() if isinstance(paths, Mapping) else ():
        item, item_at = jp.follow(document, raw_item, jp.join("/paths", str(path)))
        if not isinstance(item, Mapping):
            continue
        shared = _params(document, item.get("parameters"), jp.join(item_at, "parameters"), path)
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            at = jp.join(item_at, method)
            view = OperationView(method, str(path), at, op)
            view.params = {
                **shared,
                **_params(document, op.get("parameters"), jp.join(at, "parameters"), path),
            }
            if "requestBody" in op:
                body, body_at = jp.follow(document, op["requestBody"], jp.join(at, "requestBody"))
                view.body = Node(body if isinstance(body, Mapping) else {}, body_at)
            responses = op.get("responses")
            for status, raw in responses.items() if isinstance(responses, Mapping) else ():
                value, value_at = jp.follow(document, raw, jp.join(at, "responses", str(status)))
                view.responses[str(status).upper()] = Node(value or {}, value_at)
            view.security = op["security"] if "security" in op else document.get("security")
            found[(method, path_key(str(path)))] = view
    return found


def _params(
    document: Mapping[str, Any], raw: Any, pointer: str, path: str
) -> dict[tuple[str, str], Node]:
    names = [m[1:-1] for m in _TEMPLATE.findall(path)]
    found: dict[tuple[str, str], Node] = {}
    for index, entry in enumerate(raw if isinstance(raw, list) else ()):
        param, at = jp.follow(document, entry, jp.join(pointer, index))
        if not isinstance(param, Mapping):
            continue
        where, name = str(param.get("in", "")), str(param.get("name", ""))
        if where == "path":
            key = str(names.index(name)) if name in names else name
        elif where == "header":
            key = name.lower()
        else:
            key = name
        found[(where, key)] = Node(param, at)
    return found


def media_types(content: Any) -> dict[str, tuple[Any, str]]:
    """`content` by media type essence (parameters and case dropped)."""
    found: dict[str, tuple[Any, str]] = {}
    for media, entry in content.items() if isinstance(content, Mapping) else ():
        essence = str(media).split(";", 1)[0].strip().lower()
        found.setdefault(essence, (entry if isinstance(entry, Mapping) else {}, str(media)))
    return found
