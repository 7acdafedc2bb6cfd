"""Model class names from the schema's position in the document (ADR 0015).

A class's name is a function of its own JSON pointer: a component keeps its name, a nested
or inline schema appends to its parent's name by what it is (a property's name, `Item`,
`Value`, `OneOf<i>`, ...), and an operation's schemas are named by the operation
(`CreatePromptRequest`, `GetPrompt404Response`, `ListPromptsLimitParam`). `settle` then
applies the one collision rule. So adding, removing or reordering other schemas renames
nothing, whatever the document's size.

Pure functions over pointers and the document's operationIds: the generator hooks
(docs/research/generate-second-design/) feed them each model's pointer.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, TypeVar

from toolkit import pointer as jp
from toolkit.model.build import METHODS, mapping
from toolkit.model.names import pascal

# What a generated models module imports or pydantic reserves: a class may not take it.
RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(
        {
            "Annotated",
            "Any",
            "AnyUrl",
            "AwareDatetime",
            "Base64Str",
            "BaseModel",
            "ConfigDict",
            "Decimal",
            "Dict",
            "EmailStr",
            "Enum",
            "Field",
            "IPv4Address",
            "IPv6Address",
            "IntEnum",
            "List",
            "Literal",
            "MISSING",
            "NaiveDatetime",
            "Optional",
            "RootModel",
            "SecretStr",
            "Set",
            "StrEnum",
            "StringConstraints",
            "Tuple",
            "Type",
            "TypeAliasType",
            "UUID",
            "Union",
            "annotations",
            "date",
            "datetime",
            "time",
            "timedelta",
        }
    )
)
_COMPONENT_SUFFIX = {"requestBodies": "Request", "responses": "Response", "parameters": "Param"}
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")
K = TypeVar("K", bound=Hashable)


def pascal_word(text: str, fallback: str = "Schema") -> str:
    """PascalCase letters and digits, never ending in `_`: a name the collision rule owns."""
    return pascal(text, fallback=fallback).rstrip("_")


class PositionNamer:
    """JSON pointer → the class name its position gives (before the collision rule)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def name(self, pointer: str) -> str | None:
        """The name for the schema at `pointer`, or None for a place no model comes from."""
        t = jp.split(pointer)
        if len(t) >= 3 and t[:2] == ["components", "schemas"]:
            return _below(pascal_word(t[2], "Schema"), t[3:])
        if len(t) >= 3 and t[0] == "components" and t[1] in _COMPONENT_SUFFIX:
            base = pascal_word(t[2], "Schema") + _COMPONENT_SUFFIX[t[1]]
            rest = t[3:]
            if rest[:1] == ["schema"]:  # a parameter's own schema
                return _below(base, rest[1:])
            return _below(base + _media(rest), _after_schema(rest))
        if len(t) >= 3 and t[0] in ("paths", "webhooks") and t[2] in METHODS:
            operation = self.operation(t[0], t[1], t[2])
            rest = t[3:]
            if rest[:1] == ["requestBody"]:
                return _below(operation + "Request" + _media(rest[1:]), _after_schema(rest[1:]))
            if rest[:1] == ["responses"] and len(rest) >= 2:
                base = operation + _status(rest[1]) + "Response" + _media(rest[2:])
                return _below(base, _after_schema(rest[2:]))
            if rest[:1] == ["parameters"] and len(rest) >= 3 and rest[2] == "schema":
                return _below(operation + self._parameter(t, rest[1]) + "Param", rest[3:])
        return None

    def operation(self, scope: str, path: str, method: str) -> str:
        """`Pascal(operationId)`, else from the method and path (`GetPromptsPromptId`)."""
        item = mapping(mapping(self._document.get(scope)).get(path))
        found = mapping(jp.deref(self._document, item)).get(method)
        operation_id = mapping(found).get("operationId")
        if isinstance(operation_id, str) and operation_id.strip():
            return pascal_word(operation_id, "Operation")
        return pascal_word(f"{method} {path}", "Operation")

    def _parameter(self, tokens: list[str], index: str) -> str:
        """The parameter's name (`limit` → `Limit`), else its index (`P0`)."""
        try:
            item = self._document[tokens[0]][tokens[1]][tokens[2]]
            parameter = jp.deref(self._document, item["parameters"][int(index)])
            return pascal_word(str(parameter["name"]), "P" + index)
        except (KeyError, IndexError, ValueError, TypeError):
            return "P" + index


def settle(entries: Iterable[tuple[str, K]], sort_key: Any = None) -> dict[K, str]:
    """The collision rule, the only one: (base name, key) → final name per key.

    A reserved name gets `Model` appended. Among keys whose base names are equal, the
    smallest key (by `sort_key`, default the key itself) keeps the name and the others take
    the lowest numeric suffix from 2 that is no other base name, in that order. A name thus
    depends on its own position and on the keys sharing its base name, never on the order
    the entries come in.
    """
    groups: dict[str, list[K]] = {}
    for base, key in entries:
        base = base + "Model" if base in RESERVED else base
        groups.setdefault(base, []).append(key)
    taken = set(groups)
    names: dict[K, str] = {}
    for base in sorted(groups):
        keys = sorted(groups[base], key=sort_key)
        for index, key in enumerate(keys):
            name = base
            if index:
                number = 2
                while f"{base}{number}" in taken:
                    number += 1
                name = f"{base}{number}"
                taken.add(name)
            names[key] = name
    return names


def pointer_order(pointer: str) -> tuple[int, str]:
    """The order `settle` gives pointers: component roots first, then by code point."""
    root = len(jp.split(pointer)) == 3 and pointer.startswith("/components/schemas/")
    return (0 if root else 1, pointer)


def _below(base: str, rest: list[str]) -> str:
    """`base` followed by what each step below a schema adds."""
    name, i = base, 0
    while i < len(rest):
        token = rest[i]
        after = rest[i + 1] if i + 1 < len(rest) else None
        if token in ("properties", "$defs", "definitions") and after is not None:
            name += pascal_word(after, "Property")
            i += 2
        elif token == "patternProperties" and after is not None:
            name += "PatternValue"
            i += 2
        elif token in ("oneOf", "anyOf") and after is not None:
            name += ("OneOf" if token == "oneOf" else "AnyOf") + after
            i += 2
        elif token == "allOf" and after is not None:
            name += "AllOf" + after if i + 2 >= len(rest) else ""  # transparent unless last
            i += 2
        elif token == "prefixItems" and after is not None:
            name += "Item" + after
            i += 2
        elif token == "items":
            name += "Item"
            i += 1
        elif token in ("additionalProperties", "unevaluatedProperties"):
            name += "Value"
            i += 1
        else:
            name += pascal_word(token, "Part")
            i += 1
    return name


def _media(rest: list[str]) -> str:
    """`["content", media type, ...]` → "" for JSON, else the subtype (`FormData`)."""
    if len(rest) >= 2 and rest[0] == "content":
        media = rest[1].split(";", 1)[0].strip().lower()
        if media in ("application/json", "*/*") or media.endswith("+json"):
            return ""
        return pascal_word(media.rsplit("/", 1)[-1], "Media")
    return ""


def _after_schema(rest: list[str]) -> list[str]:
    return rest[3:] if len(rest) >= 3 and rest[0] == "content" and rest[2] == "schema" else []


def _status(status: str) -> str:
    return _NON_ALNUM.sub("", status) if status[:1].isdigit() else pascal_word(status, "Status")
