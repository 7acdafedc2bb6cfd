"""Labelled mutations of real specs: each small change must be found under its rule and class,
and refactors that change no meaning must report nothing (issue 13's acceptance corpus; this
is its first part: the prompt-library spec and the shared corpus' petstore)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.diff import diff_specs
from toolkit.errors import Severity

ROOT = Path(__file__).resolve().parents[3]
PROMPTS = ROOT / "specs" / "prompt-library.yaml"
PETSTORE = ROOT.parent / "shared" / "corpus" / "examples" / "3.0-petstore.yaml"

Doc = dict[str, Any]


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Doc], None]
    expect: str | None  # a rule that must be reported; None: a refactor, nothing may be
    level: Severity | None = Severity.ERROR  # the rule's class (None with expect=None)
    base: Path = PROMPTS


def _schemas(d: Doc) -> Doc:
    schemas: Doc = d["components"]["schemas"]
    return schemas


def _op(d: Doc, path: str, method: str) -> Doc:
    op: Doc = d["paths"][path][method]
    return op


def _drop_required(schema: Doc, name: str) -> None:
    schema["required"] = [r for r in schema.get("required", []) if r != name]


def _remove_property(d: Doc) -> None:
    del _schemas(d)["Prompt"]["properties"]["tags"]
    _drop_required(_schemas(d)["Prompt"], "tags")


def _add_required_request_property(d: Doc) -> None:
    create = _schemas(d)["PromptCreate"]
    create["properties"]["owner"] = {"type": "string"}
    create["required"].append("owner")


def _inline_component(d: Doc) -> None:
    """PromptCreate's `variables.items` written inline instead of `$ref: Variable`."""
    variables = _schemas(d)["PromptCreate"]["properties"]["variables"]
    variables["items"] = copy.deepcopy(_schemas(d)["Variable"])


def _rename_component(d: Doc) -> None:
    schemas = _schemas(d)
    schemas["PromptVariable"] = schemas.pop("Variable")
    text = json.dumps(d).replace(
        '#/components/schemas/Variable"', '#/components/schemas/PromptVariable"'
    )
    d.clear()
    d.update(json.loads(text))


def _one_member_all_of(d: Doc) -> None:
    for schema in _schemas(d).values():
        for name, prop in list(schema.get("properties", {}).items()):
            if "$ref" in prop:
                schema["properties"][name] = {"allOf": [prop]}


def _reorder_keys(d: Doc) -> None:
    reordered = json.loads(json.dumps(d, sort_keys=True))
    d.clear()
    d.update(reordered)


def _add_param(param: Doc) -> Callable[[Doc], None]:
    """GET /prompts declares one more parameter."""
    return lambda d: _op(d, "/prompts", "get")["parameters"].append(param)


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
    params = _op(d, "/prompts", "get")["parameters"]
    _op(d, "/prompts", "get")["parameters"] = [
        copy.deepcopy(shared) if p.get("$ref") == "#/components/parameters/Limit" else p
        for p in params
    ]


def _inline_response(d: Doc) -> None:
    responses = _op(d, "/prompts", "get")["responses"]
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


def _set(path: list[str | int], value: Any) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        node: Any = d
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return mutate


def _delete(path: list[str | int]) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        node: Any = d
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return mutate


