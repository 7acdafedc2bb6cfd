"""3.0 `nullable` → JSON Schema, Draft 4 for 3.0 and 2020-12 for 3.1, annotations kept."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.runtime._schemas import Schemas, convert


def doc(version: str, schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_nullable_forms() -> None:
    source = doc(
        "3.0.3",
        {
            "Typed": {"type": "string", "nullable": True, "description": "kept"},
            "Enum": {"enum": ["a"], "nullable": True},
            "Ref": {"allOf": [{"$ref": "#/components/schemas/Typed"}], "nullable": True},
            "Plain": {"type": "integer", "nullable": False},
        },
    )
    out = convert(
        source,
        [
            "/components/schemas/Typed",
            "/components/schemas/Enum",
            "/components/schemas/Ref",
            "/components/schemas/Plain",
        ],
    )
    schemas = out["components"]["schemas"]
    assert schemas["Typed"]["type"] == ["string", "null"]
    assert schemas["Typed"]["description"] == "kept"
    assert schemas["Enum"]["enum"] == ["a", None]
    assert schemas["Ref"]["anyOf"][1] == {"type": "null"}
    assert schemas["Plain"]["type"] == "integer"
    assert source["components"]["schemas"]["Typed"]["type"] == "string"  # the input is untouched


def test_nested_and_referenced_schemas_are_converted() -> None:
    source = doc(
        "3.0.3",
        {
            "Outer": {
                "type": "object",
                "properties": {"inner": {"$ref": "#/components/schemas/Inner"}},
            },
            "Inner": {
                "type": "array",
                "items": {"type": "integer", "nullable": True},
                "nullable": True,
            },
        },
    )
    schemas = Schemas(source, ["/components/schemas/Outer"])
    validator = schemas.validator("/components/schemas/Outer")
    assert validator.is_valid({"inner": None})
    assert validator.is_valid({"inner": [1, None]})
    assert not validator.is_valid({"inner": ["x"]})


@pytest.mark.parametrize(
    ("version", "schema", "valid", "invalid"),
    [
        ("3.0.3", {"type": "number", "minimum": 0, "exclusiveMinimum": True}, 1, 0),
        ("3.1.0", {"type": "number", "exclusiveMinimum": 0}, 1, 0),
        ("3.1.0", {"type": ["string", "null"]}, None, 1),
        ("3.0.3", {"type": "string", "format": "date-time"}, "2026-01-01T00:00:00Z", "soon"),
    ],
)
def test_drafts(version: str, schema: dict[str, Any], valid: Any, invalid: Any) -> None:
    validator = Schemas(doc(version, {"S": schema}), ["/components/schemas/S"]).validator(
        "/components/schemas/S"
    )
    assert validator.is_valid(valid)
    assert not validator.is_valid(invalid)
