"""The hooks into datamodel-code-generator's private APIs (`_dmcg.py`), each on its own: a
generator upgrade that moves one fails here, by name, before anything else does."""

from __future__ import annotations

import json
from typing import Any

from toolkit.generate import _dmcg
from toolkit.generate._adjust import adjust_models
from toolkit.generate.models import GENERATOR_OPTIONS

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            # the same inline enum twice: one class each, never merged on a name
            "A": {"type": "object", "properties": {"mode": {"enum": ["x", "y"]}}},
            "B": {"type": "object", "properties": {"mode": {"enum": ["x", "y"]}}},
            "Labels": {
                "type": "object",
                "properties": {"n": {"type": "integer"}},
                "additionalProperties": {"type": "string"},
            },
        }
    },
}


def _named(pointer: str) -> str | None:
    names = {
        "/components/schemas/A": "Alpha",
        "/components/schemas/B": "Beta",
        "/components/schemas/A/properties/mode": "Mode",
        "/components/schemas/B/properties/mode": "Mode",  # the same base: numbered
        "/components/schemas/Labels": "Labels",
    }
    return names.get(pointer)


class _Positions:
    """Pointers as they are; names from `table`; `shared` places share a class."""

    def __init__(self, table: Any = _named, shared: dict[str, list[str]] | None = None) -> None:
        self._table = table
        self._shared = shared or {}

    def locate(self, pointer: str) -> str:
        return pointer

    def name(self, pointer: str) -> str | None:
        found: str | None = self._table(pointer)
        return found

    def copies(self, pointer: str) -> list[str]:
        return self._shared.get(pointer, [])


def _noop(parser: Any, models: list[Any]) -> None:
    del parser, models


def test_every_model_is_named_by_its_pointer_through_the_generator() -> None:
    text, naming = _dmcg.run(json.dumps(DOC), positions=_Positions(), adjust=_noop, options={})
    assert naming.by_pointer == {
        "/components/schemas/A": "Alpha",
        "/components/schemas/A/properties/mode": "Mode",
        "/components/schemas/B": "Beta",
        "/components/schemas/B/properties/mode": "Mode2",
        "/components/schemas/Labels": "Labels",
    }
    assert naming.unlocated == []
    for name in ("Alpha", "Beta", "Mode", "Mode2", "Labels"):
        assert f"class {name}(" in text
    assert "mode: Mode2 | None" in text and "mode: Mode | None" in text


def test_the_adjust_hook_edits_the_objects_the_templates_render() -> None:
    seen: list[str] = []

    def adjust(parser: Any, models: list[Any]) -> None:
        seen.extend(model.class_name for model in models)
        adjust_models(parser, models)

    text, _ = _dmcg.run(
        json.dumps(DOC), positions=_Positions(), adjust=adjust, options=GENERATOR_OPTIONS
    )
    assert sorted(seen) == ["Alpha", "Beta", "Labels", "Mode", "Mode2"]  # final names
    assert "__pydantic_extra__: dict[str, str]" in text  # what _typed_extras asked for
    assert "Dict[" not in text


def test_a_model_from_no_located_schema_keeps_a_name_of_its_own() -> None:
    text, naming = _dmcg.run(
        json.dumps(DOC), positions=_Positions(lambda _: None), adjust=_noop, options={}
    )
    assert len(naming.unlocated) == 5
    assert naming.by_pointer == {}
    compile(text, "models.py", "exec")


def test_places_sharing_a_class_are_named_with_the_models_by_one_rule() -> None:
    """An alias takes part in the collision rule like a class: `/x/b` (named `Mode`, a copy
    of A's enum) sorts after B's own `mode` (code points), so it takes `Mode3`."""
    shared = {"/components/schemas/A/properties/mode": ["/x/b"]}
    names = {"/x/b": "Mode"}

    def table(pointer: str) -> str | None:
        return names.get(pointer) or _named(pointer)

    text, naming = _dmcg.run(
        json.dumps(DOC), positions=_Positions(table, shared), adjust=_noop, options={}
    )
    assert naming.aliases == [("Mode3", "Mode")]
    assert naming.by_pointer["/x/b"] == "Mode3"
    assert naming.by_pointer["/components/schemas/B/properties/mode"] == "Mode2"
    assert "class Mode2(" in text and "Mode3" not in text  # models.py writes the alias
