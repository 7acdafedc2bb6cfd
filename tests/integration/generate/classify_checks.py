"""Rules for schemathesis' findings and the runtime's error log (see classify.py)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, unquote_plus

from classify import Context, _at, rule, schemas

_RUNTIME_REJECTIONS = {"400", "401", "403", "404", "405", "406", "413", "415", "422"}
_ACCEPTABLE_CODES = {"DEFAULT", "401", "403", "404", "409", "429"}


def _received(p: Any) -> str:
    match = re.search(r"\n-> (\d{3})", p.detail)
    return str(match[1]) if match else ""


def _curl(p: Any) -> str:
    return str(p.detail).split("\n-> ", 1)[0]


def _is_problem(p: Any) -> bool:
    return '"type":"about:blank"' in str(p.detail)


def _fuzzed(p: Any) -> bool:
    return bool(p.stage == "schemathesis")


@rule
def _no_content_status(p: Any, ctx: Context) -> str | None:
    """A 204 (or 304) the spec documents with content: HTTP forbids the body, so the
    Content-Type and JSON body schemathesis asks for cannot be sent."""
    if not _fuzzed(p) or p.kind not in ("content_type_conformance", "response_schema_conformance"):
        return None
    status = _received(p) or ("204" if "Missing Content-Type" in p.message else "")
    method, _, path = p.operation.partition(" ")
    item = ((ctx.document or {}).get("paths") or {}).get(path) or {}
    responses = (item.get(method.lower()) or {}).get("responses") or {}
    for code in ("204", "304"):
        response = _deref(ctx.document, responses.get(code))
        if status in ("", code) and isinstance(response, dict) and response.get("content"):
            ctx.prove(f"{p.operation}: {code} documents content, which HTTP forbids")
            return "spec-no-content-with-body"
    return None


@rule
def _fragment_path(p: Any, ctx: Context) -> str | None:
    """Operations whose path key has a '#fragment' cannot be told apart on the wire."""
    if _fuzzed(p) and "#" in p.operation.partition(" ")[2]:
        path = p.operation.partition(" ")[2]
        paths = (ctx.document or {}).get("paths") or {}
        bare = path.split("#", 1)[0] or "/"
        others = [k for k in paths if k != path and k.split("#", 1)[0] == bare]
        ctx.prove(
            f"paths[{path!r}]: the fragment is never sent, so the request path is {bare!r}"
            + (f", shared with {others[:3]}" if others else "")
        )
        return "spec-fragment-paths"
    return None


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


@rule
def _identical_templates(p: Any, ctx: Context) -> str | None:
    if not _fuzzed(p) or not p.operation:
        return None
    path = p.operation.partition(" ")[2]
    twins = [
        k
        for k in (ctx.document or {}).get("paths") or {}
        if k != path and _shape(k) == _shape(path)
    ]
    if twins:
        ctx.prove(f"paths {path!r} and {twins[0]!r} are the same template")
        return "spec-identical-templates"
    return None


_PARTIAL = re.compile(r"/(\{[^}/]+\}[^/{]+|[^/{]+\{[^}/]+\})")


@rule
def _route_specificity(p: Any, ctx: Context) -> str | None:
    """A template segment mixing a literal and a parameter (`{resource}:getIamPolicy`) is
    routed to a bare-parameter template (`{name}`) of the same shape listed before it."""
    path = p.operation.partition(" ")[2]
    if not (_fuzzed(p) and _PARTIAL.search(path)):
        return None
    wrong_route = _received(p) == "405" or p.kind == "allow_header_conformance"
    if not wrong_route:
        return None
    depth = path.count("/")
    rivals = [
        k
        for k in (ctx.document or {}).get("paths") or {}
        if k != path and k.count("/") == depth and "{" in k and not _PARTIAL.search(k)
    ]
    if rivals:
        return "rt-route-specificity"
    return None


# -- 500s: the runtime's log says why ------------------------------------------------------------


def log_cause(messages: list[str], curl: str = "") -> str | None:
    """The reason behind a 500 from the runtime's error log lines of that operation."""
    joined = "\n".join(messages)
    if "int_parsing_size" in joined and (not curl or re.search(r"\d{19,}", curl)):
        return "rt-json-bigint"
    if "uuid_parsing" in joined:
        return "rt-format-uuid"
    if "not a valid email address" in joined:
        return "gen-email-strict"
    if re.search(r"'type': '(model_type|model_attributes_type|dict_type)'", joined):
        return "gen-untyped-object"
    if re.search(r"'type': 'union_tag_(invalid|not_found)'", joined):
        return "gen-tagged-union"
    if "codec can't decode" in joined:
        return "gen-base64str"
    if "int_parsing_size" in joined:
        return "rt-json-bigint"
    if "the body model rejected a body" in joined:
        return "gen-model-rejects"
    return None