def _both(*steps: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def mutate(d: Doc) -> None:
        for step in steps:
            step(d)

    return mutate


S = ["components", "schemas"]
P = ["components", "parameters"]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CASES = [
    # operations
    Case(
        "operation removed",
        _delete(["paths", "/prompts/{prompt_id}", "delete"]),
        "operation-removed",
    ),
    Case("path removed", _delete(["paths", "/prompts/{prompt_id}/renders"]), "operation-removed"),
    Case(
        "operation added",
        _set(["paths", "/health"], {"get": {"responses": {"200": {"description": "ok"}}}}),
        "operation-added",
        INFO,
    ),
    Case("path parameter renamed", _rename_path_parameter, None, None),
    Case(
        "deprecated, no sunset",
        _set(["paths", "/prompts", "get", "deprecated"], True),
        "operation-deprecated-no-sunset",
        WARN,
    ),
    Case(
        "operationId renamed",
        _set(["paths", "/prompts", "get", "operationId"], "findPrompts"),
        "operation-id-changed",
        WARN,
    ),
    # parameters
    Case(
        "query parameter now required",
        _set([*P, "Limit", "required"], True),
        "parameter-now-required",
    ),
    Case(
        "query parameter removed",
        lambda d: _op(d, "/prompts", "get")["parameters"].pop(1),
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
        "query style changed", _set([*P, "TagFilter", "explode"], False), "parameter-style-changed"
    ),
    Case(
        "query maximum tightened",
        _set([*P, "Limit", "schema", "maximum"], 10),
        "schema-bound-tightened",
    ),
    Case(
        "query maximum relaxed",
        _set([*P, "Limit", "schema", "maximum"], 1000),
        "schema-bound-compatible",
        INFO,
    ),
    Case(
        "query type changed", _set([*P, "Limit", "schema", "type"], "string"), "schema-type-changed"
    ),
    Case(
        "query default changed",
        _set([*P, "Limit", "schema", "default"], 50),
        "schema-default-changed",
        WARN,
    ),
    # request bodies
    Case(
        "request property now required",
        lambda d: _schemas(d)["PromptCreate"]["required"].append("description"),
        "property-now-required",
    ),
    Case(
        "required request property added", _add_required_request_property, "property-added-required"
    ),
    Case(
        "optional request property added",
        _set([*S, "PromptCreate", "properties", "owner"], {"type": "string"}),
        "property-added",
        INFO,
    ),
    Case(
        "request maxLength tightened",
        _set([*S, "PromptCreate", "properties", "template", "maxLength"], 100),
        "schema-bound-tightened",
    ),
    Case(
        "request pattern added",
        _set([*S, "PromptCreate", "properties", "template", "pattern"], "^[a-z]"),
        "schema-pattern-added",
    ),
    Case(
        "petstore: enum value removed",
        lambda d: _schemas(d)["Pet"]["properties"]["status"]["enum"].remove("sold"),
        "schema-enum-narrowed",
        ERR,
        PETSTORE,
    ),
    Case(
        "petstore: enum value added",
        lambda d: _schemas(d)["Pet"]["properties"]["status"]["enum"].append("lost"),
        "schema-enum-widened",
        ERR,
        PETSTORE,
    ),
    Case(
        "request opened to other members",
        _delete([*S, "PromptPatch", "additionalProperties"]),
        "additional-properties-opened",
        INFO,
    ),
    Case(
        "request media type removed",
        lambda d: _op(d, "/prompts", "post")["requestBody"]["content"].__setitem__(
            "application/xml",
            _op(d, "/prompts", "post")["requestBody"]["content"].pop("application/json"),
        ),
        "request-media-type-removed",
    ),
    Case(
        "request nullable removed",
        _set([*S, "PromptCreate", "properties", "description", "type"], "string"),
        "schema-nullable-changed",
    ),
    Case(
        "request body now optional",
        _set(["paths", "/prompts", "post", "requestBody", "required"], False),
        "request-body-now-optional",
        INFO,
    ),
    # responses
    Case("response property removed", _remove_property, "property-removed"),
    Case(
        "response property now optional",
        lambda d: _drop_required(_schemas(d)["Prompt"], "template"),
        "property-now-optional",
    ),
    Case(
        "response type widened",
        _set([*S, "Prompt", "properties", "latest_version", "type"], ["integer", "string"]),
        "schema-type-changed",
    ),
    Case(
        "response now nullable",
        _set([*S, "Prompt", "properties", "template", "type"], ["string", "null"]),
        "schema-nullable-changed",
    ),
    Case(
        "response format changed",
        _set([*S, "Prompt", "properties", "created_at", "format"], "date"),
        "schema-format-changed",
    ),
    Case(
        "response maxLength relaxed",
        _set([*S, "Prompt", "properties", "template", "maxLength"], 200000),
        "schema-bound-relaxed",
        WARN,
    ),
    Case(
        "success status removed",
        _delete(["paths", "/prompts", "post", "responses", "201"]),
        "response-success-removed",
    ),
    Case(
        "error status added",
        _set(["paths", "/prompts", "get", "responses", "418"], {"description": "teapot"}),
        "response-error-added",
        INFO,
    ),
    Case(
        "response media type removed",
        _delete(["paths", "/prompts", "get", "responses", "200", "content", "application/json"]),
        "response-media-type-removed",
    ),
    Case(
        "response header removed",
        _delete(["paths", "/prompts", "post", "responses", "201", "headers", "Location"]),
        "response-header-removed",
    ),
    Case(
        "readOnly flipped",
        _set([*S, "Prompt", "properties", "name", "readOnly"], True),
        "schema-read-write-changed",
        WARN,
    ),
    # security
    Case(
        "both credentials now needed",
        _set(
            ["paths", "/prompts", "get", "security"],
            [{"oauth2": ["prompts:read"], "apiKey": ["prompts:read"]}],
        ),
        "security-added",
    ),
    Case(
        "alternative removed",
        _set(["paths", "/prompts", "get", "security"], [{"oauth2": ["prompts:read"]}]),
        "security-added",
    ),
    Case(
        "scope added",
        _set(
            ["paths", "/prompts", "get", "security"],
            [{"oauth2": ["prompts:read", "prompts:admin"]}, {"apiKey": ["prompts:read"]}],
        ),
        "security-scope-added",
    ),
    Case(
        "servers changed",
        _set(["servers"], [{"url": "https://elsewhere.example/v2"}]),
        "servers-changed",
        WARN,
    ),
    # more parameters
    Case(
        "query minimum raised",
        _set([*P, "Limit", "schema", "minimum"], 5),
        "schema-bound-tightened",
    ),
    Case(
        "header parameter now optional",
        _set([*P, "IfMatch", "required"], False),
        "parameter-now-optional",
        INFO,
    ),
    Case(
        "header maxLength tightened",
        _set([*P, "IfMatch", "schema", "maxLength"], 64),
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
        _set([*P, "Limit", "schema", "format"], "date"),
        "schema-format-changed",
    ),
    # more request bodies
    Case(
        "request body removed",
        _delete(["paths", "/prompts", "post", "requestBody"]),
        "request-body-removed",
        WARN,
    ),
    Case(
        "request maxItems tightened",
        _set([*S, "PromptCreate", "properties", "tags", "maxItems"], 5),
        "schema-bound-tightened",
    ),
    Case(
        "request minLength raised",
        _set([*S, "PromptCreate", "properties", "template", "minLength"], 10),
        "schema-bound-tightened",
    ),
    Case(
        "request item pattern dropped",
        _delete([*S, "PromptCreate", "properties", "tags", "items", "pattern"]),
        "schema-pattern-compatible",
        INFO,
    ),
    Case(
        "request type widened",
        _set(
            [*S, "PromptCreate", "properties", "description", "type"], ["string", "integer", "null"]
        ),
        "schema-type-widened",
        INFO,
    ),
    Case(
        "request format added",
        _set([*S, "PromptCreate", "properties", "name", "format"], "hostname"),
        "schema-format-changed",
    ),
    Case(
        "request map values tightened",
        _set(
            [*S, "RenderRequest", "properties", "variables", "additionalProperties", "maxLength"],
            10,
        ),
        "schema-bound-tightened",
    ),
    Case(
        "request map closed",
        _set([*S, "RenderRequest", "properties", "variables", "additionalProperties"], False),
        "additional-properties-closed",
    ),
    Case(
        "request media type added",
        lambda d: _op(d, "/prompts", "post")["requestBody"]["content"].__setitem__(
            "application/x-www-form-urlencoded",
            {"schema": {"$ref": "#/components/schemas/PromptCreate"}},
        ),
        "request-media-type-added",
        INFO,
    ),
    # more responses
    Case(
        "response property added",
        _set([*S, "Prompt", "properties", "owner"], {"type": "string"}),
        "property-added",
        INFO,
    ),
    Case(
        "problem detail now always sent",
        lambda d: _schemas(d)["Problem"]["required"].append("detail"),
        "property-required-compatible",
        INFO,
    ),
    Case(
        "response enum added",
        _set([*S, "Prompt", "properties", "name", "enum"], ["greeting"]),
        "schema-enum-compatible",
        INFO,
    ),
    Case(
        "response minimum lowered",
        _set([*S, "Prompt", "properties", "latest_version", "minimum"], 0),
        "schema-bound-relaxed",
        WARN,
    ),
    Case(
        "response header added",
        _set(
            ["paths", "/prompts", "get", "responses", "200", "headers"],
            {"X-Total": {"schema": {"type": "integer"}}},
        ),
        "response-header-added",
        INFO,
    ),
    Case(
        "response header now required",
        _set(["components", "headers", "ETag", "required"], True),
        None,
        None,
    ),
    Case(
        "error status removed",
        _delete(["paths", "/prompts", "get", "responses", "400"]),
        "response-error-removed",
        INFO,
    ),
    Case(
        "success status added",
        _set(["paths", "/prompts", "post", "responses", "200"], {"description": "replayed"}),
        "response-success-added",
        WARN,
    ),
    Case(
        "response media type added",
        lambda d: _op(d, "/prompts", "get")["responses"]["200"]["content"].__setitem__(
            "text/csv", {"schema": {"type": "string"}}
        ),
        "response-media-type-added",
        WARN,
    ),
    Case(
        "response never null now",
        _set([*S, "Prompt", "properties", "description", "type"], "string"),
        "schema-nullable-compatible",
        INFO,
    ),
    Case(
        "response item type changed",
        _set([*S, "Prompt", "properties", "tags", "items", "type"], "integer"),
        "schema-type-changed",
    ),
    # numeric widths and oneOf constraints (found by the GitHub release-pair spot check)
    Case(
        "request int32 → int64",
        _set([*P, "Limit", "schema", "format"], "int64"),
        "schema-format-relaxed",
        INFO,
    ),
    Case(
        "response int32 → int64",
        _set([*S, "Prompt", "properties", "latest_version", "format"], "int64"),
        "schema-format-changed",
    ),
    Case(
        "request oneOf introduced",
        _set(
            [*S, "PromptCreate", "properties", "template"],
            {"oneOf": [{"type": "string", "maxLength": 100}]},
        ),
        "schema-variants-constrained",
    ),
    Case(
        "response oneOf introduced",
        _set(
            [*S, "Prompt", "properties", "template"],
            {"oneOf": [{"type": "string", "minLength": 1}]},
        ),
        "schema-variants-compatible",
        INFO,
    ),
    # more security
    Case(
        "operation made public",
        _set(["paths", "/prompts", "get", "security"], []),
        "security-relaxed",
        INFO,
    ),
    Case(
        "public alternative added",
        lambda d: _op(d, "/prompts", "get")["security"].append({}),
        "security-relaxed",
        INFO,
    ),
    # more refactors
    Case("descriptions and examples rewritten", _rewrite_prose, None, None),
    Case("shared parameter inlined", _inline_parameter, None, None),
    Case("shared response inlined", _inline_response, None, None),
    # refactors: no change at all
    Case("inline instead of $ref", _inline_component, None, None),
    Case("component renamed", _rename_component, None, None),
    Case("allOf with one member", _one_member_all_of, None, None),
    Case("reordered keys", _reorder_keys, None, None),
    # the shared corpus
    Case(
        "petstore: path parameter type changed",
        _set(["paths", "/pet/{petId}", "get", "parameters", 0, "schema"], {"type": "string"}),
        "schema-type-changed",
        ERR,
        PETSTORE,
    ),
    Case(
        "petstore: deprecated with a sunset",
        _both(
            _set(["paths", "/pet/findByStatus", "get", "deprecated"], True),
            _set(["paths", "/pet/findByStatus", "get", "x-sunset"], "2027-06-30"),
        ),
        "operation-deprecated",
        INFO,
        PETSTORE,
    ),
    Case(
        "petstore: response media type removed",
        _delete(["paths", "/pet/{petId}", "get", "responses", "200", "content", "application/xml"]),
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
        _delete([*S, "Pet", "properties", "name"]),
        "property-removed",
        ERR,
        PETSTORE,
    ),
]


def _run(tmp_path: Path, base: Path, mutate: Callable[[Doc], None], fmt: str = "yaml") -> Any:
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    mutate(changed)
    new = tmp_path / f"new.{fmt}"
    text = (
        json.dumps(changed, indent=1) if fmt == "json" else yaml.safe_dump(changed, sort_keys=False)
    )
    new.write_text(text, encoding="utf-8")
    return diff_specs(str(base), str(new))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_mutation(case: Case, tmp_path: Path) -> None:
    outcome = _run(tmp_path, case.base, case.mutate)
    found = {(d.rule, d.severity) for d in outcome.diagnostics}
    if case.expect is None:
        assert not outcome.diagnostics, [d.message for d in outcome.diagnostics]
        return
    assert (case.expect, case.level) in found, [(d.rule, d.message) for d in outcome.diagnostics]
    if case.level is not ERR:  # a compatible or doubtful change is not called breaking
        assert not [d for d in outcome.diagnostics if d.severity is ERR], outcome.diagnostics


def test_30_nullable_and_31_type_list_mean_the_same(tmp_path: Path) -> None:
    old = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "note": {"type": "string", "nullable": True}}}}}}}}}},
    }  # fmt: skip
    new = copy.deepcopy(old)
    new["openapi"] = "3.1.0"
    note = new["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
    note["schema"]["properties"]["note"] = {"type": ["string", "null"]}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    assert diff_specs(str(tmp_path / "old.json"), str(tmp_path / "new.json")).diagnostics == ()
    note["schema"]["properties"]["note"] = {"type": "string"}  # not nullable any more
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    found = diff_specs(str(tmp_path / "old.json"), str(tmp_path / "new.json")).diagnostics
    assert [d.rule for d in found] == ["schema-nullable-compatible"]  # a response never null


def test_json_against_yaml_is_no_change(tmp_path: Path) -> None:
    outcome = _run(tmp_path, PROMPTS, lambda d: None, fmt="json")
    assert outcome.diagnostics == ()


def test_the_corpus_has_its_families() -> None:
    assert len(CASES) >= 80
    refactors = [c for c in CASES if c.expect is None]
    assert len(refactors) >= 8  # and JSON vs YAML, 3.0 nullable vs 3.1 type lists below


_VARIANTS: Doc = {
    "openapi": "3.1.0", "info": {"title": "labels", "version": "1"},
    "paths": {"/l": {"post": {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"labels": {"oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
            ]}}}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]},
        ]}}}}},
    }}},
}  # fmt: skip
_LABELS = [
    "paths",
    "/l",
    "post",
    "requestBody",
    "content",
    "application/json",
    "schema",
    "properties",
    "labels",
]
_ANSWER = ["paths", "/l", "post", "responses", "200", "content", "application/json", "schema"]


