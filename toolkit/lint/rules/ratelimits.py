"""Rules about rate limits the spec declares (`x-ctk-rate-limit`, which a generated server
enforces): well-formed, and documented as the 429 a limited client gets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext, Operation
from toolkit.lint.registry import Finding, rule
from toolkit.rate_limit import EXTENSION, Limit, parse_extension


def _declared(ctx: LintContext) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every `x-ctk-rate-limit`: root, tags, operations."""
    if EXTENSION in ctx.data:
        yield jp.join("", EXTENSION), ctx.data[EXTENSION]
    tags = ctx.data.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else ()):
        if isinstance(tag, dict) and EXTENSION in tag:
            yield jp.join("/tags", index, EXTENSION), tag[EXTENSION]
    for op in ctx.operations:
        if EXTENSION in op.data:
            yield jp.join(op.pointer, EXTENSION), op.data[EXTENSION]


@rule("rate-limit-valid", Severity.ERROR, "x-ctk-rate-limit is a limit like '600/minute'.")
def rate_limit_valid(ctx: LintContext) -> Iterator[Finding]:
    for where, value in _declared(ctx):
        try:
            parse_extension(value)
        except ValueError as exc:
            yield Finding(where, f"{EXTENSION}: {exc}", "e.g. '600/minute', '10/second', false")


def _limit_of(ctx: LintContext, op: Operation) -> tuple[Limit, str] | None:
    """The limit the server applies to `op` (operation, then tag, then root) and where it is
    declared; None when unlimited or exempt (or malformed: `rate-limit-valid` says so)."""
    places: list[tuple[str, Any]] = []
    if EXTENSION in op.data:
        places.append((jp.join(op.pointer, EXTENSION), op.data[EXTENSION]))
    names = op.data.get("tags")
    tags = ctx.data.get("tags")
    for name in names if isinstance(names, list) else ():
        for index, tag in enumerate(tags if isinstance(tags, list) else ()):
            if isinstance(tag, dict) and tag.get("name") == name and EXTENSION in tag:
                places.append((jp.join("/tags", index, EXTENSION), tag[EXTENSION]))
    if EXTENSION in ctx.data:
        places.append((jp.join("", EXTENSION), ctx.data[EXTENSION]))
    if not places:
        return None
    where, value = places[0]
    try:
        limit = parse_extension(value)
    except ValueError:
        return None
    return None if limit is None else (limit, where)


@rule(
    "rate-limit-documented",
    Severity.WARNING,
    "A rate-limited operation documents 429 with Retry-After.",
)
def rate_limit_documented(ctx: LintContext) -> Iterator[Finding]:
    """The server answers a client over its limit 429 with `Retry-After` (and the IETF
    `RateLimit` / `RateLimit-Policy` fields): a client generated from the spec should know."""
    for op in ctx.operations:
        found = _limit_of(ctx, op)
        if found is None:
            continue
        limit, where = found
        responses = ctx.responses(op)
        response = next((v for k, v in responses.items() if str(k) == "429"), None)
        if response is None:
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} is rate limited ({limit} at {where}) but documents no 429",
                "document 429 with a Retry-After header and the error body",
            )
            continue
        data = ctx.deref(response)
        headers = data.get("headers") if isinstance(data, dict) else None
        names = {str(n).lower() for n in headers} if isinstance(headers, dict) else set()
        if "retry-after" not in names:
            yield Finding(
                jp.join(op.pointer, "responses", "429"),
                f"{op.label}: its 429 response does not document the Retry-After header "
                "the server sends",
                "add headers: {Retry-After: {schema: {type: integer}}}",
            )
