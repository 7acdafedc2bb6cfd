"""One HTTP interaction of a pact against the OpenAPI document: does the spec promise what
the consumer expects? Request first (route, parameters, credentials, body), then response
(status, media type, body, headers). Every finding is located in both files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.lint.schemas import errors_of
from toolkit.load.pact import Body, Interaction, PactFile, Rules, Token
from toolkit.pointer import join
from toolkit.runtime._media import essence, is_json
from toolkit.runtime._params import ABSENT, coercer, extractor, parse_cookies
from toolkit.verify.compat.grade import grade
from toolkit.verify.compat.report import Findings, body_pointer, json_path, wildcard_key
from toolkit.verify.compat.shape import Shape
from toolkit.verify.compat.spec import ContractSpec, OperationSpec, ResponseSpec

# Request headers every HTTP client may send without the spec declaring them.
_PLUMBING = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "accept-charset",
        "content-type",
        "content-length",
        "user-agent",
        "host",
        "connection",
        "cache-control",
        "pragma",
        "te",
        "traceparent",
        "tracestate",
    }
)
_RESPONSE_PLUMBING = frozenset(
    {"content-type", "content-length", "date", "server", "connection", "vary", "transfer-encoding"}
)


def check_interaction(spec: ContractSpec, pact: PactFile, interaction: Interaction) -> Findings:
    out = Findings(pact, spec, interaction)
    request = interaction.request
    operation, path_params, template = spec.route(request.path, request.method)
    if template is None:
        out.add(
            "contract-unknown-path",
            f"{request.method} {request.path}: the spec has no path that matches",
            f"{request.pointer}/path",
            "/paths",
            hint="a path the provider does not document may be gone tomorrow",
        )
        return out
    if operation is None:
        out.add(
            "contract-unknown-method",
            f"{template} has no {request.method} operation",
            f"{request.pointer}/method",
            _path_pointer(template),
        )
        return out
    _parameters(out, operation, path_params)
    _request_body(out, operation)
    _response(out, operation)
    return out


def _path_pointer(template: str) -> str:
    return join("/paths", template)


def _parameters(out: Findings, op: OperationSpec, path_params: dict[str, str]) -> None:
    request = out.interaction.request
    headers = {name: ", ".join(values) for name, values in request.headers.items()}
    cookies = parse_cookies(headers.get("cookie"))
    sources = (path_params, request.query, headers, cookies)
    used_query: set[str] = set()
    for (where, name), spec in op.params.items():
        decode = extractor(spec.param, spec.schema, out.spec.resolve_value)
        value = decode(sources)
        if value is ABSENT:
            if spec.param.required:
                out.add(
                    "contract-missing-parameter",
                    f"the required {where} parameter {spec.param.name!r} is not sent",
                    request.pointer,
                    spec.pointer,
                )
            continue
        used_query.update(_query_keys(spec.param.name, spec.schema, request.query, where))
        pointer = spec.param.schema
        validator = out.spec.validator(pointer) if pointer else None
        for _, message in errors_of(validator, value, limit=1) if validator else []:
            out.add(
                "contract-invalid-parameter",
                f"{where} parameter {spec.param.name!r} = {value!r}: {message}",
                _param_pointer(request.pointer, where, name),
                spec.pointer,
            )
    credentials = op.credentials
    for key in request.query:
        if key not in used_query and ("query", key) not in credentials:
            out.add(
                "contract-undeclared-query",
                f"query parameter {key!r} is not declared by {op.label}",
                f"{request.pointer}/query",
                op.pointer,
                hint="declare it in the spec, or stop sending it",
            )
    for name in request.headers:
        if (
            name in _PLUMBING
            or ("header", name) in op.params
            or ("header", name) in credentials
            or (name == "cookie" and any(w == "cookie" for w, _ in op.params))
        ):
            continue
        out.add(
            "contract-undeclared-header",
            f"request header {name!r} is not declared by {op.label}",
            f"{request.pointer}/headers",
            op.pointer,
        )
    sent = {("header", n) for n in request.headers} | {("query", k) for k in request.query}
    status = out.interaction.response.status
    if op.secured and not (sent & credentials) and status not in (401, 403):
        out.add(
            "contract-missing-credentials",
            f"{op.label} is secured, but the request sends no credentials and expects {status}",
            request.pointer,
            op.pointer,
            hint="add the credentials the provider's security scheme needs",
        )


def _query_keys(name: str, schema: Any, query: Mapping[str, list[str]], where: str) -> set[str]:
    if where != "query":
        return set()
    keys = {name}
    keys.update(k for k in query if k.startswith(name + "["))
    if isinstance(schema, Mapping) and isinstance(schema.get("properties"), Mapping):
        keys.update(str(k) for k in schema["properties"])
    return keys


def _param_pointer(base: str, where: str, name: str) -> str:
    section = {"query": "query", "header": "headers", "path": "path", "cookie": "headers"}
    return f"{base}/{section[where]}"


def _media(content: Mapping[str, Any], actual: str) -> str | None:
    """The documented media type that covers `actual` (wildcards allowed)."""
    for media in content:
        pattern = essence(str(media))
        if pattern in ("*/*", actual) or (
            pattern.endswith("/*") and actual.startswith(pattern[:-1])
        ):
            return str(media)
    return None


def _content_type(body: Body | None, headers: Mapping[str, list[str]]) -> str | None:
    declared = [v for v in headers.get("content-type", []) if v.strip(" ,")]
    if declared:
        return essence(declared[-1].strip(" ,"))
    if body is not None and body.content_type:
        return essence(body.content_type)
    if body is not None and body.kind == "json":
        return "application/json"
    return None


def _request_body(out: Findings, op: OperationSpec) -> None:
    request = out.interaction.request
    body = request.body
    present = body is not None and body.value not in (None, "", b"")
    if op.body is None:
        if present:
            out.add(
                "contract-unexpected-body",
                f"{op.label} takes no request body, but the consumer sends one",
                body.pointer if body else request.pointer,
                op.pointer,
            )
        return
    if not present or body is None:
        if op.body.required:
            out.add(
                "contract-missing-body",
                f"{op.label} requires a request body",
                request.pointer,
                op.body.pointer,
            )
        return
    actual = _content_type(body, request.headers) or "application/octet-stream"
    media = _media(op.body.content, actual)
    if media is None:
        documented = ", ".join(op.body.content) or "none"
        out.add(
            "contract-request-content-type",
            f"request media type {actual!r} is not accepted (documented: {documented})",
            f"{request.pointer}/headers",
            op.body.pointer,
        )
        return
    schema = op.body.content.get(media)
    if schema is None or body.kind != "json":
        _not_checked(out, body, schema)
        return
    validator = out.spec.validator(schema)
    shape = Shape(out.spec, request.rules, "request")
    shape.walk(body.value, schema)
    for path, message in _errors(validator, body.value):
        out.add(
            "contract-invalid-request-body",
            f"request body {json_path(path)}: {message}",
            body_pointer(body.pointer, path),
            shape.schema_at.get(path, schema),
        )
    for finding in shape.findings:
        if finding.kind == "undeclared":
            out.add(
                "contract-request-field",
                f"request body {json_path(finding.path)} is not declared by the schema",
                body_pointer(body.pointer, finding.path),
                finding.schema_pointer,
                key=wildcard_key(finding.path),
            )


def _errors(validator: Any, value: Any) -> list[tuple[tuple[Token, ...], str]]:
    """Validator errors with their instance path as tokens (and the error kind)."""
    if validator is None:
        return []
    return [(path, message) for path, message, _ in _errors_with_kind(validator, value)]


def _errors_with_kind(validator: Any, value: Any) -> list[tuple[tuple[Token, ...], str, str]]:
    found: list[tuple[tuple[Token, ...], str, str]] = []
    if validator is None:
        return found
    try:
        for error in validator.iter_errors(value):
            path = tuple(error.instance_path)
            found.append((path, str(error.message), type(error.kind).__name__))
            if len(found) >= 50:
                break
    except ValueError:
        return []
    return sorted(found, key=lambda f: ([str(t) for t in f[0]], f[1]))


def _not_checked(out: Findings, body: Body, schema: str | None) -> None:
    if schema is None:
        return
    media = body.content_type or body.kind
    out.add(
        "contract-not-checked",
        f"a {body.kind} body ({media}) is not validated against the schema",
        body.pointer,
        schema,
    )


def _status(op: OperationSpec, status: int) -> tuple[ResponseSpec | None, bool]:
    """The documented response for `status`, and whether only `default` covers it."""
    exact = op.responses.get(str(status)) or op.responses.get(f"{str(status)[0]}XX")
    if exact is not None:
        return exact, False
    return op.responses.get("default"), True


def _response(out: Findings, op: OperationSpec) -> None:
    response = out.interaction.response
    documented, by_default = _status(op, response.status)
    listed = ", ".join(op.responses) or "none"
    if documented is None:
        out.add(
            "contract-undocumented-status",
            f"{op.label} does not document status {response.status} (documented: {listed})",
            f"{response.pointer}/status",
            f"{op.pointer}/responses",
        )
        return
    if by_default:
        out.add(
            "contract-default-status",
            f"status {response.status} of {op.label} is documented only by `default`",
            f"{response.pointer}/status",
            documented.pointer,
        )
    _response_headers(out, documented)
    body = response.body
    present = body is not None and body.value not in (None, "", b"")
    if not present or body is None:
        return
    if not documented.content:
        out.add(
            "contract-missing-response-body",
            f"the consumer expects a body, but {response.status} of {op.label} documents none",
            body.pointer,
            documented.pointer,
        )
        return
    actual = _content_type(body, response.headers) or "application/json"
    media = _media(documented.content, actual)
    if media is None:
        out.add(
            "contract-response-content-type",
            f"response media type {actual!r} is not documented for {response.status} "
            f"(documented: {', '.join(documented.content)})",
            f"{response.pointer}/headers",
            documented.pointer,
        )
        return
    schema = documented.content[media]
    if schema is None or body.kind != "json" or not is_json(essence(media)):
        _not_checked(out, body, schema)
        return
    _response_body(out, body, schema, response.rules)


def _response_body(out: Findings, body: Body, schema: str, rules: Rules) -> None:
    shape = Shape(out.spec, rules, "response")
    shape.walk(body.value, schema)
    for path, message, kind in _errors_with_kind(out.spec.validator(schema), body.value):
        rule, _ = rules.find("body", path)
        severity, why, doubt = grade(kind, rule)
        if severity is None:
            continue
        rule_id = "contract-regex" if doubt else "contract-invalid-response-body"
        out.add(
            rule_id,
            f"response body {json_path(path)}: {message} ({why})",
            body_pointer(body.pointer, path),
            shape.schema_at.get(path, schema),
            severity=severity,
            key=wildcard_key(path) + message,
        )
    messages = {
        "unknown": ("contract-unknown-response-field", "which the response schema does not have"),
        "undeclared": (
            "contract-undeclared-response-field",
            "which only `additionalProperties` allows: the spec does not promise it",
        ),
        "optional": ("contract-optional-field", "which the spec marks optional"),
    }
    for finding in shape.findings:
        rule_id, why = messages[finding.kind]
        out.add(
            rule_id,
            f"the consumer relies on {json_path(finding.path)}, {why}",
            body_pointer(body.pointer, finding.path),
            finding.schema_pointer,
            key=wildcard_key(finding.path),
        )


def _response_headers(out: Findings, documented: ResponseSpec) -> None:
    response = out.interaction.response
    for name, values in response.headers.items():
        if name in _RESPONSE_PLUMBING:
            continue
        header = documented.headers.get(name)
        pointer = f"{response.pointer}/headers"
        if header is None:
            out.add(
                "contract-undeclared-response-header",
                f"the consumer reads header {name!r}, which {response.status} does not declare",
                pointer,
                documented.pointer,
            )
            continue
        if header.schema_pointer is None:
            continue
        rule, _ = response.rules.find("header", (name,))
        value = coercer(out.spec.resolve(header.schema_pointer)[0])(", ".join(values))
        for _, message, kind in _errors_with_kind(out.spec.validator(header.schema_pointer), value):
            severity, why, doubt = grade(kind, rule)
            if severity is None:
                continue
            out.add(
                "contract-regex" if doubt else "contract-invalid-response-header",
                f"header {name!r} = {value!r}: {message} ({why})",
                pointer,
                header.pointer,
                severity=severity,
            )