@rule
def _server_errors(p: Any, ctx: Context) -> str | None:
    if p.stage == "runtime-log":
        if "the status is not documented" in p.message:
            op = re.search(r"operation (\S+) answered", p.message)
            label = ctx.op_ids.get(op[1], "") if op else ""
            return "rt-no-responses" if label and not ctx.statuses(label) else None
        return log_cause([p.message])
    server_error = p.kind == "not_a_server_error" or (
        p.kind == "status_code_conformance" and _received(p) == "500"
    )
    if not (_fuzzed(p) and server_error):
        return None
    if not ctx.statuses(p.operation) and "its API does not allow" in p.detail:
        return "rt-no-responses"
    return log_cause(ctx.log_for(p.operation), _curl(p))


# -- status codes and media types ----------------------------------------------------------------


@rule
def _status_code(p: Any, ctx: Context) -> str | None:
    if not (_fuzzed(p) and p.kind == "status_code_conformance"):
        return None
    received = _received(p)
    documented = ctx.statuses(p.operation)
    if not documented:
        return "st-no-responses"
    if received not in _RUNTIME_REJECTIONS or not _is_problem(p):
        return None
    if f"{received[0]}XX" in documented or "DEFAULT" in documented:
        return None
    missing = '"detail":"missing required parameters"' in p.detail or (
        '"detail":"the request body is required"' in p.detail
    )
    if received == "400" and missing and "422" in documented:
        return "rt-status-choice"
    if received == "404" and "no such path" not in p.detail:
        return None
    return "st-undocumented-error-status"


_MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+*-]+(\s*;.*)?|\*/\*(\s*;.*)?")


@rule
def _malformed_media_type(p: Any, ctx: Context) -> str | None:
    """schemathesis cannot parse a media type the response documents (`data`, `*`)."""
    if not (_fuzzed(p) and p.kind == "content_type_conformance"):
        return None
    found = re.search(
        r"Media type for Schema is incorrect\n\nReceived: [^\n]*\nDocumented: (.+)", p.message
    )
    if not found:
        return None
    key = found[1].strip()
    for code, response in (ctx.operation(p.operation).get("responses") or {}).items():
        content = (_deref(ctx.document, response) or {}).get("content") or {}
        if key in content and not _MEDIA_TYPE.fullmatch(key):
            ctx.prove(f"{p.operation} {code}: content key {key!r} is not a media type")
            return "spec-invalid-media-type"
    return None


@rule
def _content_type(p: Any, ctx: Context) -> str | None:
    problem = _fuzzed(p) and p.kind == "content_type_conformance" and _is_problem(p)
    if problem and "Received: application/problem+json" in p.message:
        return "rt-problem-media"
    return None


@rule
def _response_schema(p: Any, ctx: Context) -> str | None:
    if _fuzzed(p) and p.kind == "response_schema_conformance" and _is_problem(p):
        return "rt-problem-schema" if _received(p)[:1] in ("4", "5") else None
    return None


# -- negative data accepted ------------------------------------------------------------------------


def _out_of_int_range(text: str) -> bool:
    return any(not -(2**31) <= int(raw) < 2**31 for raw in re.findall(r"-?\d{10,}", text))


def _reachable(ctx: Context, label: str) -> str:
    """The operation and every component it could reach, as JSON text (for keyword search)."""
    op = ctx.operation(label)
    text = json.dumps(op)
    if "$ref" in text:
        text += json.dumps((ctx.document or {}).get("components", {}))
    return text


