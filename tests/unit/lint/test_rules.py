"""Each rule fires on a bad document and stays quiet on a good one."""

from __future__ import annotations

import pytest

from tests.unit.lint.conftest import Lint
from toolkit.errors import Severity
from toolkit.lint import RULES

GOOD = """
openapi: 3.1.0
info: {title: Pets, version: "1", description: Pets API, contact: {name: Team}}
servers: [{url: "https://api.example.com"}]
tags: [{name: pets, description: Pets}]
security: [{key: [pets:read]}]
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      description: Lists pets, a page at a time.
      tags: [pets]
      parameters:
        - {name: cursor, in: query, description: Where to start, schema: {type: string}}
        - {name: limit, in: query, description: Page size, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: A page
          content:
            application/json:
              schema: {$ref: "#/components/schemas/PetPage"}
              example: {items: [{id: 1, name: Rex}], next_cursor: null}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
  /pets/{pet_id}:
    parameters:
      - {name: pet_id, in: path, required: true, description: The pet, schema: {type: integer, format: int64}}
    get:
      operationId: getPet
      summary: Get a pet
      description: Returns one pet.
      tags: [pets]
      responses:
        "200":
          description: The pet
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
components:
  securitySchemes:
    key:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: /token, scopes: {"pets:read": read}}}
  responses:
    Problem:
      description: An error
      content:
        application/problem+json:
          schema: {$ref: "#/components/schemas/Problem"}
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string, examples: [Rex]}
    PetPage:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        next_cursor: {type: [string, "null"]}
    Problem:
      type: object
      properties:
        title: {type: string}
        status: {type: integer, format: int32}
"""


def rules_of(diagnostics: list[object]) -> set[str]:
    return {d.rule for d in diagnostics}  # type: ignore[attr-defined]


def test_good_document_is_clean(lint_yaml: Lint) -> None:
    assert lint_yaml(GOOD) == []


