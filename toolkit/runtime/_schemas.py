"""JSON Schema validators for the schemas inside the document (jsonschema-rs).

The document is registered once as one resource, so `$ref`s resolve natively and each
pointer compiles to one validator at startup. OpenAPI 3.0 (and Swagger 2.0) schemas are
Draft 4 plus `nullable`; 3.1 schemas are 2020-12. Both are validated on a copy of the schemas
the operations reach (annotations such as description and example are kept: runtime
documents are small) where OpenAPI's additions become JSON Schema: `nullable` (3.0) and the
`int32`/`int64` formats (ranges, as `minimum`/`maximum`). String formats the draft does not
check but the generated models type strictly (`uuid` under Draft 4, `byte`, ...) are checked
by `_formats`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

import jsonschema_rs

from toolkit.pointer import deref, escape, from_ref, resolve

from ._formats import format_checks
from ._views import REQUEST, flags_in, relax_required, strip
from .operation import OperationError

_URI = "urn:ctk:document"
_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SINGLES = (
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
_MESSAGE_LIMIT = 300
# OpenAPI integer formats: the range each one allows (the format registry's meaning).
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_INT_LIMITS: dict[Any, str] = {
    limit: name for name, limits in _INT_FORMATS.items() for limit in limits
}

Validator = jsonschema_rs.Validator


def is_legacy(document: Mapping[str, Any]) -> bool:
    """3.0 and 2.0 documents: Draft 4 semantics plus `nullable`."""
    version = str(document.get("openapi", document.get("swagger", "")))
    return not version.startswith(("3.1", "3.2"))


class Converted(NamedTuple):
    document: dict[str, Any]
    formats: frozenset[str]  # every `format` the reachable schemas use


def convert(document: Mapping[str, Any], roots: Iterable[str], *, legacy: bool = True) -> Converted:
    """A copy of `document` where every schema reachable from `roots` (pointers) has its
    `format: int32/int64` expressed as `minimum`/`maximum` and, when `legacy` (3.0), its
    `nullable: true` as `type: [t, "null"]`, `null` in an `enum`, or
    `anyOf: [schema, {type: null}]`; and the formats those schemas use."""
    doc = copy.deepcopy(dict(document))
    formats: set[str] = set()
    seen: set[int] = set()
    stack: list[Any] = []
    for pointer in roots:
        try:
            stack.append(resolve(doc, pointer))
        except LookupError:
            continue  # reported when its validator is compiled
    while stack:
        node = stack.pop()
        if type(node) is not dict or id(node) in seen:
            continue
        seen.add(id(node))
        ref = node.get("$ref")
        target = from_ref(ref) if isinstance(ref, str) else None
        if target is not None:
            try:
                stack.append(resolve(doc, target))
            except LookupError:
                pass
        for key in _MAPS:
            value = node.get(key)
            if type(value) is dict:
                stack.extend(value.values())
        for key in (*_LISTS, *_SINGLES):
            value = node.get(key)
            if type(value) is list:
                stack.extend(value)
            elif type(value) is dict:
                stack.append(value)
        fmt = node.get("format")
        if isinstance(fmt, str):
            formats.add(fmt)
            if fmt in _INT_FORMATS:
                _add_range(node, legacy)
        if legacy and (node.get("nullable") is True or node.get("x-nullable") is True):
            _add_null(node)
    return Converted(doc, frozenset(formats))


def _add_range(schema: dict[str, Any], legacy: bool) -> None:
    """`format: int32` → the int32 bounds, unless the schema's own bounds are tighter."""
    low, high = _INT_FORMATS[schema["format"]]
    for key, exclusive, limit, sign in (
        ("minimum", "exclusiveMinimum", low, 1),
        ("maximum", "exclusiveMaximum", high, -1),
    ):
        current = schema.get(key)
        if current is None or (_is_number(current) and (current - limit) * sign < 0):
            schema[key] = limit
            if legacy and schema.get(exclusive) is True:  # Draft 4: the flag was for `current`
                schema[exclusive] = False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _add_null(schema: dict[str, Any]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    # An `enum` keeps its members: without null it forbids null (OAS 3.0.3 §4.7.24.1, "other
    # constraints retain their defined behavior"; schemathesis reads requests so too).
    if "type" not in schema and "enum" not in schema:
        inner = dict(schema)
        schema.clear()
        schema["anyOf"] = [inner, {"type": "null"}]


class Schemas:
    """One registry over the whole document; `validator(pointer)` compiles at startup."""

    def __init__(self, document: Mapping[str, Any], pointers: Iterable[str]) -> None:
        self.document = document
        self._legacy = is_legacy(document)
        pointers = list(pointers)
        components = document.get("components")
        named = components.get("schemas") if isinstance(components, Mapping) else None
        roots = [*pointers, *(f"/components/schemas/{escape(n)}" for n in named or {})]
        resource, used = convert(document, roots, legacy=self._legacy)
        # only the checks the document needs: a validator given any `formats=` is slower
        self._formats = format_checks(self._legacy, used) or None
        draft = jsonschema_rs.Draft4 if self._legacy else jsonschema_rs.Draft202012
        try:
            self._registry = jsonschema_rs.Registry([(_URI, resource)], draft=draft)
        except (ValueError, jsonschema_rs.ReferencingError) as error:
            raise OperationError.at(
                "", f"the document's schemas cannot be registered: {error}"
            ) from None
        self.resource = resource
        self._draft = draft
        # `readOnly`/`writeOnly` in use: requests and responses get views of their own
        self._flags = flags_in(resource)
        self._views: dict[str, jsonschema_rs.Registry] = {}
        self._cache: dict[tuple[str, str | None], Validator] = {}

    def validator(self, pointer: str, view: str | None = None) -> Validator:
        """The compiled validator for the schema at `pointer` (cached); OperationError when
        there is no schema there or it does not compile. `view` is `_views.REQUEST` for
        what a client sends and `_views.RESPONSE` for what the server answers."""
        if view not in self._flags:
            view = None
        key = (pointer, view)
        if key in self._cache:
            return self._cache[key]
        try:
            resolve(self.document, pointer)
        except LookupError:
            raise OperationError.at(pointer, f"no schema at {pointer!r} in the document") from None
        wrapper = {"$ref": f"{_URI}#{quote(pointer, safe='/~-._')}"}
        cls = jsonschema_rs.Draft4Validator if self._legacy else jsonschema_rs.Draft202012Validator
        try:
            validator = cls(
                wrapper,
                registry=self._registry if view is None else self._view(view),
                validate_formats=True,
                formats=self._formats,
            )
        except (ValueError, jsonschema_rs.ReferencingError) as error:
            raise OperationError.at(
                pointer,
                f"the schema at {pointer!r} does not compile: {error}",
                hint="run `ctk lint` on the document",
            ) from None
        self._cache[key] = validator
        return validator

    def _view(self, flag: str) -> jsonschema_rs.Registry:
        registry = self._views.get(flag)
        if registry is None:
            document = copy.deepcopy(self.resource)
            relax_required(document, flag)
            registry = jsonschema_rs.Registry([(_URI, document)], draft=self._draft)
            self._views[flag] = registry
        return registry

    def strips_read_only(self) -> bool:
        """Whether request bodies may hold read-only members to remove (`strip_read_only`)."""
        return REQUEST in self._flags

    def strip_read_only(self, value: Any, pointer: str) -> None:
        """Remove from a request `value` the members its schema marks `readOnly` (ADR 0017:
        accepted, then ignored: the server owns them)."""
        if REQUEST in self._flags:
            strip(value, resolve(self.resource, pointer), self.resource, REQUEST)

    def schema(self, pointer: str) -> Any:
        """The (converted) schema at `pointer` with `$ref`s followed; None when unknown."""
        try:
            return deref(self.resource, resolve(self.resource, pointer))
        except LookupError:
            return None


_BOUNDS = (jsonschema_rs.ValidationErrorKind.Minimum, jsonschema_rs.ValidationErrorKind.Maximum)


def errors_of(validator: Validator, instance: Any, limit: int = 20) -> list[tuple[str, str]]:
    """(JSON pointer into `instance`, message) for each way it breaks the schema, sorted.
    A `required` error points at the missing member, an `additionalProperties` one at the
    first unexpected member."""
    found: list[tuple[str, str]] = []
    try:
        for error in validator.iter_errors(instance):
            path = "".join("/" + escape(str(token)) for token in error.instance_path)
            kind = error.kind
            if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
                path += "/" + escape(str(kind.property))
            elif isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
                path += "/" + escape(str(kind.unexpected[0])) if kind.unexpected else ""
            message = str(error.message)
            if isinstance(kind, _BOUNDS) and kind.limit in _INT_LIMITS:
                message += f" (the {_INT_LIMITS[kind.limit]} range)"
            if len(message) > _MESSAGE_LIMIT:
                message = message[: _MESSAGE_LIMIT - 3] + "..."
            found.append((path, message))
            if len(found) >= 1000:
                break
    except ValueError:  # a value jsonschema-rs cannot represent (a huge integer)
        return [("", "the value cannot be validated")]
    return sorted(set(found))[:limit]