def _param(ctx: Context, label: str, name: str) -> dict[str, Any]:
    document = ctx.document or {}
    path = label.partition(" ")[2]
    item = (document.get("paths") or {}).get(path) or {}
    for param in [*(item.get("parameters") or []), *(ctx.operation(label).get("parameters") or [])]:
        if isinstance(param, dict) and "$ref" in param:
            param = (
                (document.get("components") or {})
                .get("parameters", {})
                .get(param["$ref"].rsplit("/", 1)[-1], {})
            )
        if isinstance(param, dict) and param.get("name") == name:
            return param
    return {}


@rule
def _negative(p: Any, ctx: Context) -> str | None:
    if not (_fuzzed(p) and p.kind == "negative_data_rejection"):
        return None
    curl = _curl(p)
    if _received(p) == "413" and '"detail":"the request body is larger than' in p.detail:
        return "st-too-large-rejection"
    media = re.search(r"Content-Type: ([\w.+-]+/[\w.+-]+)", curl)
    body = "in body" in p.message or "Missing required property" in p.message or "-d " in curl
    body = body and "Invalid component: parameter" not in p.message  # a bad parameter
    if media and body and not re.fullmatch(r"application/(json|[\w.-]+\+json)", media[1]):
        if _wildcard_structured(ctx, p, media[1]):
            return "spec-wildcard-structured-body"
        if media[1] == "multipart/form-data" and _ambiguous_part(ctx, p):
            return "st-ambiguous-multipart"
        if media[1] == "application/x-www-form-urlencoded" and _ambiguous_form(ctx, p, curl):
            return "st-ambiguous-form"
        if media[1].startswith("text/") and _plain_text(ctx, p, media[1]):
            return "st-ambiguous-text"
        return "rt-nonjson-body"
    bound = r"(greater than maximum|less than minimum|violates .*`(minimum|maximum|format)`)"
    int_format = r'"format": "int(32|64)"'
    out_of_range = re.search(bound, p.message) and _out_of_int_range(curl)
    if out_of_range and re.search(int_format, _reachable(ctx, p.operation)):
        return "rt-int-format"
    name = re.search(r"parameter `([^`]+)` in (path|query|header|cookie)", p.message)
    param = _param(ctx, p.operation, name[1]) if name else {}
    schema = param.get("schema") or {}
    if param and schema.get("format") == "uuid" and not _is_31(ctx):
        return "rt-format-uuid"
    if (
        param
        and name
        and name[2] == "path"
        and (param.get("style") in ("label", "matrix") or schema.get("type") in ("array", "object"))
    ):
        return "st-ambiguous-style"
    query = re.search(r"parameters? (`[^\n]+`) in query", p.message)
    if query and all(_empty_container(ctx, p, curl, n) for n in re.findall(r"`([^`]+)`", query[1])):
        return "st-ambiguous-style"  # `x=` is also the form serialization of [] and {}
    if query and all(_any_text_array(ctx, p, n) for n in re.findall(r"`([^`]+)`", query[1])):
        return "st-ambiguous-style"
    if "Missing required property" in p.message and '"discriminator"' in _reachable(
        ctx, p.operation
    ):
        return "st-discriminator"
    return None


def _wildcard_structured(ctx: Context, p: Any, sent: str) -> bool:
    """The body went out in a type the operation documents only through a range (`*/*`),
    whose schema is structured (an object or array, not text or bytes)."""
    request = ctx.operation(p.operation).get("requestBody") or {}
    content = request.get("content") or {}
    if sent in content or not any("*" in str(m) for m in content):
        return False
    for media, entry in content.items():
        kind, _, sub = str(media).partition("/")
        if "*" not in str(media) or kind not in ("*", sent.partition("/")[0]) or sub != "*":
            continue
        schema = _deref(ctx.document, (entry or {}).get("schema") or {})
        if isinstance(schema, dict) and (
            schema.get("type") in ("object", "array") or "properties" in schema
        ):
            ctx.prove(f"{p.operation}: body documented as {media} with a structured schema")
            return True
    return False