# (rule id, text to replace in GOOD, replacement)
CASES = [
    ("operation-id-missing", "      operationId: getPet\n", ""),
    ("operation-id-unique", "operationId: getPet", "operationId: listPets"),
    ("operation-id-identifier", "operationId: getPet", "operationId: pets/get"),
    (
        "operation-success-response",
        '"200":\n          description: The pet',
        '"302":\n          description: The pet',
    ),
    (
        "operation-4xx-response",
        '        "400": {$ref: "#/components/responses/Problem"}\n        "401": {$ref: "#/components/responses/Problem"}\n        "403": {$ref: "#/components/responses/Problem"}\n',
        "",
    ),
    (
        "operation-404-response",
        '        "404": {$ref: "#/components/responses/Problem"}\n',
        "",
    ),
    ("operation-summary", "      summary: Get a pet\n", ""),
    ("operation-description", "      description: Returns one pet.\n", ""),
    (
        "operation-tags",
        'tags: [pets]\n      responses:\n        "200":\n          description: The pet',
        'tags: [dogs]\n      responses:\n        "200":\n          description: The pet',
    ),
    ("deprecated-documented", "description: Returns one pet.\n", "deprecated: true\n"),
    (
        "request-body-on-safe-method",
        "description: Returns one pet.\n",
        "description: x\n      requestBody: {content: {application/json: {schema: {type: object}}}}\n",
    ),
    ("path-no-verbs", "/pets/{pet_id}:", "/getPets/{pet_id}:"),
    ("path-casing", "/pets/{pet_id}:", "/petStore_items/{pet_id}:"),
    ("path-trailing-slash", "/pets/{pet_id}:", "/pets/{pet_id}/:"),
    (
        "path-ambiguous",
        "/pets/{pet_id}:",
        "/pets/{id}:\n    get: {operationId: x, summary: s, description: d, tags: [pets], responses: {'200': {description: ok}, '401': {$ref: '#/components/responses/Problem'}, '403': {$ref: '#/components/responses/Problem'}}, parameters: [{name: id, in: path, required: true, description: d, schema: {type: string}}]}\n  /pets/{pet_id}:",
    ),
    (
        "path-params-declared",
        "- {name: pet_id, in: path, required: true, description: The pet, schema: {type: integer, format: int64}}",
        "- {name: other, in: query, description: The pet, schema: {type: integer, format: int64}}",
    ),
    ("path-params-used", "/pets/{pet_id}:", "/pets/by-id:"),
    (
        "path-params-required",
        "in: path, required: true, description: The pet",
        "in: path, description: The pet",
    ),
    (
        "parameter-unique",
        "- {name: cursor, in: query, description: Where to start, schema: {type: string}}",
        "- {name: cursor, in: query, description: Where to start, schema: {type: string}}\n        - {name: cursor, in: query, description: Again, schema: {type: string}}",
    ),
    ("parameter-description", "description: Where to start, ", ""),
    (
        "list-pagination",
        "- {name: cursor, in: query, description: Where to start, schema: {type: string}}",
        "",
    ),
    ("error-problem-json", "application/problem+json:", "application/json:"),
    (
        "example-valid",
        "example: {items: [{id: 1, name: Rex}], next_cursor: null}",
        "example: {items: [{id: one, name: Rex}]}",
    ),
    ("security-defined", "security: [{key: [pets:read]}]\n", ""),
    (
        "security-scheme-defined",
        "security: [{key: [pets:read]}]",
        "security: [{nope: []}, {key: [pets:read]}]",
    ),
    (
        "security-401",
        '"401": {$ref: "#/components/responses/Problem"}\n        "403": {$ref: "#/components/responses/Problem"}\n        "404"',
        '"403": {$ref: "#/components/responses/Problem"}\n        "404"',
    ),
    ("security-403", '"403": {$ref: "#/components/responses/Problem"}\n        "404"', '"404"'),
    ("unused-component", "  schemas:\n", "  schemas:\n    Unused: {type: string}\n"),
    ("servers-defined", 'servers: [{url: "https://api.example.com"}]\n', ""),
    ("server-url-trailing-slash", '"https://api.example.com"', '"https://api.example.com/"'),
    ("info-description", "description: Pets API, ", ""),
    ("info-contact", ", contact: {name: Team}", ""),
    ("tag-description", "tags: [{name: pets, description: Pets}]", "tags: [{name: pets}]"),
    (
        "enum-duplicates",
        "name: {type: string, examples: [Rex]}",
        "name: {type: string, enum: [a, b, a]}",
    ),
    ("required-not-property", "required: [id, name]", "required: [id, name, age]"),
    ("integer-format", "id: {type: integer, format: int64}", "id: {type: integer}"),
    ("nullable-in-31", "title: {type: string}", "title: {type: string, nullable: true}"),
    ("array-items", "title: {type: string}", "title: {type: array}"),
    ("oas-structure", "info: {title: Pets,", "info: {"),
    (
        "refusal-documented",
        "      operationId: getPet\n",
        "      operationId: getPet\n      parameters: [{name: X-Tenant, in: header,"
        " required: true, description: Tenant, schema: {type: string}}]\n",
    ),
    (
        "rate-limit-valid",
        "tags: [{name: pets, description: Pets}]",
        "x-ctk-rate-limit: lots\ntags: [{name: pets, description: Pets}]",
    ),
    (
        "rate-limit-documented",
        "tags: [{name: pets, description: Pets}]",
        "tags: [{name: pets, description: Pets, x-ctk-rate-limit: 60/minute}]",
    ),
    (
        "allof-closed-part",
        "    PetPage:\n",
        "    Closed:\n      allOf:\n        - {type: object, additionalProperties: false,"
        " properties: {a: {type: string}}}\n        - {type: object, required: [b],"
        " properties: {b: {type: string}}}\n    PetPage:\n",
    ),
]


def test_every_rule_has_a_case() -> None:
    covered = {case[0] for case in CASES}
    version_specific = {"ref-siblings", "nullable-without-type"}
    assert {r.id for r in RULES} - covered - version_specific == set()


