"""Compiled JSON Schema validators for schemas inside an OpenAPI document (jsonschema-rs).

The schemas are registered once as one resource, so `$ref`s inside them resolve natively;
OpenAPI 3.0 / Swagger 2.0 `nullable` is rewritten to JSON Schema on the way. Validators are
compiled per schema and dropped after use (keeping thousands costs hundreds of MB).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import jsonschema_rs

from toolkit import pointer as jp
from toolkit.lint.context import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_SINGLES
from toolkit.load.version import SpecVersion

_URI = "urn:ctk:document"


_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "externalDocs",
        "xml",
        "discriminator",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "nullable",
        "x-nullable",
    }
)
_MAPS = frozenset(SCHEMA_MAPS)
_LISTS = frozenset(SCHEMA_LISTS)
_SINGLES = frozenset(SCHEMA_SINGLES)


def prune(schema: Any, *, legacy: bool) -> Any:
    """A validation-only copy of a schema: annotations dropped (they are most of a big
    spec's bytes) and, for 3.0/2.0, `nullable` rewritten into JSON Schema."""
    if type(schema) is not dict:
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        if key in _MAPS and type(value) is dict:
            out[key] = {name: prune(sub, legacy=legacy) for name, sub in value.items()}
        elif key in _LISTS and type(value) is list:
            out[key] = [prune(sub, legacy=legacy) for sub in value]
        elif key in _SINGLES:
            if type(value) is list:
                out[key] = [prune(sub, legacy=legacy) for sub in value]
            else:
                out[key] = prune(value, legacy=legacy)
        else:
            out[key] = value
    if legacy and (schema.get("nullable") is True or schema.get("x-nullable") is True):
        return _with_null(out)
    return out


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    if "type" not in schema and "enum" not in schema and schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


class SchemaValidators:
    """Validators for the schemas at given pointers.

    Only what `$ref`s inside schemas can reach is handed to jsonschema-rs (components but
    their examples, 2.0 definitions), plus the inline schemas asked for, re-homed under
    `/x-ctk-inline` so their own `#/components/...` refs still resolve. Copying the whole
    document into Rust would cost ~17x its size in memory (220 MB for GitHub's spec).
    """

    def __init__(self, data: dict[str, Any], version: SpecVersion, inline: dict[str, Any]) -> None:
        self._legacy = version.line in ("2.0", "3.0")
        legacy = self._legacy

        def schemas(group: Any) -> dict[str, Any]:
            items = group.items() if isinstance(group, dict) else []
            return {name: prune(schema, legacy=legacy) for name, schema in items}

        components = data.get("components")
        resource: dict[str, Any] = {
            "components": {"schemas": schemas(components.get("schemas"))}
            if isinstance(components, dict)
            else {},
            "definitions": schemas(data.get("definitions")),
            "x-ctk-bundled": schemas(data.get("x-ctk-bundled")),
            "x-ctk-inline": {
                str(i): prune(s, legacy=legacy) for i, s in enumerate(inline.values())
            },
        }
        self._homes = {pointer: f"/x-ctk-inline/{i}" for i, pointer in enumerate(inline)}
        document = resource
        draft = jsonschema_rs.Draft4 if self._legacy else jsonschema_rs.Draft202012
        self._registry = jsonschema_rs.Registry([(_URI, document)], draft=draft)

    def validator(self, pointer: str) -> Any | None:
        """A validator for the schema at `pointer`, or None when the schema does not compile."""
        home = self._home(pointer)
        wrapper = {"$ref": f"{_URI}#{quote(home, safe='/~-._')}"}
        cls = jsonschema_rs.Draft4Validator if self._legacy else jsonschema_rs.Draft202012Validator
        try:
            validator = cls(wrapper, registry=self._registry, validate_formats=True)
        except (ValueError, jsonschema_rs.ReferencingError):
            validator = None
        return validator

    def _home(self, pointer: str) -> str:
        """Where `pointer` lives in the registered resource: an inline schema's home, or a
        home plus the rest of the pointer for a schema nested inside an inline one."""
        prefix = pointer
        while prefix:
            home = self._homes.get(prefix)
            if home is not None:
                return home + pointer[len(prefix) :]
            prefix = prefix.rsplit("/", 1)[0]
        return pointer

    def errors(self, pointer: str, instance: Any) -> list[tuple[str, str]]:
        """(instance pointer, message) for each way `instance` breaks the schema (max 3)."""
        validator = self.validator(pointer)
        return [] if validator is None else errors_of(validator, instance)


def errors_of(validator: Any, instance: Any, limit: int = 3) -> list[tuple[str, str]]:
    """(instance pointer, message) for the first `limit` ways `instance` breaks the schema,
    sorted: jsonschema-rs reports some errors in hash order, and reports must be stable."""
    found: list[tuple[str, str]] = []
    try:
        for error in validator.iter_errors(instance):
            path = jp.from_tokens(error.instance_path)
            found.append((path, str(error.message)))
            if len(found) >= 1000:
                break
    except ValueError:  # a value jsonschema-rs cannot represent (e.g. huge ints)
        return []
    return sorted(found)[:limit]
