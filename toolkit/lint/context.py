"""What rules see: the document plus cached walks over operations, parameters and schemas.

Rules see the *bundled* document (one tree, internal refs only; for a single-file spec
that is the loaded data itself, not a copy). Findings carry bundle pointers, which the
engine maps back to the file and position they came from. Every walk is computed once per
run and shared by all rules, so adding a rule costs its own logic only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from toolkit import pointer as jp
from toolkit.load import Document
from toolkit.load.bundle import Bundle

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_SINGLES = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)


_MAP_KEYS = frozenset(SCHEMA_MAPS)
_LIST_KEYS = frozenset(SCHEMA_LISTS)
_SUBSCHEMA_KEYS = _MAP_KEYS | _LIST_KEYS | frozenset(SCHEMA_SINGLES)


@dataclass(frozen=True, slots=True)
class Operation:
    path: str
    method: str
    data: dict[str, Any]
    pointer: str
    path_item: dict[str, Any]
    path_pointer: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True, slots=True)
class Parameter:
    data: dict[str, Any]
    pointer: str  # where it is written (or the $ref site)

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))

    @property
    def location(self) -> str:
        return str(self.data.get("in", ""))


_Chain = tuple[Any, "_Chain"] | str


class SchemaSite:
    """A schema and where it is; the pointer is built only when a rule asks for it."""

    __slots__ = ("_chain", "data")

    def __init__(self, data: dict[str, Any], chain: _Chain) -> None:
        self.data = data
        self._chain = chain

    @property
    def pointer(self) -> str:
        tokens: list[str] = []
        chain = self._chain
        while not isinstance(chain, str):
            token, chain = chain
            tokens.append(jp.escape(token))
        return chain + "".join("/" + t for t in reversed(tokens))


class LintContext:
    def __init__(self, document: Document, bundle: Bundle) -> None:
        self.document = document
        self.bundle = bundle
        self.data = bundle.data
        self.version = document.version
        self._parameters: dict[str, list[Parameter]] = {}

    # -- refs ------------------------------------------------------------------------------

    def ref_target(self, value: Any) -> str | None:
        """The pointer an internal `$ref` object points at, or None."""
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str):
                return jp.from_ref(ref)
        return None

    def deref(self, value: Any) -> Any:
        """The value behind a chain of `$ref`s (load already refused dangling ones and cycles)."""
        return self.deref_site(value, "")[0]

    def deref_site(self, value: Any, pointer: str) -> tuple[Any, str]:
        for _ in range(64):
            target = self.ref_target(value)
            if target is None:
                break
            try:
                value, pointer = jp.resolve(self.data, target), target
            except (KeyError, ValueError):
                break
        return value, pointer

    # -- operations ------------------------------------------------------------------------

    @cached_property
    def operations(self) -> list[Operation]:
        result: list[Operation] = []
        paths = self.data.get("paths")
        if not isinstance(paths, dict):
            return result
        for path, item in paths.items():
            pointer = jp.join("/paths", path)
            item = self.deref(item)
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    result.append(
                        Operation(path, method, op, jp.join(pointer, method), item, pointer)
                    )
        return result

    def parameters(self, op: Operation) -> list[Parameter]:
        """Effective parameters: operation-level ones override path-level ones (name, in)."""
        cached = self._parameters.get(op.pointer)
        if cached is not None:
            return cached
        merged: dict[tuple[str, str], Parameter] = {}
        for owner, base in ((op.path_item, op.path_pointer), (op.data, op.pointer)):
            params = owner.get("parameters")
            if not isinstance(params, list):
                continue
            for index, raw in enumerate(params):
                site = jp.join(base, "parameters", index)
                value = self.deref(raw)
                if isinstance(value, dict):
                    param = Parameter(value, site)
                    merged[(param.name, param.location)] = param
        result = self._parameters[op.pointer] = list(merged.values())
        return result

    def responses(self, op: Operation) -> dict[str, Any]:
        responses = op.data.get("responses")
        return responses if isinstance(responses, dict) else {}

    def status_codes(self, op: Operation) -> set[str]:
        """Documented statuses, upper-cased (`4XX`, `DEFAULT`)."""
        return {str(code).upper() for code in self.responses(op)}

    def security(self, op: Operation) -> list[dict[str, Any]] | None:
        """Effective security requirements; None when neither the op nor the root says."""
        if "security" in op.data:
            value = op.data["security"]
        elif "security" in self.data:
            value = self.data["security"]
        else:
            return None
        return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []

    @cached_property
    def security_schemes(self) -> dict[str, Any]:
        holder = self.data if self.version.is_swagger else self.data.get("components")
        key = "securityDefinitions" if self.version.is_swagger else "securitySchemes"
        schemes = holder.get(key) if isinstance(holder, dict) else None
        return schemes if isinstance(schemes, dict) else {}

    # -- schemas ---------------------------------------------------------------------------

    @cached_property
    def schemas(self) -> list[SchemaSite]:
        """Every schema object written in the document (not through refs), each once."""
        found: list[SchemaSite] = []
        seen: set[int] = set()
        for root_schema, pointer in self._schema_roots():
            stack: list[tuple[Any, _Chain]] = [(root_schema, pointer)]
            while stack:
                schema, chain = stack.pop()
                if type(schema) is not dict or id(schema) in seen:
                    continue
                seen.add(id(schema))
                found.append(SchemaSite(schema, chain))
                for key in schema.keys() & _SUBSCHEMA_KEYS:
                    child = schema[key]
                    if type(child) is dict:
                        if key in _MAP_KEYS:
                            stack.extend((c, (n, (key, chain))) for n, c in child.items())
                        else:
                            stack.append((child, (key, chain)))
                    elif type(child) is list and (key in _LIST_KEYS or key == "items"):
                        stack.extend((c, (i, (key, chain))) for i, c in enumerate(child))
        return found

    def _schema_roots(self) -> Iterator[tuple[Any, str]]:
        data = self.data
        if self.version.is_swagger:
            for name, schema in _items(data.get("definitions")):
                yield schema, jp.join("/definitions", name)
        comps = _mapping(data.get("components"))
        for name, schema in _items(comps.get("schemas")):
            yield schema, jp.join("/components/schemas", name)
        for name, schema in _items(data.get("x-ctk-bundled")):
            yield schema, jp.join("/x-ctk-bundled", name)
        for pointer, holder in self.schema_holders():
            if "schema" in holder:
                yield holder["schema"], jp.join(pointer, "schema")

    def schema_holders(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Objects that carry a `schema`: parameters, headers, media types (2.0: responses too)."""
        data = self.data
        comps = _mapping(data.get("components"))
        for kind in ("parameters", "headers"):
            for name, value in _items(comps.get(kind)):
                yield from _holders_of(value, jp.join("/components", kind, name))
        for name, value in _items(comps.get("responses")):
            yield from _response_holders(value, jp.join("/components/responses", name))
        for name, value in _items(comps.get("requestBodies")):
            yield from _content_holders(value, jp.join("/components/requestBodies", name))
        if self.version.is_swagger:
            for name, value in _items(data.get("parameters")):
                yield from _holders_of(value, jp.join("/parameters", name))
            for name, value in _items(data.get("responses")):
                yield from _response_holders(value, jp.join("/responses", name))
        for path, item in _items(data.get("paths")):
            item_ptr = jp.join("/paths", path)
            if not isinstance(item, dict):
                continue
            for index, param in enumerate(_list(item.get("parameters"))):
                yield from _holders_of(param, jp.join(item_ptr, "parameters", index))
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                op_ptr = jp.join(item_ptr, method)
                for index, param in enumerate(_list(op.get("parameters"))):
                    yield from _holders_of(param, jp.join(op_ptr, "parameters", index))
                body = op.get("requestBody")
                if isinstance(body, dict):
                    yield from _content_holders(body, jp.join(op_ptr, "requestBody"))
                for code, response in _items(op.get("responses")):
                    yield from _response_holders(response, jp.join(op_ptr, "responses", code))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _holders_of(value: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict) or "$ref" in value:
        return
    yield pointer, value
    yield from _content_holders(value, pointer)


def _content_holders(value: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict):
        return
    for media, media_obj in _items(value.get("content")):
        if isinstance(media_obj, dict):
            yield jp.join(pointer, "content", media), media_obj


def _response_holders(value: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict) or "$ref" in value:
        return
    if "schema" in value:  # Swagger 2.0
        yield pointer, value
    yield from _content_holders(value, pointer)
    for name, header in _items(value.get("headers")):
        yield from _holders_of(header, jp.join(pointer, "headers", name))