def _ambiguous_part(ctx: Context, p: Any) -> bool:
    """The 'invalid' multipart field went out as one text part that is also a valid value:
    a one-item array of plain strings (repeated parts are the array), or a plain string; or
    an optional field 'made an array' went out as the empty array, i.e. no part at all."""
    request = _schema(ctx, ctx.operation(p.operation).get("requestBody"))
    media = (request.get("content") or {}).get("multipart/form-data") or {}
    became = re.search(
        r"violates `type` at /properties/([^ ]+) \(was \w+, became array\)", p.message
    )
    if became and f'name="{became[1]}"' not in (p.detail or ""):
        optional = became[1] not in ((media.get("schema") or {}).get("required") or [])
        if optional:  # an empty array is zero parts: the same request as the field left out
            ctx.prove(f"{p.operation}: multipart field {became[1]!r} sent as [] = no part at all")
        return optional
    name = re.search(r"in body - ([^:\n]+): Incorrect type", p.message) or re.search(
        r"violates `type` at /properties/([^ /]+) \(was \w+, became (?!array|object)\w+\)",
        p.message,
    )  # a scalar of another type goes out as its text, e.g. `true`: also a valid string
    if name is None:
        return False
    prop = ((media.get("schema") or {}).get("properties") or {}).get(name[1]) or {}
    one = prop.get("items") or {} if prop.get("type") == "array" else prop
    plain = _plain_string(one)
    if plain:
        ctx.prove(f"{p.operation}: multipart field {name[1]!r} takes any text part")
    return plain


def _ambiguous_form(ctx: Context, p: Any, curl: str) -> bool:
    """The 'invalid' form body is also the serialization of a valid request: the empty form
    of an optional body (no bytes: the same request as no body at all), or one value for an
    array of plain strings (`k=AAA` is also the one-item array ['AAA'])."""
    request = _schema(ctx, ctx.operation(p.operation).get("requestBody"))
    media = (request.get("content") or {}).get("application/x-www-form-urlencoded") or {}
    if "-d " not in curl and not request.get("required"):
        ctx.prove(f"{p.operation}: optional form body sent empty = no body")
        return True
    name = re.search(r"in body - ([^:\n]+): Incorrect type", p.message)
    if name is None:
        return False
    properties = _schema(ctx, media.get("schema")).get("properties") or {}
    prop = next((v for k, v in properties.items() if k.lower() == name[1].lower()), {})
    prop = _schema(ctx, prop)
    items = _schema(ctx, prop.get("items")) if prop.get("type") == "array" else {}
    sent = re.findall(r"[?&' ]" + re.escape(name[1]) + r"=([^&' ]*)", curl, flags=re.I)
    # the one value is a string: is it one the items accept (enum, maxLength, pattern...)?
    one = unquote_plus(sent[0]) if len(sent) == 1 else None
    one_valid = items.get("type") == "string" and one is not None and _fits(ctx, items, one)
    if one_valid:
        ctx.prove(f"{p.operation}: form field {name[1]!r} = {one!r} is the array [{one!r}]")
    return one_valid


def _plain_text(ctx: Context, p: Any, media: str) -> bool:
    """An 'incorrect type' text body for a plain string schema: every text is a string."""
    request = _schema(ctx, ctx.operation(p.operation).get("requestBody"))
    schema = _schema(ctx, ((request.get("content") or {}).get(media) or {}).get("schema"))
    plain = _plain_string(schema)
    if plain and "incorrect type" in p.message.lower():
        ctx.prove(f"{p.operation}: {media} body with schema {{type: string}} accepts any text")
        return True
    return False


def _plain_string(schema: dict[str, Any], enum_ok: bool = False) -> bool:
    """A string schema any text satisfies (but for an `enum`, when `enum_ok`)."""
    constrained = ("pattern", "minLength", "maxLength", "const", "format")
    if not enum_ok:
        constrained += ("enum",)
    return schema.get("type") == "string" and not any(k in schema for k in constrained)


def _schema(ctx: Context, node: Any) -> dict[str, Any]:
    """A schema with its local `$ref`s followed ({} when there is none)."""
    node = _deref(ctx.document, node)
    return node if isinstance(node, dict) else {}


