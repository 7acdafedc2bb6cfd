"""Class names from positions (ADR 0015): each rule, the one collision rule, and the property
the design exists for: other schemas never rename a class."""

from __future__ import annotations

import random

import pytest

from toolkit.model.class_names import PositionNamer, pointer_order, settle

DOCUMENT = {
    "paths": {
        "/prompts": {
            "post": {"operationId": "createPrompt"},
            "get": {
                "operationId": "listPrompts",
                "parameters": [
                    {"name": "limit", "in": "query"},
                    {"$ref": "#/components/parameters/Tag"},
                ],
            },
        },
        "/prompts/{prompt_id}": {"delete": {}},
    },
    "components": {"parameters": {"Tag": {"name": "tag", "in": "query"}}},
}


@pytest.mark.parametrize(
    ("pointer", "name"),
    [
        ("/components/schemas/Prompt", "Prompt"),
        ("/components/schemas/prompt-version", "PromptVersion"),
        ("/components/schemas/Repository/properties/permissions", "RepositoryPermissions"),
        ("/components/schemas/Page/properties/items/items", "PageItemsItem"),
        ("/components/schemas/Labels/additionalProperties", "LabelsValue"),
        ("/components/schemas/Pet/oneOf/1", "PetOneOf1"),
        ("/components/schemas/Pet/anyOf/0/properties/tag", "PetAnyOf0Tag"),
        ("/components/schemas/Cat/allOf/1/properties/meow", "CatMeow"),  # allOf adds nothing
        ("/components/schemas/Cat/allOf/1", "CatAllOf1"),  # ... unless it is the model
        ("/components/schemas/Doc/$defs/Part", "DocPart"),
        ("/components/schemas/Tuple/prefixItems/0", "TupleItem0"),
        (
            "/paths/~1prompts/post/requestBody/content/application~1json/schema",
            "CreatePromptRequest",
        ),
        (
            "/paths/~1prompts/post/requestBody/content/multipart~1form-data/schema/properties/file",
            "CreatePromptRequestFormDataFile",
        ),
        (
            "/paths/~1prompts/post/responses/201/content/application~1json/schema",
            "CreatePrompt201Response",
        ),
        (
            "/paths/~1prompts/post/responses/4XX/content/application~1problem+json/schema",
            "CreatePrompt4XXResponse",
        ),
        (
            "/paths/~1prompts/post/responses/default/content/application~1json/schema",
            "CreatePromptDefaultResponse",
        ),
        ("/paths/~1prompts/get/parameters/0/schema", "ListPromptsLimitParam"),
        ("/paths/~1prompts/get/parameters/1/schema", "ListPromptsTagParam"),  # through its $ref
        ("/paths/~1prompts/get/parameters/7/schema", "ListPromptsP7Param"),
        (
            "/paths/~1prompts~1{prompt_id}/delete/responses/404/content/application~1json/schema",
            "DeletePromptsPromptId404Response",
        ),
        ("/components/requestBodies/NewPet/content/application~1json/schema", "NewPetRequest"),
        (
            "/components/responses/Error/content/application~1json/schema/properties/code",
            "ErrorResponseCode",
        ),
        ("/components/parameters/Tag/schema", "TagParam"),
    ],
)
def test_each_position_names_its_class(pointer: str, name: str) -> None:
    assert PositionNamer(DOCUMENT).name(pointer) == name


@pytest.mark.parametrize(
    "pointer", ["", "/info", "/paths/~1prompts/post", "/components/examples/x"]
)
def test_places_no_model_comes_from_have_no_name(pointer: str) -> None:
    assert PositionNamer(DOCUMENT).name(pointer) is None


def test_the_collision_rule() -> None:
    entries = [
        ("Field", "/components/schemas/Field"),  # reserved: gets Model
        ("PetTag", "/components/schemas/Pet/properties/tag"),
        ("PetTag", "/components/schemas/PetTag"),  # the component root keeps the name
        ("PetTag", "/components/schemas/Pet/allOf/0/properties/tag"),
        ("PetTag2", "/components/schemas/PetTag2"),  # a real PetTag2: the suffix skips it
    ]
    assert settle(entries, sort_key=pointer_order) == {
        "/components/schemas/Field": "FieldModel",
        "/components/schemas/PetTag": "PetTag",
        "/components/schemas/Pet/allOf/0/properties/tag": "PetTag3",
        "/components/schemas/Pet/properties/tag": "PetTag4",
        "/components/schemas/PetTag2": "PetTag2",
    }


def _entries(pointers: list[str]) -> list[tuple[str, str]]:
    namer = PositionNamer(DOCUMENT)
    return [(namer.name(p) or "", p) for p in pointers]


ORIGINAL = [
    "/components/schemas/Prompt",
    "/components/schemas/Prompt/properties/tags/items",
    "/components/schemas/PromptCreate/properties/tags/items",
    "/components/schemas/Repository/properties/permissions",
    "/components/schemas/RepositoryPermissions",
    "/paths/~1prompts/post/requestBody/content/application~1json/schema",
]


def test_padding_and_reordering_rename_nothing() -> None:
    before = settle(_entries(ORIGINAL), sort_key=pointer_order)
    padding = [f"/components/schemas/Pad{i}/properties/inner{i % 7}" for i in range(1_000)]
    padding += [f"/components/schemas/Pad{i}" for i in range(1_000)]
    mixed = ORIGINAL + padding
    random.Random(7).shuffle(mixed)
    after = settle(_entries(mixed), sort_key=pointer_order)
    assert {p: after[p] for p in ORIGINAL} == before
    assert before["/components/schemas/RepositoryPermissions"] == "RepositoryPermissions"
    assert (
        before["/components/schemas/Repository/properties/permissions"] == "RepositoryPermissions2"
    )
