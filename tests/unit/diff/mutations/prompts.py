"""Labelled mutations of the prompt-library spec (and the shared corpus' petstore): the
first 81 cases of issue 13's acceptance corpus, and the false positives found since."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .kit import (
    CORPUS,
    ERR,
    INFO,
    WARN,
    Case,
    Doc,
    P,
    S,
    both,
    drop,
    drop_required,
    operation,
    put,
    rename_component,
    reorder_keys,
    schemas,
)

PETSTORE = CORPUS / "examples" / "3.0-petstore.yaml"


def _remove_property(d: Doc) -> None:
    del schemas(d)["Prompt"]["properties"]["tags"]
    drop_required(schemas(d)["Prompt"], "tags")


def _add_required_request_property(d: Doc) -> None:
    create = schemas(d)["PromptCreate"]
    create["properties"]["owner"] = {"type": "string"}
    create["required"].append("owner")


def _inline_component(d: Doc) -> None:
    """PromptCreate's `variables.items` written inline instead of `$ref: Variable`."""
    variables = schemas(d)["PromptCreate"]["properties"]["variables"]
    variables["items"] = copy.deepcopy(schemas(d)["Variable"])


def _one_member_all_of(d: Doc) -> None:
    for schema in schemas(d).values():
        for name, prop in list(schema.get("properties", {}).items()):
            if "$ref" in prop:
                schema["properties"][name] = {"allOf": [prop]}


def _add_param(param: Doc) -> Callable[[Doc], None]:
    """GET /prompts declares one more parameter."""
    return lambda d: operation(d, "/prompts", "get")["parameters"].append(param)


def _rename_path_parameter(d: Doc) -> None:
    """`/prompts/{prompt_id}/renders` → `/prompts/{id}/renders`, its parameter renamed too."""
    item = d["paths"].pop("/prompts/{prompt_id}/renders")
    shared = copy.deepcopy(d["components"]["parameters"]["PromptId"])
    shared["name"] = "id"
    item["parameters"] = [
        shared if p.get("$ref", "").endswith("/PromptId") else p for p in item["parameters"]
    ]
    d["paths"]["/prompts/{id}/renders"] = item


