"""Swagger 2.0 → OpenAPI 3.0.3: a valid 3.0 document that means the same, whose every node
still points at the 2.0 file and line it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from toolkit import pointer as jp
from toolkit.load import bundle_document, load_document
from toolkit.load.upgrade import upgrade

SWAGGER = """\
swagger: "2.0"
info: {title: Shop, version: "1"}
host: shop.example
basePath: /v1
schemes: [https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  basic: {type: basic}
  key: {type: apiKey, name: X-Key, in: header}
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: "https://a.example/auth",
          tokenUrl: "https://a.example/token", scopes: {read: read things}}
parameters:
  Limit: {name: limit, in: query, type: integer, minimum: 1, default: 10}
paths:
  /items:
    get:
      operationId: listItems
      security: [{oauth: [read]}]
      parameters:
        - $ref: "#/parameters/Limit"
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: ids, in: query, type: array, items: {type: integer}}
      responses:
        "200":
          description: the items
          headers:
            X-Total: {type: integer, description: how many}
          schema: {type: array, items: {$ref: "#/definitions/Item"}}
          examples:
            application/json: [{id: 1, kind: book, title: Dune}]
        "400": {description: a bad query}
    post:
      operationId: createItem
      security: [{key: []}]
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/Item"}}
      responses:
        "201": {description: made, schema: {$ref: "#/definitions/Item"}}
  /items/{id}/photo:
    parameters:
      - {name: id, in: path, required: true, type: integer}
    put:
      operationId: putPhoto
      consumes: [multipart/form-data]
      security: [{basic: []}]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: caption, in: formData, type: string}
      responses:
        "204": {description: stored}
definitions:
  Item:
    type: object
    discriminator: kind
    required: [id, kind]
    properties:
      id: {type: integer, readOnly: true}
      kind: {type: string}
      title: {type: string, x-nullable: true}
"""


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("swagger") / "shop.yaml"
    path.write_text(SWAGGER, encoding="utf-8")
    document = load_document(path)
    return document, upgrade(bundle_document(document))


def test_the_result_is_valid_openapi_30(upgraded: Any) -> None:
    data = upgraded[1].data
    assert data["openapi"] == "3.0.3" and "swagger" not in data and "definitions" not in data
    validate(data)  # the OpenAPI 3.0 schema
    assert data["servers"] == [{"url": "https://shop.example/v1"}]


def test_parameters_bodies_and_responses(upgraded: Any) -> None:
    paths = upgraded[1].data["paths"]
    limit, tags, ids = paths["/items"]["get"]["parameters"]
    assert limit == {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "default": 10},
    }  # fmt: skip  (a shared parameter, inlined)
    assert (tags["style"], tags["explode"]) == ("form", True)  # multi
    assert (ids["style"], ids["explode"]) == ("form", False)  # csv, 2.0's default
    ok = paths["/items"]["get"]["responses"]["200"]
    assert ok["headers"]["X-Total"] == {"description": "how many", "schema": {"type": "integer"}}
    json_ok = ok["content"]["application/json"]
    assert json_ok["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
    assert json_ok["example"] == [{"id": 1, "kind": "book", "title": "Dune"}]
    # `produces` binds an error's media type too: the refusal is explained in JSON
    bad = paths["/items"]["get"]["responses"]["400"]
    assert bad == {"description": "a bad query", "content": {"application/json": {}}}
    assert "content" not in paths["/items/{id}/photo"]["put"]["responses"]["204"]
    created = paths["/items"]["post"]
    assert created["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
        "required": True,
    }
    assert "parameters" not in created
    photo = paths["/items/{id}/photo"]
    assert photo["parameters"][0]["schema"] == {"type": "integer"}
    form = photo["put"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert form["required"] == ["file"]


def test_schemas_and_security_schemes(upgraded: Any) -> None:
    components = upgraded[1].data["components"]
    item = components["schemas"]["Item"]
    assert item["discriminator"] == {"propertyName": "kind"}
    assert item["properties"]["title"] == {"type": "string", "nullable": True}
    schemes = components["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert schemes["oauth"]["flows"]["authorizationCode"]["tokenUrl"] == "https://a.example/token"


def test_every_moved_node_points_back_at_its_2_0_line(upgraded: Any) -> None:
    document, bundle = upgraded

    def line(pointer: str) -> int | None:
        return document.locations([bundle.origin(pointer)])[0].line

    source = SWAGGER.splitlines()
    body = "/paths/~1items/post/requestBody/content/application~1json/schema"
    assert "in: body" in source[line(body) - 1]
    caption = jp.join(
        "/paths/~1items~1{id}~1photo/put/requestBody/content/multipart~1form-data/schema",
        "properties", "caption",
    )  # fmt: skip
    assert "name: caption" in source[line(caption) - 1]
    assert "Limit:" in source[line("/paths/~1items/get/parameters/0/schema/minimum") - 1]
    assert "title:" in source[line("/components/schemas/Item/properties/title") - 1]
    assert "X-Total" in source[line("/paths/~1items/get/responses/200/headers/X-Total") - 1]