def _any_text_array(ctx: Context, p: Any, name: str) -> bool:
    """The query parameter `name` is a form-style array of unconstrained strings: whatever
    value schemathesis drew as invalid (an item of another type, null), its form
    serialization is repeated `name=text` pairs, which is always a valid array."""
    param = _param(ctx, p.operation, name)
    schema = _schema(ctx, param.get("schema"))
    kinds = schema.get("type")
    is_array = kinds == "array" or (isinstance(kinds, list) and "array" in kinds)
    constrained = any(k in schema for k in ("minItems", "maxItems", "uniqueItems"))
    if not is_array or constrained or param.get("style", "form") != "form":
        return False
    if not _plain_string(_schema(ctx, schema.get("items"))):
        return False
    ctx.prove(f"{p.operation}: query {name!r} is a form array of any text: every wire value fits")
    return True


def _empty_container(ctx: Context, p: Any, curl: str, name: str) -> bool:
    """The array/object query parameter `name` was sent empty."""
    schema = _param(ctx, p.operation, name).get("schema") or {}
    sent = re.search(rf"[?&]{re.escape(quote(name, safe=''))}=([^&' ]*)", curl)
    return schema.get("type") in ("array", "object") and sent is not None and sent[1] == ""


def _is_31(ctx: Context) -> bool:
    return str((ctx.document or {}).get("openapi", "")).startswith("3.1")


# -- independent validation (the document's own schemas, 3.0 `nullable` read leniently) ----------

_ROOT: list[Any] = [None, None]  # [the document, its lenient copy]: one document at a time


def _lenient_root(ctx: Context) -> dict[str, Any]:
    """A copy of the document to validate against: in 3.0, `nullable: true` adds null to the
    type and to an `enum` (the lenient reading: only what even it refuses is called invalid)."""
    import copy

    if _ROOT[0] is not ctx.document or _ROOT[1] is None:
        root = copy.deepcopy(dict(ctx.document or {}))
        if not _is_31(ctx):
            stack: list[Any] = [root]
            while stack:
                node = stack.pop()
                if isinstance(node, list):
                    stack.extend(node)
                elif isinstance(node, dict):
                    if node.get("nullable") is True:
                        if isinstance(node.get("type"), str):
                            node["type"] = [node["type"], "null"]
                        if isinstance(node.get("enum"), list) and None not in node["enum"]:
                            node["enum"].append(None)
                    stack.extend(node.values())
        _ROOT[:] = [ctx.document, root]
    root = _ROOT[1]
    assert isinstance(root, dict)
    return root


