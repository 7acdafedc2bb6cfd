"""Sort every failure into implementation bug, contract defect or tool limitation.

Each verdict other than "bug" needs evidence found in the spec or in the exchange, never
a message pattern:
- contract defects are proven by the spec itself (what the operation documents, and the
  `ctk lint` rule that reports the same defect at the same operation);
- tool limitations are proven by an independent validator (openapi-core) disagreeing with
  the label schemathesis gave the request (schemathesis#4332, #2726, #2900).
A failure no rule explains stays an implementation bug and fails the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cached_property
from typing import Any

from toolkit import pointer as jp
from toolkit.errors import Diagnostic, Severity
from toolkit.load.document import Document
from toolkit.verify.fuzz._validity import RequestValidity
from toolkit.verify.fuzz.locate import operation_pointer, response_key
from toolkit.verify.fuzz.results import Evidence, Finding, FuzzResult, RunError, Verdict

REJECTIONS = frozenset({400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428})
UPSTREAM = "https://github.com/schemathesis/schemathesis/issues/"
# Fields RFC 9110/9111 define as comma-separated lists (`#rule`): an empty value is a list
# with no members, which a recipient treats like no field at all (RFC 9110 §5.6.1).
LIST_HEADERS = frozenset(
    {
        "accept",
        "accept-charset",
        "accept-encoding",
        "accept-language",
        "accept-ranges",
        "allow",
        "cache-control",
        "connection",
        "content-encoding",
        "content-language",
        "if-match",
        "if-none-match",
        "te",
        "trailer",
        "upgrade",
        "vary",
        "via",
    }
)
# which upstream report covers a negative case that is valid as sent, by negated component
NEGATIVE_VALID = {
    "body": "4332",
    "header": "2726",
    "cookie": "2726",
    "query": "2900",
    "path": "2900",
}


class Context:
    """What rules consult: the spec, `ctk lint`'s findings on it, an openapi-core validator."""

    def __init__(
        self,
        document: Document,
        data: Mapping[str, Any],
        base_url: str,
        configured: frozenset[str] = frozenset(),
    ) -> None:
        self.document = document
        self.data = data
        self.validity = RequestValidity(data, base_url)
        self.configured = configured  # lower-case names of the headers the user gave

    @cached_property
    def lint(self) -> list[Diagnostic]:
        from toolkit.lint.engine import lint_document

        return lint_document(self.document)

    def lint_at(self, rule: str, pointer: str) -> Diagnostic | None:
        """A finding of `rule` at `pointer` or below it."""
        for diagnostic in self.lint:
            where = diagnostic.location.pointer
            if diagnostic.rule == rule and (where == pointer or where.startswith(pointer + "/")):
                return diagnostic
        return None

    def operation(self, label: str) -> dict[str, Any]:
        try:
            found = jp.resolve(self.data, operation_pointer(label))
        except (KeyError, IndexError, ValueError, TypeError):
            return {}
        return found if isinstance(found, dict) else {}

    def statuses(self, label: str) -> set[str]:
        return {str(s).upper() for s in self.operation(label).get("responses") or {}}

    def response(self, label: str, status: int) -> dict[str, Any] | None:
        """The documented response object covering `status` ($ref followed), if any."""
        responses = self.operation(label).get("responses") or {}
        key = response_key(responses, status)
        found = jp.follow(self.data, responses.get(key))[0] if key is not None else None
        return found if isinstance(found, dict) else None

    def parameter(self, label: str, name: str, location: str) -> dict[str, Any] | None:
        """The effective parameter object (operation level over path level, $ref followed)."""
        path = label.partition(" ")[2]
        item = (self.data.get("paths") or {}).get(path) or {}
        found = None
        for raw in [
            *(item.get("parameters") or []),
            *(self.operation(label).get("parameters") or []),
        ]:
            param = jp.follow(self.data, raw)[0]
            if (
                isinstance(param, dict)
                and str(param.get("name", "")).lower() == name.lower()
                and param.get("in") == location
            ):
                found = param
        return found

    def secured(self, label: str) -> bool:
        operation = self.operation(label)
        security = operation.get("security", self.data.get("security")) or []
        return bool(security) and all(bool(r) for r in security)


