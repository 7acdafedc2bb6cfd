"""Real pact files written by others (V1 to V4, legacy matchers, XML and binary bodies,
message interactions), each against a spec that describes its provider: every version's
shapes are read the way its consumer meant them, so a matching spec finds no errors, and
what cannot be checked is said, not skipped silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.verify.compat import check_contracts

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "pacts"
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/pacts is not beside the repo"
)

STRING = {"type": "string"}


def ok(schema: Any = None, media: str = "application/json", **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok", **extra}
    if schema is not None:
        response["content"] = {media: {"schema": schema}}
    return response


def openapi(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


SPECS: dict[str, dict[str, Any]] = {
    # Swagger 2.0 on purpose: basePath, produces, and parameters without `schema`
    "v1-alice-service.json": {
        "swagger": "2.0",
        "info": {"title": "alice", "version": "1"},
        "basePath": "/",
        "produces": ["text/html"],
        "paths": {
            "/mallory": {
                "get": {
                    "parameters": [
                        {"name": "name", "in": "query", "type": "string"},
                        {"name": "status", "in": "query", "type": "string", "enum": ["good"]},
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"type": "string"}}},
                }
            }
        },
    },
    "v2-userserviceclient-userservice.json": openapi(
        {
            "/users/{name}": {
                "get": {
                    "parameters": [
                        {"name": "name", "in": "path", "required": True, "schema": STRING}
                    ],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["name", "id", "created_on", "ip_address", "admin"],
                                "properties": {
                                    "name": STRING,
                                    "id": {"type": "string", "format": "uuid"},
                                    "created_on": STRING,
                                    "ip_address": STRING,
                                    "admin": {"type": "boolean"},
                                },
                            }
                        ),
                        "404": {"description": "no such user"},
                    },
                }
            }
        }
    ),
    "v3-old-format-matchers.json": openapi(
        {
            "/": {
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "array", "items": STRING}},
                        {"name": "r", "in": "query", "schema": STRING},
                        {"name": "testreqheader", "in": "header", "schema": STRING},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"test": {"type": "boolean"}},
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["responsetest"],
                                "properties": {"responsetest": {"type": "boolean"}},
                            },
                            headers={"testreqheader": {"schema": STRING}},
                        )
                    },
                }
            }
        }
    ),
    "v3-todoapp-todoservicev3.json": openapi(
        {
            "/projects": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "projects",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "name", "tasks"],
                                            "properties": {
                                                "id": {"type": "integer"},
                                                "name": STRING,
                                                "tasks": {
                                                    "type": "array",
                                                    "items": {
                                                        "type": "object",
                                                        "required": ["id", "name", "done"],
                                                        "properties": {
                                                            "id": {"type": "integer"},
                                                            "name": STRING,
                                                            "done": {"type": "boolean"},
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    }
                                },
                                "application/xml": {
                                    "schema": {"type": "array", "items": {"type": "object"}}
                                },
                            },
                        }
                    }
                }
            }
        }
    ),
    "v4-http-binary-body.json": openapi(
        {
            "/": {
                "get": {
                    "responses": {"200": ok({"type": "string", "format": "binary"}, "image/gif")}
                }
            }
        }
    ),
    "v4-mixed-http-and-messages.json": openapi(
        {
            "/alligators": {
                "get": {
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["alligators"],
                                "properties": {
                                    "alligators": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["name", "phoneNumber"],
                                            "properties": {"name": STRING, "phoneNumber": STRING},
                                        },
                                    }
                                },
                            }
                        )
                    }
                }
            }
        }
    ),
}

# What each check reports beyond "no errors": (rule, pointer in the pact).
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "v1-alice-service.json": [
        # the consumer reads CORS headers the spec does not declare
        ("contract-undeclared-response-header", "/interactions/0/response/headers"),
        ("contract-undeclared-response-header", "/interactions/0/response/headers"),
        ("contract-undeclared-response-header", "/interactions/0/response/headers"),
        ("contract-not-checked", "/interactions/0/response/body"),
    ],
    "v2-userserviceclient-userservice.json": [],
    "v3-old-format-matchers.json": [],
    "v3-todoapp-todoservicev3.json": [("contract-not-checked", "/interactions/1/response/body")],
    "v4-http-binary-body.json": [("contract-not-checked", "/interactions/0/response/body/content")],
    "v4-mixed-http-and-messages.json": [
        ("contract-not-checked", "/interactions/0"),
        ("contract-not-checked", "/interactions/2"),
    ],
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_each_shared_pact_against_its_providers_spec(tmp_path: Path, name: str) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPECS[name]), encoding="utf-8")
    outcome = check_contracts(spec, [SHARED / name])
    found = [(d.rule, d.location.pointer) for d in outcome.diagnostics]
    assert found == EXPECTED[name], [d.message for d in outcome.diagnostics]


def test_the_v2_regex_matchers_are_read_as_the_consumer_means_them(tmp_path: Path) -> None:
    """The consumer's `id` is regex-matched to a UUID: a spec promising integers breaks it
    (an error: no string fits). `created_on`'s regex example is not a `date`: the regex may
    not be satisfiable by the schema (a warning: a regex is not proven unsatisfiable)."""
    name = "v2-userserviceclient-userservice.json"
    spec_data = json.loads(json.dumps(SPECS[name]))
    schema = spec_data["paths"]["/users/{name}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    schema["properties"]["id"] = {"type": "integer"}
    schema["properties"]["created_on"] = {"type": "string", "format": "date"}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(spec_data), encoding="utf-8")
    outcome = check_contracts(spec, [SHARED / name])
    assert [(d.rule, d.severity.label, d.location.pointer) for d in outcome.diagnostics] == [
        ("contract-regex", "warning", "/interactions/0/response/body/created_on"),
        ("contract-invalid-response-body", "error", "/interactions/0/response/body/id"),
    ]
