"""Sort the harness' problems into failure classes, each with a stable reason id.

Classes: (a) generator bug, (b) runtime bug, (c) spec broken, (d) schemathesis limitation or
false positive, (e) harness limitation. A problem no rule explains stays unclassified ("?",
reason "unexplained"): the corpus test fails on those, and so should a reviewer.

Rules check evidence, not only message shapes: "format int64 not enforced" needs an integer
outside the int64 range in the request; "spec broken" needs a proof (a metaschema
violation, a required property that additionalProperties: false forbids, an operation
without any acceptable response), which is recorded in `Context.proofs`. The rules for
schemathesis' findings and the runtime's log are in classify_checks.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# reason id -> (class, explanation)
REASONS: dict[str, tuple[str, str]] = {
    # (a) generator
    "gen-unused-import": (
        "a",
        "app.py/service.py import toolkit.runtime names they never use (ruff F401): the import "
        "block is fixed text, not derived from what the module renders",
    ),
    "gen-security-wrap": (
        "a",
        "app.py: a `security=` literal longer than 100 columns is re-wrapped by "
        "generate/app.py::_wrapped, which splits its repr on '), (' and so cuts nested tuples "
        "into invalid Python (SyntaxError on import; ruff and mypy fail)",
    ),
    "gen-import-order": (
        "a",
        "a generated import line longer than 88 columns is not wrapped as isort wants (ruff "
        "I001), e.g. `from .service import <LongTitle>Service` in __init__.py and app.py",
    ),
    "gen-models-style": (
        "a",
        "models.py as datamodel-code-generator writes it fails `ruff check --isolated` (whose "
        "defaults include isort and pyupgrade): `typing.Dict` and an unsorted import block for "
        "models with typed additionalProperties (UP035, UP006, I001); ctk runs no fixer on it",
    ),
    "gen-enum-duplicate": (
        "a",
        "models.py: an enum listing a value twice becomes an Enum with duplicate members "
        "(ruff PIE796); enum values should be de-duplicated",
    ),
    "gen-default-literal": (
        "a",
        "models.py: a (valid) default is rendered as the raw JSON value on a type that cannot "
        "hold it: an Enum ('red' for Color), a model ({...}), a list of Enums, or a RootModel "
        "made of one anyOf branch (mypy assignment/list-item); datamodel-code-generator's "
        "`deserialize_default_values` covers the Enum/model cases",
    ),
    "gen-override": (
        "a",
        "an allOf child narrows a property of its base (object -> model, enum -> Literal) and "
        "models.py redeclares it with a type mypy rejects as an incompatible override",
    ),
    "gen-missing-classes": (
        "a",
        "an inline body/response schema is hoisted as `<Op>Request_2` when `<Op>Request` is "
        "taken, and datamodel-code-generator renames it (`<Op>Request2`): ctk then stops with "
        "'generated models lack expected classes'",
    ),
    "gen-email-strict": (
        "a",
        "`format: email` becomes pydantic EmailStr (email-validator), which refuses addresses "
        "the JSON Schema format accepts (special-use domains such as .test): 500 'a generator "
        "bug' for a valid body",
    ),
    "gen-untyped-object": (
        "a",
        "a schema with `properties` but no `type: object` accepts any JSON value (null, an "
        "array, a string) while its generated model only accepts objects: 500 'a generator "
        "bug' for a body the document allows",
    ),
    "gen-tagged-union": (
        "a",
        "a oneOf/anyOf with a discriminator becomes a pydantic tagged union, which refuses "
        "values the JSON Schema accepts (no or unknown tag): 500 'a generator bug'",
    ),
    "gen-base64str": (
        "a",
        "`format: byte` becomes pydantic Base64Str, which decodes the base64 and then requires "
        "UTF-8: valid base64 of arbitrary bytes (e.g. 'nA==') is refused, 500 'a generator bug' "
        "(Base64Bytes, or plain str, would match the schema)",
    ),
    "gen-model-rejects": (
        "a",
        "the generated pydantic model refuses a body the document's JSON Schema accepts (500)",
    ),
    # (b) runtime
    "rt-int-format": (
        "b",
        "OpenAPI `format: int32/int64` ranges are not enforced: out-of-range integers are "
        "accepted (negative_data_rejection)",
    ),
    "rt-format-uuid": (
        "b",
        "3.0 documents are validated as Draft 4, which does not know `format: uuid`: a non-UUID "
        "string passes as a parameter (negative_data_rejection) and reaches pydantic's UUID in "
        "a body (uuid_parsing, 500 'a generator bug')",
    ),
    "rt-json-bigint": (
        "b",
        "orjson parses integers below -2**63 or above 2**64-1 as floats, changing the value: "
        "the JSON Schema then refuses it (Draft 4: not an integer, 422) or pydantic does "
        "(int_parsing_size, 500) although the document allows any integer",
    ),
    "rt-nonjson-body": (
        "b",
        "request bodies whose media type is not application/json or +json (forms, multipart, "
        "text/csv, text/json, XML) reach the handler as bytes without validation, so invalid "
        "ones are accepted (documented in ADR 0005, but it fails negative_data_rejection)",
    ),
    "rt-problem-media": (
        "b",
        "error responses are always application/problem+json, even where the operation "
        "documents that status (or `default`) with another media type",
    ),
    "rt-problem-schema": (
        "b",
        "the problem+json error body does not match the error schema the operation documents",
    ),
    "rt-status-choice": (
        "b",
        "a missing required parameter or body is always answered 400, even when the operation "
        "documents only 422 for client errors",
    ),
    "rt-empty-object-param": (
        "b",
        "an object parameter whose form/simple serialization is the empty string (the "
        "serialization of {}) is refused ('' is not of type object)",
    ),
    "rt-empty-text-body": (
        "b",
        "a required non-JSON body that is empty (the empty text/plain string) is refused as "
        "missing (400)",
    ),
    "rt-no-responses": (
        "b",
        "with validate_responses, an operation that documents no responses (allowed in 3.1) "
        "answers every request with 500: the status is 'not documented'",
    ),
    "rt-route-specificity": (
        "b",
        "routing ranks a segment mixing literal text and a parameter (`{resource}:getIamPolicy`) "
        "like a bare parameter (`{name}`), so the first-listed `/v1/{name}` wins and the custom "
        "method answers 405 (Allow lists the other route's methods)",
    ),
    "rt-unsupported-scheme": (
        "b",
        "build_app refuses a security scheme type it cannot check (mutualTLS, or an unknown one)",
    ),
    "rt-startup": ("b", "build_app/create_app raised for a document that compiles"),
    # (c) spec
    "spec-invalid-schema": (
        "c",
        "a schema breaks its draft's metaschema (e.g. `pattern: 0`; `exclusiveMaximum: true` "
        "in 3.1), so it cannot be compiled or generated from (proof: the metaschema error)",
    ),
    "spec-wildcard-structured-body": (
        "c",
        "the request body is documented only as a media range (`*/*`, `text/*`) with a "
        "structured schema: the document does not say how a body of another type (YAML, XML) "
        "maps onto the schema, so a server checks the JSON ones and takes the rest as opaque "
        "bytes; schemathesis sent an invalid value in such a type (negative_data_rejection)",
    ),
    "spec-invalid-media-type": (
        "c",
        "a `content` key is not a media type (`data`, `*`: RFC 6838 wants type/subtype, `*/*` "
        "for any): schemathesis cannot parse what the response documents, so every answer "
        "fails content_type_conformance",
    ),
    "spec-no-acceptable-response": (
        "c",
        "the operation documents no 2xx, 3xx, default, 401, 403, 404, 409 or 429 response (only "
        "e.g. 400/405): no answer to a valid request can satisfy positive_data_acceptance",
    ),
    "spec-unsatisfiable": (
        "c",
        "a schema no value satisfies: a required property that additionalProperties: false "
        "forbids, or an array whose `enum` lists only non-arrays (proof recorded)",
    ),
    "spec-fragment-paths": (
        "c",
        "path keys carrying a '#fragment' (AWS '/#Action=X', '/cookies#formExploded'): HTTP "
        "never sends fragments, so these operations share one URL (or none exists): requests "
        "reach another operation or 404",
    ),
    "spec-identical-templates": (
        "c",
        "two path templates differ only in parameter names (/documents/{document_id} and "
        "/documents/{inbox_id}), which OpenAPI forbids: one shadows the other at run time",
    ),
    "spec-no-content-with-body": (
        "c",
        "a 204 or 304 response documents content: HTTP (RFC 9110 15.3.5) forbids the body, so "
        "no server can send the Content-Type and body schemathesis checks for",
    ),
    "spec-example-invalid": (
        "c",
        "a parameter's or request body's `example` breaks its own schema (e.g. `Content-Range: "
        "bytes 200-100/5000` for a pattern `^bytes ...`, a body valid under two `oneOf` "
        "branches, `[Base64 encoded content]` for `format: byte`), and schemathesis' examples "
        "phase sends it: refusing it is right (lint rule example-valid)",
    ),
    "spec-default-invalid": (
        "c",
        "a property's `default` is not a value of its own schema (e.g. default: null on a "
        "non-nullable string, default: true on a string), so the model's default does not "
        "type-check (proof recorded)",
    ),
    "spec-discriminator-values": (
        "c",
        "a discriminator without `mapping` implies the schema names as tag values, which the "
        "tag property's `enum` does not allow (the spec relies on x-ms-discriminator-value): "
        "the subclass Literal conflicts with the parent's enum type (mypy)",
    ),
    # (d) schemathesis
    "st-undocumented-error-status": (
        "d",
        "status_code_conformance: the runtime rightly rejects a negative or unauthenticated "
        "request (400/401/404/405/406/415/422), but the operation documents no status for that "
        "kind of error (nor 4XX/default): every correct server fails this check",
    ),
    "st-no-responses": (
        "d",
        "status_code_conformance: the operation documents no responses at all (allowed in "
        "3.1, it promises nothing), so schemathesis calls every status, even 200, undocumented",
    ),
    "st-ambiguous-style": (
        "d",
        "negative_data_rejection: the 'invalid' path value schemathesis sends "
        "(label/matrix/simple style) is also the serialization of a valid value, which the "
        "runtime rightly accepts",
    ),
    "st-ambiguous-multipart": (
        "d",
        "negative_data_rejection: the 'invalid' multipart field schemathesis sends (e.g. `{}` "
        "for an array of strings) goes out as one text part, which is also the serialization "
        "of a valid value (a one-item array, or a string), or an optional field 'made an "
        "array' is sent as [] which is no part at all, so the runtime rightly accepts it",
    ),
    "st-ambiguous-form": (
        "d",
        "negative_data_rejection: the 'invalid' form body schemathesis sends is also the "
        "serialization of a valid request: the empty form of an optional body (the same bytes "
        "as no body), or one value `k=AAA` for an array of strings (the array ['AAA'])",
    ),
    "st-ambiguous-text": (
        "d",
        "negative_data_rejection: schemathesis calls a text/* body 'of the wrong type' (it "
        "generated a JSON object) but sends it as text, and the schema is a plain string, "
        "which every text is",
    ),
    "st-nested-style": (
        "d",
        "positive_data_acceptance: schemathesis puts nested arrays/objects (Python reprs) into a "
        "style-serialized object parameter; OpenAPI defines no such serialization",
    ),
    "st-spacedelimited-object": (
        "d",
        "schemathesis serializes a spaceDelimited/pipeDelimited object query parameter as "
        "repeated keys (object=name&object=description), which is no OpenAPI serialization",
    ),
    "st-discriminator": (
        "d",
        "negative_data_rejection: schemathesis picks the oneOf/anyOf branch by the "
        "discriminator and calls the value invalid, but the JSON Schema (another branch, e.g. "
        "an empty schema) accepts it",
    ),
    "st-form-empty-array": (
        "d",
        "positive_data_acceptance: schemathesis sends a required array property of a form body "
        "as [], which has no form serialization (no `name=` pair at all): on the wire the "
        "required property is missing, and refusing that is right",
    ),
    "st-captured-null": (
        "d",
        "positive_data_acceptance: schemathesis (fuzzing, extra data sources) fills a path "
        "parameter from a field of an earlier response that was (validly) null and sends the "
        "text `null`, which the parameter's own schema refuses",
    ),
    "st-object-array-style": (
        "d",
        "positive_data_acceptance: schemathesis serializes an array of objects in a form-style "
        "query parameter (or property) by listing the objects' keys (`sortings=key&sortings="
        "value`); OpenAPI defines no form serialization for arrays of objects",
    ),
    "st-too-large-rejection": (
        "d",
        "negative_data_rejection: the runtime refuses an over-long body with 413 Content Too "
        "Large (its body size limit), a status schemathesis does not count as a rejection",
    ),
    "st-int-format-range": (
        "d",
        "positive_data_acceptance: schemathesis does not apply `format: int32/int64` ranges and "
        "sends a number beyond them (e.g. the schema's own `maximum: 9223372036854776000` "
        "next to `format: int64`), which the runtime rightly refuses",
    ),
    "st-regex-unicode": (
        "d",
        "positive_data_acceptance: schemathesis generates strings for a pattern with Unicode "
        "property classes (\\p{L}, \\p{Z}) that do not match it (e.g. a TAB for \\p{Z})",
    ),
    # (e) harness
    "harness-no-example": ("e", "no schema-valid example could be built for the operation"),
    "harness-auth": ("e", "schemathesis cannot send a credential for this security scheme type"),
    "harness-timeout": ("e", "the spec did not finish within the per-spec timeout"),
    "harness-budget": (
        "e",
        "schemathesis was stopped at the per-spec time budget before every operation was tested",
    ),
    "harness-crash": ("e", "the harness crashed"),
    "unexplained": ("?", "no rule explains this problem yet"),
}


@dataclass
class Context:
    document: Mapping[str, Any] | None
    package_dir: Path | None
    op_ids: dict[str, str] = field(default_factory=dict)  # operationId -> "GET /path"
    log: list[Any] = field(default_factory=list)  # the runtime-log problems
    proofs: list[str] = field(default_factory=list)  # evidence for (c) verdicts

    def __post_init__(self) -> None:
        if not self.op_ids and self.document:  # results of older harness runs lack them
            for path, item in (self.document.get("paths") or {}).items():
                for method, op in item.items() if isinstance(item, dict) else []:
                    if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                        self.op_ids[op["operationId"]] = f"{method.upper()} {path}"

    def operation(self, label: str) -> Mapping[str, Any]:
        method, _, path = label.partition(" ")
        item = ((self.document or {}).get("paths") or {}).get(path)
        op = item.get(method.lower()) if isinstance(item, dict) else None
        return op if isinstance(op, dict) else {}

    def statuses(self, label: str) -> set[str]:
        return {str(s).upper() for s in self.operation(label).get("responses") or {}}

    def log_for(self, label: str) -> list[str]:
        wanted = {op_id for op_id, lab in self.op_ids.items() if lab == label}
        found = []
        for entry in self.log:
            match = re.search(r"operation (\S+?):? ", entry.message)
            if match and match[1] in wanted:
                found.append(entry.message)
        return found

    def text(self, name: str) -> str:
        try:
            return (self.package_dir / name).read_text(encoding="utf-8") if self.package_dir else ""
        except OSError:
            return ""

    def prove(self, text: str) -> None:
        if text not in self.proofs:
            self.proofs.append(text)


Rule = Callable[[Any, Context], str | None]
RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def classify_problems(problems: list[Any], context: Context) -> None:
    import classify_checks  # noqa: F401 - registers the schemathesis and runtime-log rules

    context.log = [p for p in problems if p.stage == "runtime-log"]
    for problem in problems:
        reason = next((r for r in (f(problem, context) for f in RULES) if r), "unexplained")
        problem.reason = reason
        problem.klass = REASONS[reason][0]


def schemas(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, schema) for every schema-like object in the document (has properties,
    items, type or enum)."""
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if any(k in node for k in ("properties", "items", "type", "enum")):
                yield pointer, node
            for key, value in node.items():
                stack.append((value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(node, list):
            stack.extend((value, f"{pointer}/{i}") for i, value in enumerate(node))


# -- generate / import / ruff / mypy -----------------------------------------------------------


@rule
def _generate(p: Any, ctx: Context) -> str | None:
    if p.stage != "generate":
        return None
    if "lack expected classes" in p.message and re.search(r"_\d+\b", p.message):
        return "gen-missing-classes"
    if "datamodel-code-generator failed" in p.message:
        name = re.search(r"#/components/schemas/([^'\"/]+)", p.message)
        if name and _invalid_component(ctx, name[1]):
            return "spec-invalid-schema"
    return None


def _invalid_component(ctx: Context, generated_name: str) -> bool:
    """The component ctk renamed to `generated_name` breaks its metaschema."""
    from toolkit.model.names import pascal

    components = ((ctx.document or {}).get("components") or {}).get("schemas") or {}
    for name, schema in components.items():
        if pascal(str(name), fallback="Schema") == generated_name:
            error = metaschema_error(ctx, schema)
            if error:
                ctx.prove(f"components/schemas/{name}: {error}")
                return True
    return False


def metaschema_error(ctx: Context, schema: Any) -> str | None:
    import jsonschema_rs

    legacy = not str((ctx.document or {}).get("openapi", "")).startswith("3.1")
    dialect = (
        "http://json-schema.org/draft-04/schema#"
        if legacy
        else "https://json-schema.org/draft/2020-12/schema"
    )
    if not isinstance(schema, dict):
        return None
    try:
        jsonschema_rs.meta.validate({**schema, "$schema": dialect})
    except jsonschema_rs.ValidationError as error:
        return f"{error.message} (at {'/'.join(map(str, error.instance_path))})"
    except Exception:
        return None
    return invalid_pattern(schema)


def invalid_pattern(schema: Any) -> str | None:
    """A `pattern` in `schema` (its `$ref`s not followed) that is no regex: both jsonschema-rs
    (ECMA-262 dialect, what JSON Schema prescribes) and Python's `re` refuse to compile it,
    e.g. Java's `\\p{XDigit}`, which names no ECMA-262 Unicode property."""
    import jsonschema_rs

    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            try:
                jsonschema_rs.validator_for({"pattern": pattern})
            except (ValueError, jsonschema_rs.ValidationError) as error:
                try:
                    re.compile(pattern)
                except re.error as python_error:
                    first = str(error).splitlines()[0] if str(error) else type(error).__name__
                    return f"pattern {pattern!r} is no regex: {first}; Python: {python_error}"
        stack.extend(v for k, v in node.items() if k not in ("example", "examples", "enum"))
    return None


def _wrapped_security(ctx: Context) -> bool:
    return re.search(r"^ +security=\(\n +\(\('", ctx.text("app.py"), re.MULTILINE) is not None


@rule
def _build_stages(p: Any, ctx: Context) -> str | None:
    syntax = (
        (p.stage == "ruff" and p.kind == "invalid-syntax")
        or (p.stage == "mypy" and p.kind == "syntax")
        or (p.stage == "import" and p.kind == "SyntaxError")
    )
    if syntax:
        return "gen-security-wrap" if _wrapped_security(ctx) else None
    if p.stage == "ruff":
        if p.kind == "F401" and re.match(
            r"(app|service)\.py: `(toolkit\.runtime\.|typing\.Any)", p.message
        ):
            return "gen-unused-import"
        if p.kind == "I001" and _long_import(ctx, p.detail):
            return "gen-import-order"
        if p.message.startswith("models.py:") and p.kind in ("I001", "UP035", "UP006"):
            return "gen-models-style"
        if p.kind == "PIE796":
            return "gen-enum-duplicate"
    if p.stage == "mypy" and p.kind in ("assignment", "list-item"):
        return _mypy_default(p, ctx)
    if p.stage == "mypy" and p.kind == "arg-type" and 'Argument "security"' in p.message:
        return "gen-security-wrap" if _wrapped_security(ctx) else None
    return None


def _long_import(ctx: Context, where: str) -> bool:
    """The file named in `where` has an import line longer than 88 columns."""
    match = re.match(r"(\w+\.py):", where)
    text = ctx.text(match[1]) if match else ""
    return any(len(line) > 88 and line.startswith("from ") for line in text.splitlines())


def _mypy_default(p: Any, ctx: Context) -> str | None:
    models = ctx.text("models.py")
    detail = p.detail
    override = re.search(r"expression has type \"([^\"]+)\", base class \"(\w+)\"", detail)
    if override:
        literal = re.fullmatch(r"Literal\['([^']+)'\]", override[1])
        if literal and _discriminator_values(ctx, literal[1], override[2]):
            return "spec-discriminator-values"
        return "gen-override"
    expected = re.search(r'(variable has type|expected) "(\w+)"', detail)
    if not expected:
        return None
    kind = expected[2]
    if kind in ("str", "int", "float", "bool") and _invalid_default(ctx, detail):
        return "spec-default-invalid"
    line = re.match(r"models\.py:(\d+)", detail)
    text = models.splitlines()[int(line[1]) - 1] if line and models else ""
    if re.search(rf"^class {kind}\(", models, re.MULTILINE) or re.search(r"\] = |: \w+ = ", text):
        return "gen-default-literal"
    return None


_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


_PY_TO_JSON = {"None": type(None), "bool": bool, "int": int, "float": float, "str": str}


def _invalid_default(ctx: Context, detail: str) -> bool:
    """A schema in the document whose `default` has the (wrong) type mypy reports, against
    its own declared type."""
    found = re.search(r'expression has type "(\w+)", variable has type "(\w+)"', detail)
    if not found or found[1] not in _PY_TO_JSON:
        return False
    given = _PY_TO_JSON[found[1]]
    for pointer, schema in schemas(ctx.document):
        if "default" not in schema or type(schema["default"]) is not given:
            continue
        wanted = _JSON_TYPES.get(str(schema.get("type")))
        value = schema["default"]
        if wanted is None or (value is None and schema.get("nullable") is True):
            continue
        if (
            value is None
            or not isinstance(value, wanted)
            or (isinstance(value, bool) and wanted is not bool)
        ):
            ctx.prove(f"{pointer}: default {json.dumps(value)} is not a {schema['type']}")
            return True
    return False


def _discriminator_values(ctx: Context, literal: str, parent: str) -> str | None:
    components = ((ctx.document or {}).get("components") or {}).get("schemas") or {}
    schema = components.get(parent)
    if not isinstance(schema, dict):
        return None
    discriminator = schema.get("discriminator") or {}
    tag = discriminator.get("propertyName")
    enum = ((schema.get("properties") or {}).get(tag) or {}).get("enum")
    if tag and not discriminator.get("mapping") and isinstance(enum, list) and literal not in enum:
        ctx.prove(
            f"components/schemas/{parent}: discriminator {tag!r} has no mapping, so the tag of "
            f"{literal} is {literal!r}, which the enum {enum} does not allow"
        )
        return "spec-discriminator-values"
    return None


# -- app, examples, harness --------------------------------------------------------------------


@rule
def _app(p: Any, ctx: Context) -> str | None:
    if p.stage == "app" and p.kind == "auth":
        return "harness-auth"
    if p.stage == "app" and p.kind == "OperationError":
        if "does not compile" in p.message:
            pointer = re.search(r"the schema at '([^']+)'", p.message)
            schema = _at(ctx.document, pointer[1]) if pointer else None
            error = metaschema_error(ctx, schema)
            if error:
                ctx.prove(f"{pointer[1] if pointer else '?'}: {error}")
                return "spec-invalid-schema"
            # the broken schema is a component the operation's schema refers to
            named = re.search(r'schema\["components"\]\["schemas"\]\["([^"]+)"\]', p.message)
            components = ((ctx.document or {}).get("components") or {}).get("schemas") or {}
            error = metaschema_error(ctx, components.get(named[1])) if named else None
            if error:
                ctx.prove(f"components/schemas/{named[1] if named else '?'}: {error}")
                return "spec-invalid-schema"
        if "which the runtime cannot check" in p.message:
            return "rt-unsupported-scheme"
        return "rt-startup"
    if p.stage == "app" and "values to unpack" in p.message and _wrapped_security(ctx):
        return "gen-security-wrap"  # the wrapped literal compiled, with the wrong shape
    if p.stage == "example":
        return "harness-no-example"
    if p.stage == "harness":
        return {"timeout": "harness-timeout", "budget": "harness-budget"}.get(
            p.kind, "harness-crash"
        )
    return None


def _at(document: Any, pointer: str) -> Any:
    node = document
    try:
        for token in pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
    except (KeyError, IndexError, ValueError, TypeError):
        return None
    return node
