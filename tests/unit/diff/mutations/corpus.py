"""Labelled mutations of other documents of the shared corpus: a Swagger 2.0 petstore (read
as its 3.0 equivalent), Adyen's Transfers API (3.1, `oneOf` account identifications),
Flat's API (3.0, `allOf` hierarchies and a discriminator) and the multiple-security example
(AND/OR requirement lists)."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path

from toolkit.load import load_document
from toolkit.load.upgrade import bundle_as_openapi3

from .kit import (
    CORPUS,
    ERR,
    INFO,
    WARN,
    Case,
    Doc,
    Mutation,
    S,
    at,
    both,
    drop,
    operation,
    put,
    rename_component,
    reorder_keys,
    schemas,
)

SWAGGER = CORPUS / "examples" / "2.0-petstore-simple.yaml"
SWAGGER_DOCS = CORPUS / "examples" / "2.0-petstore-with-external-docs.yaml"
ADYEN = CORPUS / "real" / "adyen.com__TransferService-v4.json"
FLAT = CORPUS / "real" / "flat.io.json"
SECURITY = CORPUS / "examples" / "3.0-security-multiple.yaml"

PET = ["paths", "/pet/{petId}"]
ACCOUNT = [*S, "BankAccountV3", "properties", "accountIdentification", "oneOf"]
TRANSFER = [*S, "TransferInfo", "properties"]
TRANSACTIONS = ["paths", "/transactions", "get"]
COLLECTIONS = ["paths", "/collections", "get"]


def _upgraded(path: Path, then: Mutation | None = None) -> Mutation:
    """The 2.0 document at `path` replaced by ctk's own OpenAPI 3.0 upgrade of it (ADR
    0021), written out as a 3.0 file; `then` changed further."""

    def mutate(d: Doc) -> None:
        _, bundle = bundle_as_openapi3(load_document(path))
        d.clear()
        d.update(json.loads(json.dumps(bundle.data)))
        if then is not None:
            then(d)

    return mutate


def _inline(d: Doc, schema: str, member: str) -> None:
    """`member` of component `schema` written inline instead of its `$ref`."""
    prop = schemas(d)[schema]["properties"][member]
    target = schemas(d)[prop["$ref"].rsplit("/", 1)[-1]]
    schemas(d)[schema]["properties"][member] = copy.deepcopy(target)


def _flatten_all_of(d: Doc, name: str) -> None:
    """Component `name`, an `allOf` of `$ref`s and objects, written as the one object they
    make."""
    whole = schemas(d)[name]
    merged: Doc = {"type": "object", "properties": {}}
    required: list[str] = []
    for part in whole.pop("allOf"):
        if "$ref" in part:
            part = schemas(d)[part["$ref"].rsplit("/", 1)[-1]]
        merged["properties"].update(copy.deepcopy(part.get("properties", {})))
        required += part.get("required", [])
    if required:
        merged["required"] = required
    whole.update(merged)


def _security(path: str, requirements: list[Doc]) -> Mutation:
    return put(["paths", path, "post", "security"], requirements)


def _or_null(path: Sequence[str | int]) -> Mutation:
    """The member's `$ref` written as 3.1's `anyOf: [{$ref}, {type: null}]`."""

    def mutate(d: Doc) -> None:
        member = at(d, path)
        member["anyOf"] = [{"$ref": member.pop("$ref")}, {"type": "null"}]

    return mutate


def _pop_variant(d: Doc, name: str) -> None:
    variants = at(d, ACCOUNT)
    variants[:] = [v for v in variants if not v["$ref"].endswith(f"/{name}")]


CASES = [
    # Swagger 2.0, read as its 3.0 equivalent
    Case("2.0: operation removed", drop([*PET, "delete"]), "operation-removed", ERR, SWAGGER),
    Case(
        "2.0: path parameter type changed",
        put([*PET, "get", "parameters", 0, "type"], "string"),
        "schema-type-changed",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: header parameter now required",
        put([*PET, "delete", "parameters", 0, "required"], True),
        "parameter-now-required",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: form field now required",
        put([*PET, "post", "parameters", 1, "required"], True),
        "property-now-required",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: form field removed",
        lambda d: operation(d, "/pet/{petId}", "post")["parameters"].pop(2),
        "request-property-removed",
        WARN,
        SWAGGER,
    ),
    Case(
        "2.0: api key no longer accepted",
        put([*PET, "get", "security"], [{"petstore_auth": ["read:pets"]}]),
        "security-added",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: host moved", put(["host"], "api.petstore.example"), "servers-changed", WARN, SWAGGER
    ),
    Case(
        "2.0: response media type removed",
        put([*PET, "get", "produces"], ["application/json"]),
        "response-media-type-removed",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: response enum value added",
        lambda d: d["definitions"]["Pet"]["properties"]["status"]["enum"].append("lost"),
        "schema-enum-widened",
        ERR,
        SWAGGER,
    ),
    Case(
        "2.0: error status removed",
        drop([*PET, "get", "responses", "404"]),
        "response-error-removed",
        INFO,
        SWAGGER,
    ),
    Case(
        "2.0: query collectionFormat csv → multi",
        put(["paths", "/pets", "get", "parameters", 0, "collectionFormat"], "multi"),
        "parameter-style-changed",
        ERR,
        SWAGGER_DOCS,
    ),
    Case(
        "2.0: response member x-nullable",
        put(["definitions", "NewPet", "properties", "tag", "x-nullable"], True),
        "schema-nullable-changed",
        ERR,
        SWAGGER_DOCS,
    ),
    Case(
        "2.0: body parameter now optional",
        put(["paths", "/pets", "post", "parameters", 0, "required"], False),
        "request-body-now-optional",
        INFO,
        SWAGGER_DOCS,
    ),
    Case("2.0 vs its own 3.0 upgrade", _upgraded(SWAGGER), None, None, SWAGGER),
    Case("2.0 vs its 3.0 upgrade (with refs)", _upgraded(SWAGGER_DOCS), None, None, SWAGGER_DOCS),
    Case(
        "2.0 vs its 3.0 upgrade, a response member removed",
        _upgraded(SWAGGER_DOCS, drop([*S, "Pet", "allOf", 1, "properties", "id"])),
        "property-removed",
        ERR,
        SWAGGER_DOCS,
    ),
    # Adyen Transfers (3.1): account identifications are a oneOf of 17 schemas
    Case(
        "3.1 oneOf: a request variant removed",
        lambda d: _pop_variant(d, "IbanAccountIdentification"),
        "schema-variants-removed",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1 oneOf: a response variant added",
        both(
            put(
                [*S, "XXLocalAccountIdentification"],
                {"type": "object", "properties": {"code": {"type": "string"}}},
            ),
            lambda d: at(d, ACCOUNT).append(
                {"$ref": "#/components/schemas/XXLocalAccountIdentification"}
            ),
        ),
        "schema-variants-added",
        ERR,
        ADYEN,
    ),
    Case("3.1 oneOf: variants reordered", lambda d: at(d, ACCOUNT).reverse(), None, None, ADYEN),
    Case(
        "3.1: request maxLength tightened",
        put([*TRANSFER, "description", "maxLength"], 100),
        "schema-bound-tightened",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: request enum value removed",
        lambda d: at(d, [*TRANSFER, "priority", "enum"]).remove("wire"),
        "schema-enum-narrowed",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: request member now accepts null (type list)",
        put([*TRANSFER, "reference", "type"], ["string", "null"]),
        "schema-nullable-compatible",
        INFO,
        ADYEN,
    ),
    Case(
        "3.1: request body now required",
        put(["paths", "/transfers", "post", "requestBody", "required"], True),
        "request-body-now-required",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: query parameter now optional",
        put([*TRANSACTIONS, "parameters", 5, "required"], False),
        "parameter-now-optional",
        INFO,
        ADYEN,
    ),
    Case(
        "3.1: required query parameter added",
        lambda d: at(d, [*TRANSACTIONS, "parameters"]).append(
            {"name": "currency", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        "parameter-added-required",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: basic auth no longer accepted",
        put(["paths", "/transfers", "post", "security"], [{"clientKey": []}, {"ApiKeyAuth": []}]),
        "security-added",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: servers moved to live",
        put(["servers", 0, "url"], "https://balanceplatform-api-live.adyen.com/btl/v4"),
        "servers-changed",
        WARN,
        ADYEN,
    ),
    Case(
        "3.1: component renamed",
        lambda d: rename_component(d, "Amount", "Money"),
        None,
        None,
        ADYEN,
    ),
    Case(
        "3.1: counterparty inlined",
        lambda d: _inline(d, "TransferInfo", "counterparty"),
        None,
        None,
        ADYEN,
    ),
    Case(
        "3.1: response member may be null (anyOf with null)",
        _or_null([*S, "Transfer", "properties", "counterparty"]),
        "schema-nullable-changed",
        ERR,
        ADYEN,
    ),
    Case(
        "3.1: request member accepts null (anyOf with null)",
        _or_null([*TRANSFER, "counterparty"]),
        "schema-nullable-compatible",
        INFO,
        ADYEN,
    ),
    Case(
        "3.1: a one-value enum written as const",
        both(
            drop([*S, "AULocalAccountIdentification", "properties", "type", "enum"]),
            put([*S, "AULocalAccountIdentification", "properties", "type", "const"], "auLocal"),
        ),
        None,
        None,
        ADYEN,
    ),
    # Flat (3.0): allOf hierarchies, a discriminator
    Case(
        "discriminator property changed",
        put([*S, "UserBasics", "discriminator", "propertyName"], "kind"),
        "schema-discriminator-changed",
        ERR,
        FLAT,
    ),
    Case(
        "allOf part: response member removed",
        drop([*S, "UserPublic", "allOf", 1, "properties", "bio"]),
        "property-removed",
        ERR,
        FLAT,
    ),
    Case(
        "allOf written as one object",
        lambda d: _flatten_all_of(d, "ScoreDetails"),
        None,
        None,
        FLAT,
    ),
    Case(
        "one-member allOf around a response member",
        lambda d: at(d, [*S, "ScoreDetails", "allOf", 1, "properties"]).__setitem__(
            "comments", {"allOf": [{"$ref": "#/components/schemas/ScoreCommentsCounts"}]}
        ),
        None,
        None,
        FLAT,
    ),
    Case("keys reordered", reorder_keys, None, None, FLAT),
    Case(
        "operation deprecated, no sunset",
        put([*COLLECTIONS, "deprecated"], True),
        "operation-deprecated-no-sunset",
        WARN,
        FLAT,
    ),
    Case(
        "operationId renamed",
        put([*COLLECTIONS, "operationId"], "getCollections"),
        "operation-id-changed",
        WARN,
        FLAT,
    ),
    Case(
        "query parameter removed",
        lambda d: at(d, [*COLLECTIONS, "parameters"]).pop(1),
        "parameter-removed",
        WARN,
        FLAT,
    ),
    Case(
        "query enum value added (request)",
        lambda d: at(d, [*COLLECTIONS, "parameters", 1, "schema", "enum"]).append("size"),
        "schema-enum-compatible",
        INFO,
        FLAT,
    ),
    Case(
        "query maximum lowered",
        put([*COLLECTIONS, "parameters", 3, "schema", "maximum"], 50),
        "schema-bound-tightened",
        ERR,
        FLAT,
    ),
    Case(
        "success status added",
        put([*COLLECTIONS, "responses", "206"], {"description": "partial"}),
        "response-success-added",
        WARN,
        FLAT,
    ),
    Case(
        "response header added",
        put(
            [*COLLECTIONS, "responses", "200", "headers"],
            {"Link": {"schema": {"type": "string"}}},
        ),
        "response-header-added",
        INFO,
        FLAT,
    ),
    Case(
        "request media type added",
        lambda d: at(d, ["paths", "/scores", "post", "requestBody", "content"]).__setitem__(
            "application/x-www-form-urlencoded",
            {"schema": {"$ref": "#/components/schemas/ScoreCreation"}},
        ),
        "request-media-type-added",
        INFO,
        FLAT,
    ),
    Case(
        "request body now optional",
        put(["paths", "/scores", "post", "requestBody", "required"], False),
        "request-body-now-optional",
        INFO,
        FLAT,
    ),
    Case(
        "request scope added",
        put(["paths", "/scores", "post", "security"], [{"OAuth2": ["scores", "scores.admin"]}]),
        "security-scope-added",
        ERR,
        FLAT,
    ),
    # AND/OR security requirements
    Case(
        "AND: one scheme fewer",
        _security("/anything/and", [{"apiKey_header": [], "oauth2": ["write:things"]}]),
        "security-relaxed",
        INFO,
        SECURITY,
    ),
    Case(
        "OR: a scope added",
        _security(
            "/anything/or", [{"oauth2": ["write:things", "read:things"]}, {"apiKey_header": []}]
        ),
        "security-scope-added",
        ERR,
        SECURITY,
    ),
    Case(
        "AND-OR: an alternative removed",
        _security("/anything/and-or", [{"oauth2": ["write:things"], "apiKey_header": []}]),
        "security-added",
        ERR,
        SECURITY,
    ),
    Case(
        "OR: alternatives reordered",
        _security("/anything/or", [{"apiKey_header": []}, {"oauth2": ["write:things"]}]),
        None,
        None,
        SECURITY,
    ),
]