def _is_base64(value: str) -> bool:
    import base64
    import binascii

    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _fits(ctx: Context, schema: Any, value: Any) -> bool:
    """`value` satisfies `schema` (local `$ref`s resolve in the document), formats checked
    (OpenAPI's `byte` as base64); True when the schema cannot be compiled (no claim)."""
    import jsonschema_rs

    root = dict(_lenient_root(ctx))
    root["x-ctk-schema"] = schema
    root["$ref"] = "#/x-ctk-schema"
    cls = jsonschema_rs.Draft202012Validator if _is_31(ctx) else jsonschema_rs.Draft4Validator
    try:
        validator = cls(root, validate_formats=True, formats={"byte": _is_base64})
        return bool(validator.is_valid(value))
    except (ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
        return True


# -- positive data refused ---------------------------------------------------------------------------


@rule
def _positive(p: Any, ctx: Context) -> str | None:
    if not (_fuzzed(p) and p.kind == "positive_data_acceptance"):
        return None
    received = _received(p)
    documented = ctx.statuses(p.operation)
    acceptable = {s for s in documented if s[:1] in ("2", "3")} | (documented & _ACCEPTABLE_CODES)
    if documented and not acceptable and received in documented:
        ctx.prove(f"{p.operation} documents only {sorted(documented)}")
        return "spec-no-acceptable-response"
    curl = _curl(p)
    # as a problem's detail, or projected onto the documented error schema (ADR 0007)
    if "the request body is required" in p.detail and "Content-Type: text/" in curl:
        return "rt-empty-text-body"
    if received in ("400", "422") and _unsatisfiable(ctx, p):
        return "spec-unsatisfiable"
    if received in ("400", "422") and _invalid_param_example(ctx, p):
        return "spec-example-invalid"
    if received in ("400", "422") and _invalid_body_example(ctx, p, curl):
        return "spec-example-invalid"
    if received in ("400", "422") and _empty_form_array(ctx, p, curl):
        return "st-form-empty-array"
    if received in ("400", "422") and _captured_null(ctx, p):
        return "st-captured-null"
    if received in ("400", "422") and _object_array_style(ctx, p, curl):
        return "st-object-array-style"
    if received in ("400", "422"):
        ranged = _int_format_range(ctx, p, curl)
        if ranged:
            return ranged
    floated = re.search(r'\d(\.\d+)?e\+\d+ is not of type \\"integer\\"', p.detail)
    # 422, or 400 where the operation documents only 400 (ADR 0007)
    if received in ("400", "422") and floated and re.search(r"\d{19,}", curl):
        return "rt-json-bigint"
    if received in ("400", "422") and re.search(r'does not match \\"[^"]*\\\\p\{', p.detail):
        return "st-regex-unicode"
    if received in ("400", "422") and re.search(
        r'"pointer":"/(query|header|path|cookie)/', p.detail
    ):
        if re.search(r'"detail":"\\"\\" is not of type \\"object\\""', p.detail):
            return "rt-empty-object-param"
        if re.search(r"%5B(True|False|None|-?\d|%27|%5B|%5D)|%7B", curl) or re.search(
            r"-H '[^':]+: [^']*(\[(True|False|None|-?\d|\[|\]|\{)|\{')", curl
        ):  # in a URL (percent-encoded) or a header value (raw)
            return "st-nested-style"
        if re.search(r"(\?|&)(\w+)=name&\2=description", curl):
            return "st-spacedelimited-object"
    return None


def _unsatisfiable(ctx: Context, p: Any) -> bool:
    """The refusal names a property no value may have (required, yet forbidden by
    additionalProperties: false), or a parameter whose array schema has a non-array enum."""
    unexpected = re.findall(r"\('([^']+)' was unexpected\)", p.detail)
    for pointer, schema in schemas(ctx.document):
        if schema.get("additionalProperties") is False and isinstance(schema.get("required"), list):
            impossible = [
                n for n in schema["required"] if n not in (schema.get("properties") or {})
            ]
            hit = [n for n in impossible if n in unexpected]
            if hit:
                ctx.prove(
                    f"{pointer}: requires {hit} but additionalProperties is false and "
                    f"properties has no {hit[0]!r}"
                )
                return True
    located = re.search(r'"pointer":"/(query|header|path|cookie)/([^"/]+)"', p.detail)
    if located:
        schema = _param(ctx, p.operation, located[2]).get("schema") or {}
        enum = schema.get("enum")
        if (
            schema.get("type") == "array"
            and isinstance(enum, list)
            and (not any(isinstance(v, list) for v in enum))
        ):
            ctx.prove(
                f"{p.operation} parameter {located[2]!r}: type array with enum {enum}: no "
                "array is one of those values"
            )
            return True
    return False


def _invalid_param_example(ctx: Context, p: Any) -> bool:
    """The refused parameter (the problem's first error pointer, `/header/Content-Range`)
    has a spec `example` its own schema rejects: the examples phase sent it."""
    import jsonschema_rs

    found = re.search(r'"errors":\[\{"pointer":"/(path|query|header|cookie)/([^"]+)"', p.detail)
    if not found:
        return False
    where, name = found[1], found[2].replace("~1", "/").replace("~0", "~")
    method, _, path = p.operation.partition(" ")
    item = ((ctx.document or {}).get("paths") or {}).get(path) or {}
    operation = item.get(method.lower()) or {}
    for param in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        param = _deref(ctx.document, param)
        if not (isinstance(param, dict) and param.get("in") == where and param.get("name") == name):
            continue
        schema = _deref(ctx.document, param.get("schema"))
        if "example" not in param or not isinstance(schema, dict):
            return False
        try:
            valid = jsonschema_rs.validator_for(schema).is_valid(param["example"])
        except (ValueError, jsonschema_rs.ValidationError):
            return False
        if not valid:
            ctx.prove(
                f"{p.operation} {where} parameter {name}: example {param['example']!r} breaks its schema"
            )
        return not valid
    return False


def _deref(document: Any, node: Any) -> Any:
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        node = _at(document, ref[1:])
    return node


_FORM = "application/x-www-form-urlencoded"
_ERROR = re.compile(r'\{"pointer":"([^"]*)","detail":"((?:[^"\\]|\\.)*)"\}')


def _errors(p: Any) -> list[tuple[str, str]]:
    """(pointer, detail) of the refusal's problem `errors` (JSON-escaped detail text)."""
    return _ERROR.findall(str(p.detail))


def _request_content(ctx: Context, label: str) -> dict[str, Any]:
    request = _schema(ctx, ctx.operation(label).get("requestBody"))
    content = request.get("content")
    return content if isinstance(content, dict) else {}


def _request_media(ctx: Context, p: Any, curl: str) -> str | None:
    """The request's media type: its Content-Type, or, when the harness clipped the start of
    the request, the operation's only documented one."""
    media = re.search(r"Content-Type: ([\w.+-]+/[\w.+-]+)", curl)
    if media:
        return str(media[1])
    if curl.startswith("curl "):
        return None
    content = _request_content(ctx, p.operation)
    return next(iter(content)) if len(content) == 1 else None


def _empty_form_array(ctx: Context, p: Any, curl: str) -> bool:
    """Every error is a required array property missing from a form body: schemathesis drew
    [] for it, which form encoding writes as no pair at all."""
    if _request_media(ctx, p, curl) != _FORM:
        return False
    errors = _errors(p)
    schema = _schema(ctx, (_request_content(ctx, p.operation).get(_FORM) or {}).get("schema"))
    properties = schema.get("properties") or {}
    names = []
    for pointer, detail in errors:
        name = pointer[1:]
        prop = _schema(ctx, properties.get(name))
        sent = re.search(rf"(^|[ '&]){re.escape(quote(name, safe=''))}=", curl)
        if not (
            detail == f'\\"{name}\\" is a required property'
            and name in (schema.get("required") or [])
            and prop.get("type") == "array"
            and not prop.get("minItems")
            and sent is None
        ):
            return False
        names.append(name)
    if names:
        ctx.prove(f"{p.operation}: form array {names} drawn as [] is no pair on the wire")
    return bool(names)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _captured_null(ctx: Context, p: Any) -> bool:
    """Every error is about one path value `null` that its schema refuses, and some schema
    has a nullable property of that name (schemathesis reuses values of earlier responses)."""
    errors = _errors(p)
    paths = [pointer for pointer, detail in errors if pointer.startswith("/path/")]
    nulls = [
        d for pointer, d in errors if pointer.startswith("/path/") and d.startswith('\\"null\\"')
    ]
    if not errors or len(set(paths)) != 1 or len(nulls) != len(errors):
        return False
    name = paths[0][len("/path/") :]
    if not re.search(r"/null(/|\?|'| |$)", _curl(p)):
        return False
    schema = _schema(ctx, _param(ctx, p.operation, name).get("schema"))
    if not schema or _fits(ctx, schema, "null"):
        return False
    for pointer, node in schemas(ctx.document):
        properties = node.get("properties")
        for prop, sub in properties.items() if isinstance(properties, dict) else ():
            sub = _schema(ctx, sub)
            nullable = sub.get("nullable") is True or "null" in (sub.get("type") or [])
            if _normal(str(prop)) == _normal(name) and nullable:
                ctx.prove(
                    f"{p.operation}: path {name} = 'null', as the nullable {pointer}/"
                    f"properties/{prop} may be answered; the parameter's schema refuses it"
                )
                return True
    return False


def _object_array_style(ctx: Context, p: Any, curl: str) -> bool:
    """A form-style query array of objects (or an exploded object's array-of-objects
    property) went out as the objects' keys: `sortings=key&sortings=value`."""
    errors = _errors(p)
    found = []
    for pointer, detail in errors:
        parts = pointer.split("/")
        if len(parts) < 4 or parts[1] != "query":
            return False
        name = parts[2].replace("~1", "/").replace("~0", "~")
        schema = _schema(ctx, _param(ctx, p.operation, name).get("schema"))
        field = name
        if schema.get("type") == "object" and not parts[3].isdigit():
            field = parts[3].replace("~1", "/").replace("~0", "~")
            schema = _schema(ctx, (schema.get("properties") or {}).get(field))
        items = _schema(ctx, schema.get("items")) if schema.get("type") == "array" else {}
        keys = set(items.get("properties") or {})
        sent = [
            unquote_plus(v)
            for v in re.findall(rf"[?&]{re.escape(quote(field, safe=''))}=([^&' ]*)", curl)
        ]
        if not (keys and sent and set(sent) <= keys and "is not of type" in detail):
            return False
        found.append((name, field, sent))
    if found:
        ctx.prove(f"{p.operation}: query {found[0][1]!r} (array of objects) sent as its keys")
    return bool(found)


def _sent_json(curl: str) -> Any:
    found = re.search(r" -d '(.*)' (http\S+)$", curl, flags=re.S)
    if not found or "Content-Type: application/json" not in curl:
        return None
    try:
        return json.loads(found[1].replace("'\"'\"'", "'"))
    except ValueError:
        return None


def _invalid_body_example(ctx: Context, p: Any, curl: str) -> bool:
    """The JSON body sent is a documented example of the request body, or carries a
    property's `example`, that breaks its own schema."""
    body = _sent_json(curl)
    if body is None:
        return False
    for media, entry in _request_content(ctx, p.operation).items():
        entry = _schema(ctx, entry)
        schema = entry.get("schema")
        if not media.startswith("application/json") or schema is None:
            continue
        candidates = [("example", entry["example"])] if "example" in entry else []
        for label, example in (entry.get("examples") or {}).items():
            value = _schema(ctx, example).get("value", ...)
            candidates.append((f"examples/{label}", value))
        for label, value in candidates:
            if value == body and not _fits(ctx, schema, value):
                ctx.prove(f"{p.operation} request body {media} {label} breaks its schema")
                return True
        for prop, sub in _properties_reachable(ctx, schema):
            example = sub.get("example", ...)
            if _carries(body, prop, example) and not _fits(ctx, sub, example):
                ctx.prove(
                    f"{p.operation}: property {prop!r} example {example!r} breaks its own "
                    "schema, and the request carries it"
                )
                return True
    return False


def _properties_reachable(ctx: Context, schema: Any) -> list[tuple[str, dict[str, Any]]]:
    """(name, schema) of every property the schema reaches ($refs followed, once each)."""
    found: list[tuple[str, dict[str, Any]]] = []
    stack, seen = [schema], set()
    while stack:
        node = _schema(ctx, stack.pop())
        if id(node) in seen:
            continue
        seen.add(id(node))
        for name, sub in (node.get("properties") or {}).items():
            sub = _schema(ctx, sub)
            found.append((str(name), sub))
            stack.append(sub)
        for key in ("allOf", "anyOf", "oneOf"):
            stack.extend(node.get(key) or [])
        if isinstance(node.get("items"), dict):
            stack.append(node["items"])
    return found


def _carries(body: Any, name: str, value: Any) -> bool:
    """`body` holds member `name` with exactly `value` somewhere."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if name in node and node[name] == value:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _int_format_range(ctx: Context, p: Any, curl: str) -> str | None:
    """The only refusal is a query parameter beyond its `format: int32/int64` range, and the
    integer text sent is beyond it too (schemathesis ignores int formats). A text within the
    range that is refused is no schemathesis limitation (float parsing): left unexplained."""
    errors = _errors(p)
    if len(errors) != 1:
        return None
    pointer, detail = errors[0]
    located = re.fullmatch(r"/(query|path|header|cookie)/([^/]+)", pointer)
    found = re.search(r"the (int32|int64) range\)$", detail)
    if not (located and found):
        return None
    name = located[2].replace("~1", "/").replace("~0", "~")
    schema = _schema(ctx, _param(ctx, p.operation, name).get("schema"))
    if schema.get("format") != found[1] or located[1] != "query":
        return None
    sent = re.findall(rf"[?&]{re.escape(quote(name, safe=''))}=(-?\d+)(?=[&' ]|$)", curl)
    if len(sent) != 1:
        return None
    low, high = _INT_RANGES[found[1]]
    if low <= int(sent[0]) <= high:  # refused in range: float parsing, not schemathesis
        return None
    ctx.prove(f"{p.operation}: {name}={sent[0]} is beyond format {found[1]}")
    return "st-int-format-range"
