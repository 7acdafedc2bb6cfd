"""Rules about responses: RFC 9457 errors and pagination of list operations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext, Operation
from toolkit.lint.registry import OAS3, Finding, rule

PROBLEM_JSON = "application/problem+json"
_CURSOR_NAMES = frozenset(
    [
        "cursor",
        "page_token",
        "pagetoken",
        "after",
        "before",
        "starting_after",
        "ending_before",
        "continuation",
        "continuation_token",
        "next",
        "next_token",
        "nexttoken",
        "page",
        "offset",
        "skip",
        "marker",
        "since",
        "start",
    ]
)
_LIMIT_NAMES = frozenset(
    [
        "limit",
        "page_size",
        "pagesize",
        "per_page",
        "perpage",
        "size",
        "count",
        "max",
        "max_results",
        "maxresults",
        "first",
        "last",
        "top",
        "take",
    ]
)
_PAGE_ITEM_KEYS = ("items", "data", "results", "values", "entries", "records", "content")


def _is_error(code: str) -> bool:
    return code[:1] in ("4", "5") or code == "default"


@rule(
    "error-problem-json",
    Severity.WARNING,
    "Error responses use application/problem+json (RFC 9457).",
    versions=OAS3,
)
def error_problem_json(ctx: LintContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for op in ctx.operations:
        for code, raw in ctx.responses(op).items():
            code = str(code).upper()
            if not _is_error(code):
                continue
            response, pointer = ctx.deref_site(raw, jp.join(op.pointer, "responses", code))
            if pointer in seen or not isinstance(response, dict):
                continue
            seen.add(pointer)
            content = response.get("content")
            if not isinstance(content, dict) or not content:
                yield Finding(
                    pointer,
                    f"{code} response of {op.label} has no body",
                    f"describe the error as `{PROBLEM_JSON}` (RFC 9457) so clients can act on it",
                )
            elif PROBLEM_JSON not in content:
                types = ", ".join(sorted(map(str, content)))
                yield Finding(
                    jp.join(pointer, "content"),
                    f"{code} response of {op.label} is {types}, not {PROBLEM_JSON}",
                    f"use `{PROBLEM_JSON}` with a Problem schema (type, title, status, detail)",
                )


def _schema_of_success(ctx: LintContext, op: Operation) -> Any:
    for code, raw in ctx.responses(op).items():
        if not str(code).startswith("2"):
            continue
        response = ctx.deref(raw)
        if not isinstance(response, dict):
            continue
        if "schema" in response:
            return ctx.deref(response["schema"])
        content = response.get("content")
        for media, media_obj in content.items() if isinstance(content, dict) else []:
            if "json" in str(media) and isinstance(media_obj, dict):
                return ctx.deref(media_obj.get("schema"))
    return None


def _is_list(ctx: LintContext, schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array" or (
        isinstance(schema.get("type"), list) and "array" in schema["type"]
    ):
        return True
    props = schema.get("properties")
    if isinstance(props, dict):
        for key in _PAGE_ITEM_KEYS:
            inner = ctx.deref(props.get(key))
            if isinstance(inner, dict) and inner.get("type") == "array":
                return True
    return any(_is_list(ctx, ctx.deref(part)) for part in schema.get("allOf") or [])


@rule(
    "list-pagination",
    Severity.WARNING,
    "Operations that list a collection are paginated (a cursor and a limit).",
)
def list_pagination(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if op.method != "get" or op.path.rstrip("/").endswith("}"):
            continue
        if not _is_list(ctx, _schema_of_success(ctx, op)):
            continue
        names = {
            p.name.lower().replace("-", "_").replace("[", "_").rstrip("]")
            for p in ctx.parameters(op)
            if p.location in ("query", "header")
        }
        missing = []
        if not names & _CURSOR_NAMES:
            missing.append("a cursor (e.g. `cursor`)")
        if not names & _LIMIT_NAMES:
            missing.append("a page size (e.g. `limit`)")
        if missing:
            yield Finding(
                op.pointer,
                f"{op.label} returns a list but has no {' and no '.join(missing)} parameter",
                "paginate every list: `cursor` + `limit` query parameters and a next cursor",
            )
