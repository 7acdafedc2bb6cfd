"""The schema copy datamodel-code-generator sees: adjusted where it matters, data left alone."""

from __future__ import annotations

from typing import Any

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


def test_an_inline_enum_with_a_default_moves_to_a_component_and_keeps_its_default() -> None:
    mode = {"type": "string", "enum": ["on", "off"], "description": "how"}
    schemas: dict[str, Any] = {
        "Mode": {"type": "object"},  # taken: the new component is numbered
        "A": {"type": "object", "properties": {"mode": {**mode, "default": "on"}}},
        "B": {"type": "object", "properties": {"mode": {**mode, "default": "off"}}},
        "C": {"type": "object", "properties": {"mode": dict(mode)}},
        "D": {"type": "object", "properties": {"m": {**mode, "nullable": True, "default": "on"}}},
    }
    adjust(schemas, openapi31=False, namer=Namer(set(schemas), joined=True))
    ref = {"$ref": "#/components/schemas/Mode2"}
    assert schemas["Mode2"] == {"type": "string", "enum": ["on", "off"]}  # one, shared
    assert schemas["A"]["properties"]["mode"] == {**ref, "description": "how", "default": "on"}
    assert schemas["B"]["properties"]["mode"] == {**ref, "description": "how", "default": "off"}
    assert schemas["C"]["properties"]["mode"] == mode  # no default: left alone
    assert "enum" in schemas["D"]["properties"]["m"]  # nullable: left alone


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