@pytest.mark.parametrize(("rule_id", "old", "new"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires(lint_yaml: Lint, rule_id: str, old: str, new: str) -> None:
    assert old in GOOD, f"case for {rule_id} does not match the base document"
    diagnostics = lint_yaml(GOOD.replace(old, new, 1))
    fired = [d for d in diagnostics if d.rule == rule_id]
    assert fired, f"{rule_id} did not fire; got {sorted(rules_of(diagnostics))}"
    for diagnostic in fired:
        assert diagnostic.location.file.endswith("api.yaml")
        assert diagnostic.location.line is not None
        assert diagnostic.message


def test_ref_siblings_in_30(lint_yaml: Lint) -> None:
    text = (
        GOOD.replace("openapi: 3.1.0", "openapi: 3.0.3")
        .replace(
            'next_cursor: {type: [string, "null"]}', "next_cursor: {type: string, nullable: true}"
        )
        .replace("name: {type: string, examples: [Rex]}", "name: {type: string}")
    )
    assert lint_yaml(text) == []
    bad = text.replace(
        'schema: {$ref: "#/components/schemas/Pet"}',
        'schema: {$ref: "#/components/schemas/Pet", description: ignored}',
    )
    fired = [d for d in lint_yaml(bad) if d.rule == "ref-siblings"]
    assert len(fired) == 1
    assert "description" in fired[0].message
    nullable = text.replace("title: {type: string}", "title: {nullable: true}")
    assert "nullable-without-type" in rules_of(lint_yaml(nullable))


def test_nullable_30_examples_accept_null(lint_yaml: Lint) -> None:
    text = (
        GOOD.replace("openapi: 3.1.0", "openapi: 3.0.3")
        .replace(
            'next_cursor: {type: [string, "null"]}', "next_cursor: {type: string, nullable: true}"
        )
        .replace("name: {type: string, examples: [Rex]}", "name: {type: string, example: Rex}")
    )
    assert lint_yaml(text) == []
    broken = text.replace("example: Rex}", "example: 7}")
    assert [d.rule for d in lint_yaml(broken)] == ["example-valid"]


def test_severity_defaults_are_sane() -> None:
    assert RULES.get("oas-structure") is None  # structural is not a registered design rule
    errors = {r.id for r in RULES if r.severity == Severity.ERROR}
    assert {"operation-id-unique", "path-params-declared", "example-valid"} <= errors


def test_rate_limits_documented_where_they_apply(lint_yaml: Lint) -> None:
    """Operation over tag over root; `false` exempts; a 429 without Retry-After is named."""
    limited = GOOD.replace(
        "tags: [{name: pets, description: Pets}]",
        "x-ctk-rate-limit: 600/minute\ntags: [{name: pets, description: Pets}]",
    ).replace(
        "      operationId: getPet\n",
        "      operationId: getPet\n      x-ctk-rate-limit: false\n",
    )
    fired = [d for d in lint_yaml(limited) if d.rule.startswith("rate-limit")]
    assert [(d.rule, d.location.pointer) for d in fired] == [
        ("rate-limit-documented", "/paths/~1pets/get/responses")
    ]
    assert "600/minute at /x-ctk-rate-limit" in fired[0].message
    documented = limited.replace(
        '        "403": {$ref: "#/components/responses/Problem"}\n  /pets/{pet_id}:',
        '        "403": {$ref: "#/components/responses/Problem"}\n'
        '        "429": {$ref: "#/components/responses/Problem"}\n  /pets/{pet_id}:',
    )
    fired = [d for d in lint_yaml(documented) if d.rule.startswith("rate-limit")]
    assert [d.message for d in fired] == [
        "GET /pets: its 429 response does not document the Retry-After header the server sends"
    ]
    with_header = documented.replace(
        '"429": {$ref: "#/components/responses/Problem"}',
        '"429": {description: Slow down, headers: {Retry-After: {schema: {type: integer}}}}',
    )
    assert [d for d in lint_yaml(with_header) if d.rule.startswith("rate-limit")] == []
