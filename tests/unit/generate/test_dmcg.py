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


def _noop(parser: Any, models: list[Any]) -> None:
    del parser, models


def test_every_model_is_named_by_its_pointer_through_the_generator() -> None:
    text, naming = _dmcg.run(json.dumps(DOC), namer=_named, adjust=_noop, options={})
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

    text, _ = _dmcg.run(json.dumps(DOC), namer=_named, adjust=adjust, options=GENERATOR_OPTIONS)
    assert sorted(seen) == ["Alpha", "Beta", "Labels", "Mode", "Mode2"]  # final names
    assert "__pydantic_extra__: dict[str, str]" in text  # what _typed_extras asked for
    assert "Dict[" not in text


def test_a_model_from_no_located_schema_keeps_a_name_of_its_own() -> None:
    text, naming = _dmcg.run(json.dumps(DOC), namer=lambda _: None, adjust=_noop, options={})
    assert len(naming.unlocated) == 5
    assert naming.by_pointer == {}
    compile(text, "models.py", "exec")