def _rewrite_prose(d: Doc) -> None:
    """Descriptions, summaries and examples are documentation, not contract."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if key in ("description", "summary") and isinstance(node[key], str):
                    node[key] = node[key].upper()
                elif key == "example" and not isinstance(node[key], dict):
                    node.pop(key)
                else:
                    walk(node[key])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(d["paths"])
    walk(d["components"]["schemas"])


def _inline_parameter(d: Doc) -> None:
    shared = d["components"]["parameters"]["Limit"]
    params = operation(d, "/prompts", "get")["parameters"]
    operation(d, "/prompts", "get")["parameters"] = [
        copy.deepcopy(shared) if p.get("$ref") == "#/components/parameters/Limit" else p
        for p in params
    ]


def _inline_response(d: Doc) -> None:
    responses = operation(d, "/prompts", "get")["responses"]
    for status, response in list(responses.items()):
        ref = response.get("$ref", "")
        if ref.startswith("#/components/responses/"):
            responses[status] = copy.deepcopy(d["components"]["responses"][ref.rsplit("/", 1)[1]])


def _renamed(item: Doc, old: str, new: str) -> Doc:
    """A path item whose path parameter `old` is called `new` (in every operation)."""
    for op in item.values():
        for param in op.get("parameters", []) if isinstance(op, dict) else ():
            if param.get("in") == "path" and param.get("name") == old:
                param["name"] = new
    return item


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


def _split_prompt(keep_template: bool) -> Callable[[Doc], None]:
    """Prompt becomes a `oneOf` of two kinds, its members moved into them (as GitHub's event
    payloads did): TextPrompt, the old object plus a `kind`; ChatPrompt, an `allOf` of the old
    object without its template and a part that declares the template again (or does not)."""

    def mutate(d: Doc) -> None:
        found = schemas(d)
        old = found["Prompt"]
        text = copy.deepcopy(old)
        text["properties"]["kind"] = {"type": "string", "enum": ["text"]}
        base = copy.deepcopy(old)
        del base["properties"]["template"]
        drop_required(base, "template")
        part: Doc = {"type": "object", "properties": {"kind": {"type": "string", "enum": ["chat"]}}}
        if keep_template:
            part["properties"]["template"] = copy.deepcopy(old["properties"]["template"])
            part["required"] = ["template"]
        found["TextPrompt"], found["ChatPromptBase"] = text, base
        found["ChatPrompt"] = {"allOf": [_ref("ChatPromptBase"), part]}
        found["Prompt"] = {"oneOf": [_ref("TextPrompt"), _ref("ChatPrompt")]}

    return mutate


def _split_create(narrower: bool) -> Callable[[Doc], None]:
    """PromptCreate becomes a `oneOf` of the old body and one without `variables`; narrower:
    the first now needs `variables`, the second takes templates of 10 characters at most."""

    def mutate(d: Doc) -> None:
        old = schemas(d)["PromptCreate"]
        full, bare = copy.deepcopy(old), copy.deepcopy(old)
        del bare["properties"]["variables"]
        if narrower:
            full["required"].append("variables")
            bare["properties"]["template"]["maxLength"] = 10
        schemas(d)["PromptCreate"] = {"oneOf": [full, bare]}

    return mutate


CASES = [
    # operations
    Case(
        "operation removed",
        drop(["paths", "/prompts/{prompt_id}", "delete"]),
        "operation-removed",
    ),
    Case("path removed", drop(["paths", "/prompts/{prompt_id}/renders"]), "operation-removed"),
    Case(
        "operation added",
        put(["paths", "/health"], {"get": {"responses": {"200": {"description": "ok"}}}}),
        "operation-added",
        INFO,
    ),
    Case("path parameter renamed", _rename_path_parameter, None, None),
    Case(
        "deprecated, no sunset",
        put(["paths", "/prompts", "get", "deprecated"], True),
        "operation-deprecated-no-sunset",
        WARN,
    ),
    Case(
        "operationId renamed",
        put(["paths", "/prompts", "get", "operationId"], "findPrompts"),
        "operation-id-changed",
        WARN,
    ),
    # parameters
    Case(
        "query parameter now required",
        put([*P, "Limit", "required"], True),
        "parameter-now-required",
    ),
    Case(
        "query parameter removed",
        lambda d: operation(d, "/prompts", "get")["parameters"].pop(1),
        "parameter-removed",
        WARN,
    ),
    Case(
        "required header added",
        _add_param(
            {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}
        ),
        "parameter-added-required",
    ),
    Case(
        "optional query added",
        _add_param({"name": "sort", "in": "query", "schema": {"type": "string"}}),
        "parameter-added",
        INFO,
    ),
    Case(
        "query style changed", put([*P, "TagFilter", "explode"], False), "parameter-style-changed"
    ),
    Case(
        "query maximum tightened",
        put([*P, "Limit", "schema", "maximum"], 10),
        "schema-bound-tightened",
    ),
    Case(
        "query maximum relaxed",
        put([*P, "Limit", "schema", "maximum"], 1000),
        "schema-bound-compatible",
        INFO,
    ),
    Case(
        "query type changed", put([*P, "Limit", "schema", "type"], "string"), "schema-type-changed"
    ),
    Case(
        "query default changed",
        put([*P, "Limit", "schema", "default"], 50),
        "schema-default-changed",
        WARN,
    ),
    # request bodies
    Case(
        "request property now required",
        lambda d: schemas(d)["PromptCreate"]["required"].append("description"),
        "property-now-required",
    ),
    Case(
        "required request property added", _add_required_request_property, "property-added-required"
    ),
    Case(
        "optional request property added",
        put([*S, "PromptCreate", "properties", "owner"], {"type": "string"}),
        "property-added",
        INFO,
    ),
    Case(
        "request maxLength tightened",
        put([*S, "PromptCreate", "properties", "template", "maxLength"], 100),
        "schema-bound-tightened",
    ),
    Case(
        "request pattern added",
        put([*S, "PromptCreate", "properties", "template", "pattern"], "^[a-z]"),
        "schema-pattern-added",
    ),
    Case(
        "petstore: enum value removed",
        lambda d: schemas(d)["Pet"]["properties"]["status"]["enum"].remove("sold"),
        "schema-enum-narrowed",
        ERR,
        PETSTORE,
    ),
    Case(
        "petstore: enum value added",
        lambda d: schemas(d)["Pet"]["properties"]["status"]["enum"].append("lost"),
        "schema-enum-widened",
        ERR,
        PETSTORE,
    ),
    Case(
        "request opened to other members",
        drop([*S, "PromptPatch", "additionalProperties"]),
        "additional-properties-opened",
        INFO,
    ),
    Case(
        "request media type removed",
        lambda d: operation(d, "/prompts", "post")["requestBody"]["content"].__setitem__(
            "application/xml",
            operation(d, "/prompts", "post")["requestBody"]["content"].pop("application/json"),
        ),
        "request-media-type-removed",
    ),
    Case(
        "request nullable removed",
        put([*S, "PromptCreate", "properties", "description", "type"], "string"),
        "schema-nullable-changed",
    ),
    Case(
        "request body now optional",
        put(["paths", "/prompts", "post", "requestBody", "required"], False),
        "request-body-now-optional",
        INFO,
    ),
    # responses
    Case("response property removed", _remove_property, "property-removed"),
    Case(
        "response property now optional",
        lambda d: drop_required(schemas(d)["Prompt"], "template"),
        "property-now-optional",
    ),
    Case(
        "response type widened",
        put([*S, "Prompt", "properties", "latest_version", "type"], ["integer", "string"]),
        "schema-type-changed",
    ),
    Case(
        "response now nullable",
        put([*S, "Prompt", "properties", "template", "type"], ["string", "null"]),
        "schema-nullable-changed",
    ),
    Case(
        "response format changed",
        put([*S, "Prompt", "properties", "created_at", "format"], "date"),
        "schema-format-changed",
    ),
    Case(
        "response maxLength relaxed",
        put([*S, "Prompt", "properties", "template", "maxLength"], 200000),
        "schema-bound-relaxed",
        WARN,
    ),
    Case(
        "success status removed",
        drop(["paths", "/prompts", "post", "responses", "201"]),
        "response-success-removed",
    ),
    Case(
        "error status added",
        put(["paths", "/prompts", "get", "responses", "418"], {"description": "teapot"}),
        "response-error-added",
        INFO,
    ),
    Case(
        "response media type removed",
        drop(["paths", "/prompts", "get", "responses", "200", "content", "application/json"]),
        "response-media-type-removed",
    ),
    Case(
        "response header removed",
        drop(["paths", "/prompts", "post", "responses", "201", "headers", "Location"]),
        "response-header-removed",
    ),
    Case(
        "readOnly flipped",
        put([*S, "Prompt", "properties", "name", "readOnly"], True),
        "schema-read-write-changed",
        WARN,
    ),
    # security
    Case(
        "both credentials now needed",
        put(
            ["paths", "/prompts", "get", "security"],
            [{"oauth2": ["prompts:read"], "apiKey": ["prompts:read"]}],
        ),
        "security-added",
    ),
    Case(
        "alternative removed",
        put(["paths", "/prompts", "get", "security"], [{"oauth2": ["prompts:read"]}]),
        "security-added",
    ),
    Case(
        "scope added",
        put(
            ["paths", "/prompts", "get", "security"],
            [{"oauth2": ["prompts:read", "prompts:admin"]}, {"apiKey": ["prompts:read"]}],
        ),
        "security-scope-added",
    ),
    Case(
        "servers changed",
        put(["servers"], [{"url": "https://elsewhere.example/v2"}]),
        "servers-changed",
        WARN,
    ),
    # more parameters
    Case(
        "query minimum raised",
        put([*P, "Limit", "schema", "minimum"], 5),
        "schema-bound-tightened",
    ),
    Case(
        "header parameter now optional",
        put([*P, "IfMatch", "required"], False),
        "parameter-now-optional",
        INFO,
    ),
    Case(
        "header maxLength tightened",
        put([*P, "IfMatch", "schema", "maxLength"], 64),
        "schema-bound-tightened",
    ),
    Case(
        "header parameter removed",
        lambda d: d["paths"]["/prompts"]["parameters"].clear(),
        "parameter-removed",
        WARN,
    ),
    Case(
        "optional cookie added",
        _add_param({"name": "session", "in": "cookie", "schema": {"type": "string"}}),
        "parameter-added",
        INFO,
    ),
    Case(
        "query format changed",
        put([*P, "Limit", "schema", "format"], "date"),
        "schema-format-changed",
    ),
    # more request bodies
    Case(
        "request body removed",
        drop(["paths", "/prompts", "post", "requestBody"]),
        "request-body-removed",
        WARN,
    ),
    Case(
        "request maxItems tightened",
        put([*S, "PromptCreate", "properties", "tags", "maxItems"], 5),
        "schema-bound-tightened",
    ),
    Case(
        "request minLength raised",
        put([*S, "PromptCreate", "properties", "template", "minLength"], 10),
        "schema-bound-tightened",
    ),
    Case(
        "request item pattern dropped",
        drop([*S, "PromptCreate", "properties", "tags", "items", "pattern"]),
        "schema-pattern-compatible",
        INFO,
    ),
    Case(
        "request type widened",
        put(
            [*S, "PromptCreate", "properties", "description", "type"], ["string", "integer", "null"]
        ),
        "schema-type-widened",
        INFO,
    ),
    Case(
        "request format added",
        put([*S, "PromptCreate", "properties", "name", "format"], "hostname"),
        "schema-format-changed",
    ),
    Case(
        "request map values tightened",
        put(
            [*S, "RenderRequest", "properties", "variables", "additionalProperties", "maxLength"],
            10,
        ),
        "schema-bound-tightened",
    ),
    Case(
        "request map closed",
        put([*S, "RenderRequest", "properties", "variables", "additionalProperties"], False),
        "additional-properties-closed",
    ),
    Case(
        "request media type added",
        lambda d: operation(d, "/prompts", "post")["requestBody"]["content"].__setitem__(
            "application/x-www-form-urlencoded",
            {"schema": {"$ref": "#/components/schemas/PromptCreate"}},
        ),
        "request-media-type-added",
        INFO,
    ),
    # more responses
    Case(
        "response property added",
        put([*S, "Prompt", "properties", "owner"], {"type": "string"}),
        "property-added",
        INFO,
    ),
    Case(
        "problem detail now always sent",
        lambda d: schemas(d)["Problem"]["required"].append("detail"),
        "property-required-compatible",
        INFO,
    ),
    Case(
        "response enum added",
        put([*S, "Prompt", "properties", "name", "enum"], ["greeting"]),
        "schema-enum-compatible",
        INFO,
    ),
    Case(
        "response minimum lowered",
        put([*S, "Prompt", "properties", "latest_version", "minimum"], 0),
        "schema-bound-relaxed",
        WARN,
    ),
    Case(
        "response header added",
        put(
            ["paths", "/prompts", "get", "responses", "200", "headers"],
            {"X-Total": {"schema": {"type": "integer"}}},
        ),
        "response-header-added",
        INFO,
    ),
    Case(
        "response header now required",
        put(["components", "headers", "ETag", "required"], True),
        None,
        None,
    ),
    Case(
        "error status removed",
        drop(["paths", "/prompts", "get", "responses", "400"]),
        "response-error-removed",
        INFO,
    ),
    Case(
        "success status added",
        put(["paths", "/prompts", "post", "responses", "200"], {"description": "replayed"}),
        "response-success-added",
        WARN,
    ),
    Case(
        "response media type added",
        lambda d: operation(d, "/prompts", "get")["responses"]["200"]["content"].__setitem__(
            "text/csv", {"schema": {"type": "string"}}
        ),
        "response-media-type-added",
        WARN,
    ),
    Case(
        "response never null now",
        put([*S, "Prompt", "properties", "description", "type"], "string"),
        "schema-nullable-compatible",
        INFO,
    ),
    Case(
        "response item type changed",
        put([*S, "Prompt", "properties", "tags", "items", "type"], "integer"),
        "schema-type-changed",
    ),
    # numeric widths and oneOf constraints (found by the GitHub release-pair spot check)
    Case(
        "request int32 → int64",
        put([*P, "Limit", "schema", "format"], "int64"),
        "schema-format-relaxed",
        INFO,
    ),
    Case(
        "response int32 → int64",
        put([*S, "Prompt", "properties", "latest_version", "format"], "int64"),
        "schema-format-changed",
    ),
    Case(
        "request oneOf introduced",
        put(
            [*S, "PromptCreate", "properties", "template"],
            {"oneOf": [{"type": "string", "maxLength": 100}]},
        ),
        "schema-variants-constrained",
    ),
    Case(
        "response oneOf introduced",
        put(
            [*S, "Prompt", "properties", "template"],
            {"oneOf": [{"type": "string", "minLength": 1}]},
        ),
        "schema-variants-compatible",
        INFO,
    ),
    # more security
    Case(
        "operation made public",
        put(["paths", "/prompts", "get", "security"], []),
        "security-relaxed",
        INFO,
    ),
    Case(
        "public alternative added",
        lambda d: operation(d, "/prompts", "get")["security"].append({}),
        "security-relaxed",
        INFO,
    ),
    # more refactors
    Case("descriptions and examples rewritten", _rewrite_prose, None, None),
    Case("shared parameter inlined", _inline_parameter, None, None),
    Case("shared response inlined", _inline_response, None, None),
    # refactors: no change at all
    Case("inline instead of $ref", _inline_component, None, None),
    Case(
        "component renamed", lambda d: rename_component(d, "Variable", "PromptVariable"), None, None
    ),
    Case("allOf with one member", _one_member_all_of, None, None),
    Case("reordered keys", reorder_keys, None, None),
    # the shared corpus
    Case(
        "petstore: path parameter type changed",
        put(["paths", "/pet/{petId}", "get", "parameters", 0, "schema"], {"type": "string"}),
        "schema-type-changed",
        ERR,
        PETSTORE,
    ),
    Case(
        "petstore: deprecated with a sunset",
        both(
            put(["paths", "/pet/findByStatus", "get", "deprecated"], True),
            put(["paths", "/pet/findByStatus", "get", "x-sunset"], "2027-06-30"),
        ),
        "operation-deprecated",
        INFO,
        PETSTORE,
    ),
    Case(
        "petstore: response media type removed",
        drop(["paths", "/pet/{petId}", "get", "responses", "200", "content", "application/xml"]),
        "response-media-type-removed",
        ERR,
        PETSTORE,
    ),
    Case(
        "petstore: path template renamed",
        lambda d: d["paths"].__setitem__(
            "/store/order/{id}", _renamed(d["paths"].pop("/store/order/{orderId}"), "orderId", "id")
        ),
        None,
        None,
        PETSTORE,
    ),
    Case(
        "petstore: response property removed",
        drop([*S, "Pet", "properties", "name"]),
        "property-removed",
        ERR,
        PETSTORE,
    ),
    # members moved from an object into its new oneOf/anyOf variants
    Case(
        "response members moved into every variant",
        _split_prompt(keep_template=True),
        "schema-variants-compatible",
        INFO,
        absent=(
            "property-removed",
            "property-now-optional",
            "property-in-some-variants",
            "additional-properties-opened",  # every variant is closed, as the object was
        ),
    ),
    Case(
        "response member moved into some variants",
        _split_prompt(keep_template=False),
        "property-in-some-variants",
        WARN,
        absent=("property-removed",),
    ),
    Case(
        "request members moved into variants that take the old body",
        _split_create(narrower=False),
        "schema-variants-compatible",
        INFO,
        absent=("request-property-removed", "additional-properties-opened"),
    ),
    Case(
        "request members moved into variants that take less",
        _split_create(narrower=True),
        "schema-variants-constrained",
        absent=("request-property-removed",),
    ),
    # a default written in the wrong type, fixed: the same value once read as the type
    Case('query default 20 → "20"', put([*P, "Limit", "schema", "default"], "20"), None, None),
    Case(
        'request default true → "true"',
        put([*S, "Variable", "properties", "required", "default"], "true"),
        None,
        None,
    ),
    Case(
        'query default 20 → "21"',
        put([*P, "Limit", "schema", "default"], "21"),
        "schema-default-changed",
        WARN,
    ),
]
