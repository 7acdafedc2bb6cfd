"""--stateful: resources inferred from paths and the schemas their operations share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.load import bundle_document, load_document
from toolkit.load.document import Document
from toolkit.mock.resources import infer_resources
from toolkit.model import build_api

REPO = Path(__file__).resolve().parents[3]


def test_things_and_their_parts(things: Document, things_data: dict[str, Any]) -> None:
    found = {r.item: r for r in infer_resources(build_api(things), things_data)}
    assert set(found) == {"/things/{thingId}", "/things/{thingId}/parts/{partId}"}
    things_ = found["/things/{thingId}"]
    assert (things_.param, things_.id_field, things_.list_field) == ("thingId", "id", "items")
    assert (things_.create, things_.read, things_.update, things_.delete) == (
        "create_thing",
        "get_thing",
        "update_thing",
        "delete_thing",
    )
    assert things_.replace is None
    parts = found["/things/{thingId}/parts/{partId}"]
    assert (parts.id_field, parts.parent_fields, parts.list) == (
        "id",
        (("thingId", "thing_id"),),
        None,
    )


def test_prompt_library() -> None:
    document = load_document(REPO / "specs" / "prompt-library.yaml")
    data = bundle_document(document).data
    described = [r.describe() for r in infer_resources(build_api(document), data)]
    assert described == [
        "/prompts/{prompt_id} (id: prompt_id = body.id; create, list, read, update, delete)",
        "/prompts/{prompt_id}/versions/{version} (id: version = body.version; create, list, read)",
    ]


def test_an_item_without_an_id_property_is_no_resource(tmp_path: Path) -> None:
    data = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/notes/{slug}": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "object", "properties": {"text": {}}}
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    document = load_document(path)
    assert infer_resources(build_api(document), bundle_document(document).data) == ()
