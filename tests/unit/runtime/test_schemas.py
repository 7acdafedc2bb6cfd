"""3.0 `nullable` → JSON Schema, Draft 4 for 3.0 and 2020-12 for 3.1, annotations kept."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.runtime._schemas import Schemas, convert, errors_of


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
            "TypedEnum": {"type": "string", "enum": ["a"], "nullable": True},
            "NullEnum": {"type": "string", "enum": ["a", None], "nullable": True},
            "Ref": {"allOf": [{"$ref": "#/components/schemas/Typed"}], "nullable": True},
            "Plain": {"type": "integer", "nullable": False},
        },
    )
    out, used = convert(
        source,
        [
            "/components/schemas/Typed",
            "/components/schemas/Enum",
            "/components/schemas/TypedEnum",
            "/components/schemas/NullEnum",
            "/components/schemas/Ref",
            "/components/schemas/Plain",
        ],
    )
    schemas = out["components"]["schemas"]
    assert schemas["Typed"]["type"] == ["string", "null"]
    assert schemas["Typed"]["description"] == "kept"
    # an enum without null forbids null (OAS 3.0.3: other constraints keep their meaning)
    assert schemas["Enum"]["enum"] == ["a"]
    assert (schemas["TypedEnum"]["type"], schemas["TypedEnum"]["enum"]) == (
        ["string", "null"],
        ["a"],
    )
    assert schemas["NullEnum"]["enum"] == ["a", None]
    assert schemas["Ref"]["anyOf"][1] == {"type": "null"}
    assert schemas["Plain"]["type"] == "integer"
    assert source["components"]["schemas"]["Typed"]["type"] == "string"  # the input is untouched
    assert used == frozenset()


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


INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize(("fmt", "bounds"), [("int32", INT32), ("int64", INT64)])
def test_integer_formats_are_ranges(version: str, fmt: str, bounds: tuple[int, int]) -> None:
    schemas = Schemas(doc(version, {"N": {"type": "integer", "format": fmt}}), [])
    validator = schemas.validator("/components/schemas/N")
    low, high = bounds
    assert validator.is_valid(low) and validator.is_valid(high)
    assert errors_of(validator, high + 1) == [
        ("", f"{high + 1} is greater than the maximum of {high} (the {fmt} range)")
    ]
    assert errors_of(validator, low - 1) == [
        ("", f"{low - 1} is less than the minimum of {low} (the {fmt} range)")
    ]
    assert not validator.is_valid(10**30)


def test_integer_format_keeps_tighter_bounds_and_the_draft4_exclusive_flag() -> None:
    source = doc(
        "3.0.3",
        {
            "Tight": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10},
            "Loose": {
                "type": "integer",
                "format": "int32",
                "maximum": 1e12,
                "exclusiveMaximum": True,  # Draft 4: about 1e12, not about the int32 maximum
            },
            "Exclusive": {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "exclusiveMinimum": True,
            },
        },
    )
    schemas = Schemas(source, [])
    tight = schemas.validator("/components/schemas/Tight")
    assert tight.is_valid(10) and not tight.is_valid(11) and not tight.is_valid(-1)
    loose = schemas.validator("/components/schemas/Loose")
    assert loose.is_valid(2**31 - 1) and not loose.is_valid(2**31)
    exclusive = schemas.validator("/components/schemas/Exclusive")
    assert not exclusive.is_valid(0) and exclusive.is_valid(2**63 - 1)
    assert source["components"]["schemas"]["Tight"] == {  # the input is untouched
        "type": "integer",
        "format": "int32",
        "minimum": 0,
        "maximum": 10,
    }


def test_integer_format_inside_a_nested_31_schema() -> None:
    source = doc(
        "3.1.0",
        {
            "Page": {
                "type": "object",
                "properties": {
                    "items": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Page/$defs/n"},
                    }
                },
                "$defs": {"n": {"type": ["integer", "null"], "format": "int32"}},
            }
        },
    )
    validator = Schemas(source, []).validator("/components/schemas/Page")
    assert validator.is_valid({"items": [1, None]})
    assert errors_of(validator, {"items": [1, 2**31]}) == [
        ("/items/1", "2147483648 is greater than the maximum of 2147483647 (the int32 range)")
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize(
    ("fmt", "valid", "invalid"),
    [
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456"),
        ("duration", "P1Y2M3DT4H5M6S", "1 day"),
        ("date", "2026-02-28", "2026-02-30"),
        ("date-time", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00"),
        ("time", "12:00:00Z", "25:00:00Z"),
        ("ipv4", "192.0.2.1", "192.0.2"),
        ("ipv6", "2001:db8::1", "2001:db8:::1"),
        ("uri", "https://example.test/a?b", "no scheme"),
        ("byte", "nA==", "nA="),
        ("uuid4", "123e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000"),
    ],
)
def test_string_formats_are_checked_under_both_drafts(
    version: str, fmt: str, valid: str, invalid: str
) -> None:
    schemas = Schemas(doc(version, {"S": {"format": fmt}}), [])
    validator = schemas.validator("/components/schemas/S")
    assert validator.is_valid(valid)
    assert errors_of(validator, invalid) == [("", f'"{invalid}" is not a "{fmt}"')]
    assert validator.is_valid(5)  # a format constrains strings only


def test_unknown_formats_are_ignored() -> None:
    schemas = Schemas(doc("3.0.3", {"S": {"type": "string", "format": "color"}}), [])
    assert schemas.validator("/components/schemas/S").is_valid("anything")


def test_convert_reports_the_formats_reachable_schemas_use() -> None:
    source = doc(
        "3.1.0",
        {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "C": {"type": "integer", "format": "int32"},
        },
    )
    assert convert(source, ["/components/schemas/A"], legacy=False).formats == {"uuid"}
    validator = Schemas(source, []).validator("/components/schemas/A")
    assert not validator.is_valid({"b": ["x"]})
