"""readOnly members are not sent, writeOnly members are not received: what changes in them
on that side breaks nobody (oasdiff calls these info); a flip of the flag is still reported."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from toolkit.diff import diff_specs

THING: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "readOnly": True, "enum": ["a", "b"], "maxLength": 9},
        "name": {"type": "string"},
        "secret": {"type": "string", "writeOnly": True, "enum": ["x"]},
    },
}


def _spec(thing: dict[str, Any]) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {"required": True, **body},
                    "responses": {"201": {"description": "made", **body}},
                }
            }
        },
        "components": {"schemas": {"Thing": thing}},
    }


def _rules(tmp_path: Path, change: Any) -> list[tuple[str, str]]:
    new = copy.deepcopy(THING)
    change(new)
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(_spec(THING)))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(_spec(new)))
    outcome = diff_specs(str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    return sorted((d.rule, d.severity.label) for d in outcome.diagnostics)


def test_a_read_only_member_narrowed_is_only_a_response_change(tmp_path: Path) -> None:
    def narrow(thing: dict[str, Any]) -> None:
        thing["properties"]["id"]["enum"] = ["a"]
        thing["properties"]["id"]["maxLength"] = 5

    # on the request side it is never sent: nothing; on the response side fewer values and a
    # lower bound break nothing either (a narrower response)
    assert [r for r in _rules(tmp_path, narrow) if r[1] == "error"] == []


def test_a_write_only_member_widened_breaks_no_reader(tmp_path: Path) -> None:
    def widen(thing: dict[str, Any]) -> None:
        thing["properties"]["secret"]["enum"] = ["x", "y"]
        thing["required"].append("secret")

    found = _rules(tmp_path, widen)
    # the request now needs it: breaking; the response never carries it: nothing more
    assert ("property-now-required", "error") in found
    assert [r for r in found if r[1] == "error"] == [("property-now-required", "error")]


def test_the_flag_itself_flipping_is_still_reported(tmp_path: Path) -> None:
    def flip(thing: dict[str, Any]) -> None:
        del thing["properties"]["id"]["readOnly"]

    assert ("schema-read-write-changed", "warning") in _rules(tmp_path, flip)
