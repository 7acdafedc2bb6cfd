"""The schema copy datamodel-code-generator sees: adjusted where it matters, data left alone."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.generate.schemas import adjust
from toolkit.model.names import Namer


def test_keywords_are_adjusted_only_in_schema_positions() -> None:
    schemas: dict[str, Any] = {
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"propertyName": "kind"},
        },
        "Cat": {
            "type": "object",
            "properties": {
                # properties *named* like keywords are data, not keywords
                "discriminator": {"type": "object", "properties": {"propertyName": {}}},
                "enum": {"type": "string", "enum": ["a", "a", "b"]},
            },
            "example": {"enum": [1, 1]},
        },
    }
    adjust(schemas, openapi31=False)
    assert "discriminator" not in schemas["Pet"]
    assert set(schemas["Cat"]["properties"]) == {"discriminator", "enum"}
    assert schemas["Cat"]["properties"]["enum"]["enum"] == ["a", "b"]
    assert schemas["Cat"]["example"] == {"enum": [1, 1]}


def test_enum_duplicates_compare_by_json_type() -> None:
    schemas: dict[str, Any] = {"E": {"enum": [1, True, 1, "1", True, None, None]}}
    adjust(schemas, openapi31=False)
    assert schemas["E"]["enum"] == [1, True, "1", None]


def test_open_schemas_become_objects_and_their_uses_unions() -> None:
    schemas: dict[str, Any] = {
        "Open": {"properties": {"a": {"type": "string"}}},
        "Child": {"allOf": [{"$ref": "#/components/schemas/Open"}, {"required": ["a"]}]},
        "Typed": {"type": "object", "properties": {"a": {"type": "string"}}},
        "Holder": {
            "type": "object",
            "properties": {
                "open": {"$ref": "#/components/schemas/Open"},
                "typed": {"$ref": "#/components/schemas/Typed"},
            },
        },
    }
    assert adjust(schemas, openapi31=True).open == {"Open", "Child"}
    assert schemas["Open"]["type"] == "object"
    open_use = schemas["Holder"]["properties"]["open"]
    assert open_use["anyOf"][0] == {"$ref": "#/components/schemas/Open"}
    assert {"type": "null"} in open_use["anyOf"]
    assert schemas["Holder"]["properties"]["typed"] == {"$ref": "#/components/schemas/Typed"}


def test_class_names_are_numbered_without_underscores() -> None:
    namer = Namer({"Pet"}, joined=True)
    assert [namer.claim("Pet"), namer.claim("Pet"), namer.claim("Cat")] == ["Pet2", "Pet3", "Cat"]
    assert Namer({"pet"}).claim("pet") == "pet_2"  # handlers and arguments keep `_2`


def test_schemas_without_anything_to_adjust_stay_as_they_are() -> None:
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
    schemas: dict[str, Any] = {"A": schema, "L": {"type": "array", "items": {"type": "integer"}}}
    before = repr(schemas)
    adjust(schemas, openapi31=False)
    assert repr(schemas) == before


@pytest.mark.parametrize(
    ("schema", "openapi31", "fitted"),
    [
        ({"type": "integer", "default": "x"}, True, {"type": ["integer", "string"]}),
        ({"type": "boolean", "default": 1}, False, {"type": ["boolean", "integer"]}),
        ({"type": "number", "default": 2}, True, {"type": "number"}),  # an int is a number
        ({"type": "string", "default": None}, False, {"type": "string", "nullable": True}),
        ({"type": "string", "default": None}, True, {"type": ["string", "null"]}),
        ({"type": "string", "format": "uri", "default": ""}, True, {"type": "string"}),
        (
            {"type": "string", "format": "date-time", "default": "2020-01-01T00:00:00Z"},
            True,
            {"type": "string", "format": "date-time"},
        ),
        ({"type": "string", "default": "plain"}, True, {"type": "string"}),
    ],
)
def test_a_default_the_schema_refuses_is_made_to_fit(
    schema: dict[str, Any], openapi31: bool, fitted: dict[str, Any]
) -> None:
    schemas: dict[str, Any] = {"M": {"type": "object", "properties": {"p": dict(schema)}}}
    adjust(schemas, openapi31=openapi31)
    assert schemas["M"]["properties"]["p"] == {**fitted, "default": schema["default"]}


def test_a_union_of_open_branches_adds_the_other_json_values_once() -> None:
    open_part = {"properties": {"a": {"type": "string"}}}
    schemas: dict[str, Any] = {
        "U": {"oneOf": [dict(open_part), dict(open_part)]},
        "T": {"type": "array", "prefixItems": [dict(open_part), dict(open_part)]},
    }
    adjust(schemas, openapi31=True)
    first, second = schemas["U"]["oneOf"]
    assert "anyOf" in first and "anyOf" not in second and second["type"] == "object"
    assert all("anyOf" in item for item in schemas["T"]["prefixItems"])  # positions, not a union


def test_a_discriminated_base_may_hold_the_schemas_extending_it() -> None:
    schemas: dict[str, Any] = {
        "Base": {"type": "object", "discriminator": {"propertyName": "k"}},
        "One": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object"}]},
        "Open": {"properties": {"a": {"type": "string"}}},
    }
    shapes = adjust(schemas, openapi31=True)
    assert shapes.variants == {"Base": ("One",)}
    assert shapes.type_of("Base") == "models.Base | models.One"
    assert shapes.type_of("One") == "models.One"
    assert shapes.type_of("Open", annotation=False).startswith("models.Open | list[Any]")


def test_a_property_restated_as_the_base_has_it_is_left_to_the_base() -> None:
    kind = {"type": "string", "enum": ["user", "guest"]}
    schemas: dict[str, Any] = {
        "Base": {"type": "object", "properties": {"type": {**kind, "description": "base"}}},
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {
                    "properties": {
                        "type": {**kind, "description": "child"},  # the same type
                        "narrow": {"type": "string"},
                    }
                },
            ]
        },
        "Other": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"properties": {"type": {"type": "string", "enum": ["user"]}}},  # narrower
            ]
        },
    }
    adjust(schemas, openapi31=True)
    assert list(schemas["Child"]["allOf"][1]["properties"]) == ["narrow"]
    assert list(schemas["Other"]["allOf"][1]["properties"]) == ["type"]