Rule = Callable[[Finding, Context], tuple[Verdict, Evidence] | None]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def classify(
    result: FuzzResult,
    document: Document,
    data: Mapping[str, Any],
    base_url: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    """`headers`: what the user configured for every request (credentials among them)."""
    if not result.findings and not result.errors:
        return
    fold_server_errors(result)
    configured = frozenset(name.lower() for name in headers or {})
    context = Context(document, data, base_url, configured)
    result.errors[:] = [_explain_error(error, context) for error in result.errors]
    for index, finding in enumerate(result.findings):
        for check in RULES:
            verdict = check(finding, context)
            if verdict is not None:
                result.findings[index] = replace(finding, verdict=verdict[0], evidence=verdict[1])
                break


# what a 5xx answer also fails when the spec documents no such status or shape for it
_SHAPE_CHECKS = frozenset(
    {
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    }
)


def fold_server_errors(result: FuzzResult) -> None:
    """One crash is one finding: the shape checks a 5xx fails on an operation that also
    fails `not_a_server_error` with that status are listed on it, not counted again."""
    crashes = {
        (f.operation, _status(f)): i
        for i, f in enumerate(result.findings)
        if f.check == "not_a_server_error"
    }
    folded: dict[int, list[str]] = {}
    kept = []
    for finding in result.findings:
        home = crashes.get((finding.operation, _status(finding)))
        if home is not None and finding.check in _SHAPE_CHECKS and _status(finding) >= 500:
            folded.setdefault(home, []).append(finding.check)
        else:
            kept.append(finding)
    for index, checks in folded.items():
        crash = result.findings[index]
        kept[kept.index(crash)] = replace(crash, also=tuple(sorted(set(checks))))
    result.findings[:] = kept


# lint rules for a spec schemathesis cannot build requests from
_SPEC_ERRORS = frozenset(
    {
        "oas-structure",
        "path-params-declared",
        "path-params-used",
        "path-params-required",
        "parameter-unique",
        "required-not-property",
        "security-scheme-defined",
    }
)


def _explain_error(error: RunError, ctx: Context) -> RunError:
    """An operation schemathesis cannot test because its part of the spec is invalid, as
    `ctk lint` shows at the same place, is a contract defect, not a run error."""
    if not error.operation or " " not in error.operation:
        return error
    path = jp.join("/paths", error.operation.partition(" ")[2])
    operation = operation_pointer(error.operation)

    def near(pointer: str, base: str) -> bool:
        return pointer == base or pointer.startswith(base + "/")

    candidates = [
        d
        for d in ctx.lint
        if d.rule in _SPEC_ERRORS
        and d.severity is Severity.ERROR
        and near(d.location.pointer, path)
    ]
    # the most specific: the operation's own findings first, then the deepest pointer
    candidates.sort(
        key=lambda d: (not near(d.location.pointer, operation), -d.location.pointer.count("/"))
    )
    found = candidates[0] if candidates else None
    if found is None:
        return error
    proof = f"`ctk lint` reports {found.rule} there: {found.location}: {found.message}"
    return replace(error, evidence=Evidence(found.rule, proof))


def _status(finding: Finding) -> int:
    response = finding.failing.response
    return response.status if response is not None else 0


def _contract(reason: str, proof: str, context: Context, pointer: str) -> tuple[Verdict, Evidence]:
    found = context.lint_at(reason, pointer)
    if found is not None:
        proof += f"; `ctk lint` reports it: {found.location}: {found.message}"
    return Verdict.CONTRACT, Evidence(reason, proof)


@rule
def undocumented_rejection(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """A refusal the spec gives no status for: every correct server fails this check."""
    status = _status(f)
    if f.check != "status_code_conformance" or status not in REJECTIONS:
        return None
    documented = ctx.statuses(f.operation)
    if f"{str(status)[0]}XX" in documented or "DEFAULT" in documented:
        return None
    pointer = operation_pointer(f.operation)
    if status not in (401, 403, 404) and ctx.validity.errors(f.failing.request) == []:
        return None  # a refusal of a request valid as sent is the server's doing (a bug)
    if status == 401 and ctx.secured(f.operation):
        proof = f"{f.operation} requires credentials but documents no 401 ({sorted(documented)})"
        return _contract("security-401", proof, ctx, pointer)
    if status == 403 and ctx.secured(f.operation):
        proof = f"{f.operation} requires scopes but documents no 403 ({sorted(documented)})"
        return _contract("security-403", proof, ctx, pointer)
    if status == 404 and "{" in f.operation and "404" not in documented:
        proof = (
            f"{f.operation} addresses a resource by path parameter but documents no 404 "
            f"({sorted(documented)}): no server can answer an unknown id otherwise"
        )
        return _contract("operation-404-response", proof, ctx, pointer)
    if not any(s.startswith("4") for s in documented):
        proof = (
            f"{f.operation} documents no 4xx response ({sorted(documented)}), so no answer to "
            f"a request it must refuse can conform"
        )
        return _contract("operation-4xx-response", proof, ctx, pointer)
    return None


@rule
def produces_binds_an_undocumented_refusal(
    f: Finding, ctx: Context
) -> tuple[Verdict, Evidence] | None:
    """Swagger 2.0's `produces` binds the media type of every answer, undocumented ones too:
    an answer whose status the spec does not document (a contract defect of its own, e.g.
    `undocumented_rejection`) then also fails content_type_conformance in RFC 9457's
    `application/problem+json`. One defect, reported under the status' rule."""
    response = f.failing.response
    if f.check != "content_type_conformance" or response is None:
        return None
    if not ctx.document.version.is_swagger or ctx.response(f.operation, response.status):
        return None
    as_status = replace(f, check="status_code_conformance")
    verdicts = (r(as_status, ctx) for r in RULES if r is not produces_binds_an_undocumented_refusal)
    found = next((v for v in verdicts if v is not None and v[0] is Verdict.CONTRACT), None)
    if found is None:
        return None
    verdict, evidence = found
    proof = (
        f"{evidence.proof}; and Swagger 2.0's `produces` binds every answer's media type, "
        f"so no problem document for this undocumented status can conform either"
    )
    return verdict, replace(evidence, proof=proof)


@rule
def content_type_without_body(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """A Content-Type judged on a response that has no body and may have none."""
    response = f.failing.response
    if f.check != "content_type_conformance" or response is None or response.body:
        return None
    documented = ctx.response(f.operation, response.status)
    if response.status not in (204, 304) and (documented is None or documented.get("content")):
        return None
    why = (
        f"{response.status} has no body by definition"
        if response.status in (204, 304)
        else f"the spec documents {response.status} of {f.operation} without content"
    )
    proof = f"the response has no body and {why}, so it has no media type to conform"
    return Verdict.TOOL, Evidence("st-content-type-without-body", proof, UPSTREAM + "844")


@rule
def no_success_response(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    if f.check not in ("positive_data_acceptance", "status_code_conformance"):
        return None
    documented = ctx.statuses(f.operation)
    if any(s[:1] in ("2", "3") or s == "DEFAULT" for s in documented):
        return None
    proof = f"{f.operation} documents no 2xx/3xx/default response ({sorted(documented)})"
    return _contract("operation-success-response", proof, ctx, operation_pointer(f.operation))


@rule
def invalid_example(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """A spec example the server rightly refuses: the example breaks its own schema."""
    if f.phase != "examples" or not 400 <= _status(f) < 500:
        return None
    if f.check not in ("positive_data_acceptance", "status_code_conformance"):
        return None
    errors = ctx.validity.errors(f.failing.request)
    if not errors:
        return None
    proof = f"the example request of {f.operation} breaks the spec: {errors[0]}"
    return _contract("example-valid", proof, ctx, operation_pointer(f.operation))


@rule
def ambiguous_path(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    path = f.operation.partition(" ")[2]
    found = ctx.lint_at("path-ambiguous", jp.join("/paths", path))
    if found is None:
        return None
    return Verdict.CONTRACT, Evidence("path-ambiguous", f"{found.location}: {found.message}")


@rule
def negative_but_valid(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """schemathesis calls the request invalid; as sent, it is valid."""
    if f.check != "negative_data_rejection":
        return None
    errors = ctx.validity.errors(f.failing.request)
    if errors is None or errors:
        return None
    meta = f.failing.case.get("meta") or {}
    negated = [k for k, v in (meta.get("components") or {}).items() if v == "negative"]
    issue = NEGATIVE_VALID.get(negated[0] if negated else "body", "4332")
    proof = (
        "schemathesis generated this request as invalid "
        f"({', '.join(negated) or 'unknown component'}), but openapi-core validates the request "
        "as sent against the spec and finds nothing wrong: the server rightly accepted it"
    )
    return Verdict.TOOL, Evidence("st-negative-valid-as-sent", proof, UPSTREAM + issue)


@rule
def empty_list_header(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """The only "invalid" part was an optional list-valued header sent empty: on the wire
    that is the same request as one without the header, which the spec allows."""
    if f.check != "negative_data_rejection":
        return None
    meta = f.failing.case.get("meta") or {}
    negated = [k for k, v in (meta.get("components") or {}).items() if v == "negative"]
    name = str(meta.get("parameter") or "")
    if negated != ["header"] or meta.get("parameter_location") != "header":
        return None
    if name.lower() not in LIST_HEADERS:
        return None
    sent = [v for k, v in f.failing.request.headers if k.lower() == name.lower()]
    param = ctx.parameter(f.operation, name, "header")
    if sent != [""] or param is None or param.get("required") is True:
        return None
    proof = (
        f"the only invalid part was the optional {name} header, sent empty; RFC 9110 defines "
        f"{name} as a list, and an empty list is the same as no {name} at all, which the spec "
        "allows, so accepting the request is right"
    )
    return Verdict.TOOL, Evidence("st-empty-list-header", proof, UPSTREAM + "2726")


@rule
def positive_but_invalid(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """schemathesis calls the request valid; as sent, it breaks the spec."""
    if f.check != "positive_data_acceptance" or not 400 <= _status(f) < 500:
        return None
    errors = ctx.validity.errors(f.failing.request)
    if not errors:
        return None
    proof = (
        "schemathesis generated this request as valid, but as sent it breaks the spec "
        f"(openapi-core: {errors[0]}), so refusing it is right"
    )
    return Verdict.TOOL, Evidence("st-positive-invalid-as-sent", proof, UPSTREAM + "2312")


def _credential_header(scheme: Any) -> str | None:
    """The header a security scheme's credential travels in (None: query or cookie)."""
    if not isinstance(scheme, dict):
        return None
    if scheme.get("type") == "apiKey":
        name = str(scheme.get("name") or "")
        return name.lower() if scheme.get("in") == "header" and name else None
    if scheme.get("type") in ("http", "oauth2", "openIdConnect"):
        return "authorization"
    return None


@rule
def auth_judged_by_generated_credential(
    f: Finding, ctx: Context
) -> tuple[Verdict, Evidence] | None:
    """The request carried a configured credential satisfying one alternative of the
    operation's security, and a generated one for another (a query or cookie API key the
    user cannot configure by header): schemathesis judged the generated one, but a server
    that accepts the configured one is right."""
    if f.check != "ignored_auth" or not ctx.configured:
        return None
    operation = ctx.operation(f.operation)
    security = operation.get("security", ctx.data.get("security")) or []
    components = ctx.data.get("components") or {}
    schemes = components.get("securitySchemes") or {} if isinstance(components, dict) else {}
    sent = {name.lower() for name, _ in f.failing.request.headers}
    for requirement in security if isinstance(security, list) else []:
        if not isinstance(requirement, dict) or not requirement:
            continue
        carried = [
            _credential_header(jp.follow(ctx.data, schemes.get(name))[0]) for name in requirement
        ]
        if all(h is not None and h in ctx.configured and h in sent for h in carried):
            proof = (
                f"the request carried the configured credential(s) {sorted(set(map(str, carried)))}"
                f" of the security alternative {sorted(requirement)}, which the server rightly "
                "accepted; schemathesis judged another credential, one it generated"
            )
            return Verdict.TOOL, Evidence("st-auth-alternatives", proof)
    return None


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/") if path.strip("/") else []


def _literal_first(sent: list[str], template: str) -> tuple[int, ...] | None:
    """How specifically `template` matches the sent segments (literal positions first), or
    None when it does not match them."""
    parts = _segments(template)
    if len(parts) != len(sent):
        return None
    rank = []
    for part, value in zip(parts, sent, strict=True):
        if "{" not in part:
            if part != value:
                return None
            rank.append(1)
        else:
            rank.append(0)
    return tuple(rank)


@rule
def value_names_another_route(f: Finding, ctx: Context) -> tuple[Verdict, Evidence] | None:
    """schemathesis put a path parameter value equal to another template's literal segment
    (`accountName=status`), so the URL names that other, more specific operation: the
    server routed it there, as routing by literal segments must."""
    from urllib.parse import unquote, urlsplit

    if f.check not in (
        "positive_data_acceptance",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "allow_header_conformance",
    ):
        return None
    path = f.operation.partition(" ")[2]
    sent = [unquote(s) for s in _segments(urlsplit(f.failing.request.url).path)]
    mine = _literal_first(sent, path)
    if mine is None:
        return None
    for other in ctx.data.get("paths") or {}:
        theirs = _literal_first(sent, str(other)) if other != path else None
        if theirs is not None and theirs > mine:
            proof = (
                f"the URL {'/' + '/'.join(sent)} sent for {path} also matches {other}, whose "
                "literal segments rank it first: a path parameter value spelled another "
                "route's literal segment"
            )
            return Verdict.TOOL, Evidence("st-value-names-another-route", proof)
    return None
