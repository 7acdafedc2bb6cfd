"""Rules about operations: ids, responses, docs, bodies."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import Finding, rule

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@rule("operation-id-missing", Severity.ERROR, "Every operation has an operationId.")
def operation_id_missing(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if not op.data.get("operationId"):
            yield Finding(
                op.pointer,
                f"{op.label} has no operationId",
                "add a stable operationId: generated code, clients and docs are named after it",
            )


@rule("operation-id-unique", Severity.ERROR, "operationIds are unique across the document.")
def operation_id_unique(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for op in ctx.operations:
        op_id = op.data.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            continue
        if op_id in first:
            yield Finding(
                jp.join(op.pointer, "operationId"),
                f"operationId {op_id!r} of {op.label} is already used by {first[op_id]}",
                "rename one of them; operationIds must be unique",
            )
        else:
            first[op_id] = op.label


@rule(
    "operation-id-identifier",
    Severity.WARNING,
    "operationIds are valid identifiers in every target language.",
)
def operation_id_identifier(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        op_id = op.data.get("operationId")
        if isinstance(op_id, str) and op_id and not _IDENTIFIER.match(op_id):
            suggestion = re.sub(r"[^A-Za-z0-9_]+", "_", op_id).strip("_") or "operation"
            if suggestion[0].isdigit():
                suggestion = "op_" + suggestion
            yield Finding(
                jp.join(op.pointer, "operationId"),
                f"operationId {op_id!r} is not a valid identifier",
                f"use letters, digits and underscores, e.g. {suggestion!r}",
            )


@rule("operation-success-response", Severity.ERROR, "Every operation documents a 2xx response.")
def operation_success_response(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        codes = ctx.status_codes(op)
        if not any(c.startswith("2") for c in codes):
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} documents no 2xx response",
                "document what success looks like (status, headers and body)",
            )


@rule("operation-4xx-response", Severity.WARNING, "Every operation documents a 4xx response.")
def operation_4xx_response(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        codes = ctx.status_codes(op)
        if not any(c.startswith("4") for c in codes):
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} documents no 4xx response",
                "document at least the client errors it returns (400/404/422 ...)",
            )


@rule(
    "operation-404-response",
    Severity.WARNING,
    "Operations that address a resource by a path parameter document 404.",
)
def operation_404_response(ctx: LintContext) -> Iterator[Finding]:
    """A server cannot know every id a client will send: any such operation answers 404
    for an unknown one, so a spec without it cannot be kept (fuzzing proves it at once)."""
    for op in ctx.operations:
        if "{" not in op.path:
            continue
        codes = ctx.status_codes(op)
        if not codes & {"404", "4XX", "DEFAULT"}:
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} takes a path parameter but documents no 404",
                "document 404 for an unknown resource (or a 4XX/default response)",
            )


@rule("operation-summary", Severity.WARNING, "Operations have a summary.")
def operation_summary(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if not str(op.data.get("summary") or "").strip():
            yield Finding(op.pointer, f"{op.label} has no summary", "add a one-line summary")


@rule("operation-description", Severity.INFO, "Operations have a description.")
def operation_description(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if not str(op.data.get("description") or "").strip():
            yield Finding(
                op.pointer,
                f"{op.label} has no description",
                "say what it does, its side effects and its errors",
            )


@rule("operation-tags", Severity.INFO, "Operations are tagged with declared tags.")
def operation_tags(ctx: LintContext) -> Iterator[Finding]:
    declared = {t.get("name") for t in ctx.data.get("tags") or [] if isinstance(t, dict)}
    for op in ctx.operations:
        tags = op.data.get("tags")
        if not tags:
            yield Finding(op.pointer, f"{op.label} has no tags", "group operations with a tag")
            continue
        for index, tag in enumerate(tags if isinstance(tags, list) else []):
            if tag not in declared:
                yield Finding(
                    jp.join(op.pointer, "tags", index),
                    f"tag {tag!r} is not declared in the top-level `tags`",
                    "declare it with a description",
                )


@rule(
    "deprecated-documented",
    Severity.WARNING,
    "Deprecated operations say what replaces them.",
)
def deprecated_documented(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if op.data.get("deprecated") is True:
            text = str(op.data.get("description") or "").strip()
            if not text and not op.data.get("x-sunset"):
                yield Finding(
                    jp.join(op.pointer, "deprecated"),
                    f"{op.label} is deprecated without saying why or what replaces it",
                    "describe the replacement (and the sunset date, e.g. `x-sunset`)",
                )


@rule(
    "request-body-on-safe-method",
    Severity.WARNING,
    "GET, HEAD and DELETE take no request body.",
)
def request_body_on_safe_method(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if op.method not in ("get", "head", "delete"):
            continue
        if "requestBody" in op.data:
            yield Finding(
                jp.join(op.pointer, "requestBody"),
                f"{op.label} has a request body, which many clients and proxies drop",
                "move the data to query parameters, or use POST",
            )
        elif any(p.location in ("body", "formData") for p in ctx.parameters(op)):
            yield Finding(
                op.pointer,
                f"{op.label} takes a body parameter",
                "move the data to query parameters, or use POST",
            )


@rule(
    "refusal-documented",
    Severity.WARNING,
    "An operation documents the status the runtime answers when it refuses its input.",
)
def refusal_documented(ctx: LintContext) -> Iterator[Finding]:
    """A generated server refuses bad input with one rule (ADR 0007): 422 for a body that
    breaks its schema, 400 for bad parameters or an unreadable body, each falling back to
    the other when only that one is documented. An operation documenting neither (nor
    `4XX`/`default`) answers a status its contract does not promise: name the one to add."""
    for op in ctx.operations:
        codes = ctx.status_codes(op)
        if codes & {"400", "422", "4XX", "DEFAULT"}:
            continue
        body = ctx.deref(op.data.get("requestBody"))
        has_body = isinstance(body, dict) and isinstance(body.get("content"), dict)
        # a required query, header or cookie parameter is refused (400) when missing; a path
        # parameter's bad value is left to `operation-404-response` (an unknown id)
        checked = [
            p
            for p in ctx.parameters(op)
            if p.location in ("query", "header", "cookie") and p.data.get("required") is True
        ]
        if not has_body and not checked:
            continue
        what = "its request body (422 when it breaks its schema, 400 when unreadable)"
        status = "422"
        if not has_body:
            what, status = f"a request without {checked[0].name!r} (400)", "400"
        yield Finding(
            jp.join(op.pointer, "responses"),
            f"{op.label} refuses bad input but documents no client error: the server answers "
            f"{what}",
            f"document {status} (or 4XX) with the error body the operation returns",
        )