def _at(d: Doc, path: list[str]) -> Any:
    node: Any = d
    for step in path:
        node = node[step]
    return node


@pytest.mark.parametrize(
    ("name", "mutate", "breaking"),
    [
        # two request variants merged into one that takes both: no client breaks (GitHub labels)
        (
            "merged wider",
            lambda d: _at(d, _LABELS).__setitem__(
                "oneOf",
                [
                    {
                        "type": "array",
                        "items": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "object", "properties": {"name": {"type": "string"}}},
                            ]
                        },
                    }
                ],
            ),
            None,
        ),
        (
            "request variant removed",
            lambda d: _at(d, _LABELS)["oneOf"].pop(1),
            "schema-variants-removed",
        ),
        (
            "response variant added",
            lambda d: _at(d, _ANSWER)["oneOf"].append(
                {"type": "object", "properties": {"c": {"type": "boolean"}}, "required": ["c"]}
            ),
            "schema-variants-added",
        ),
        ("response variants reordered", lambda d: _at(d, _ANSWER)["oneOf"].reverse(), None),
        (
            "request anyOf of requirements: a new constraint",
            lambda d: _at(d, _LABELS[:-2]).__setitem__(
                "anyOf", [{"required": ["labels"]}, {"required": ["other"]}]
            ),
            "schema-variants-constrained",
        ),
    ],
)
def test_variants_are_matched_by_coverage(
    name: str, mutate: Callable[[Doc], None], breaking: str | None, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    changed = copy.deepcopy(_VARIANTS)
    mutate(changed)
    old.write_text(json.dumps(_VARIANTS), encoding="utf-8")
    new.write_text(json.dumps(changed), encoding="utf-8")
    errors = [d.rule for d in diff_specs(str(old), str(new)).diagnostics if d.severity is ERR]
    assert (errors[:1] == [breaking]) if breaking else not errors, (name, errors)
