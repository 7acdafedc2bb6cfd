"""Spec shapes real providers use that once made `ctk contract check` cry wolf: servers
declared on a path item or an operation (Box), and `$ref` fragments percent-encoded
(DigitalOcean). Each pact below fits its spec, so the check must find nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.verify.compat import check_contracts

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "quirks", "version": "1"},
    "servers": [{"url": "https://api.example.test/2.0"}],
    "paths": {
        "/files/{id}": {"$ref": "#/x-shared/~1files~1%7Bid%7D"},
        "/things/{id}": {
            "get": {
                "servers": [{"url": "https://dl.example.test/v9"}],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"$ref": "#/components/responses/Thing"}},
            }
        },
    },
    "x-shared": {
        "/files/{id}": {
            "servers": [
                {
                    "url": "https://upload.example.test/api/{version}",
                    "variables": {"version": {"default": "2.1"}},
                }
            ],
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "fields", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"$ref": "#/components/responses/Thing"}},
            },
        }
    },
    "components": {
        "responses": {
            "Thing": {
                "description": "a thing",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {"id": {"type": "string"}},
                        }
                    }
                },
            }
        }
    },
}


def interaction(path: str, query: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "GET", "path": path}
    if query is not None:
        request["query"] = query
    return {
        "description": f"GET {path}",
        "request": request,
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {"id": "1"},
        },
    }


def test_path_and_operation_servers_and_encoded_refs_raise_no_false_alarm(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    pact = tmp_path / "pact.json"
    pact.write_text(
        json.dumps(
            {
                "consumer": {"name": "c"},
                "provider": {"name": "p"},
                "interactions": [
                    interaction("/api/2.1/files/7", "fields=name"),  # path-item servers
                    interaction("/v9/things/7"),  # operation servers
                    interaction("/2.0/things/7"),  # document servers
                ],
                "metadata": {"pactSpecification": {"version": "2.0.0"}},
            }
        ),
        encoding="utf-8",
    )
    outcome = check_contracts(spec, [pact])
    assert outcome.diagnostics == (), [d.message for d in outcome.diagnostics]


def test_a_path_under_no_declared_server_is_still_unknown(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    pact = tmp_path / "pact.json"
    pact.write_text(
        json.dumps(
            {
                "consumer": {"name": "c"},
                "provider": {"name": "p"},
                "interactions": [interaction("/v3/things/7")],
                "metadata": {"pactSpecification": {"version": "2.0.0"}},
            }
        ),
        encoding="utf-8",
    )
    rules = [d.rule for d in check_contracts(spec, [pact]).diagnostics]
    assert rules == ["contract-unknown-path"]
