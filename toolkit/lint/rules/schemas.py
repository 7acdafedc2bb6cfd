"""Rules about schema objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import Finding, rule

_INTEGER_FORMATS = frozenset({"int32", "int64", "int8", "int16", "uint8", "uint32", "uint64"})
_COMPOSED = ("allOf", "anyOf", "oneOf", "additionalProperties", "patternProperties", "$ref")


def _types(schema: dict[str, Any]) -> set[str]:
    value = schema.get("type")
    if isinstance(value, str):
        return {value}
    return {t for t in value if isinstance(t, str)} if isinstance(value, list) else set()


def _canonical(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return repr(value).encode()


@rule("enum-duplicates", Severity.ERROR, "enum values are unique.")
def enum_duplicates(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        values = site.data.get("enum")
        if not isinstance(values, list):
            continue
        seen: set[tuple[str, bytes]] = set()
        for index, value in enumerate(values):
            key = (type(value).__name__, _canonical(value))
            if key in seen:
                yield Finding(
                    jp.join(site.pointer, "enum", index),
                    f"enum value {value!r} is listed twice",
                    "remove the duplicate; code generators fail on repeated members",
                )
            seen.add(key)


@rule("required-not-property", Severity.ERROR, "`required` names only declared properties.")
def required_not_property(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        schema = site.data
        required, props = schema.get("required"), schema.get("properties")
        if not isinstance(required, list) or not isinstance(props, dict):
            continue
        if any(key in schema for key in _COMPOSED if key != "additionalProperties") or (
            schema.get("additionalProperties") not in (None, False)
        ):
            continue
        for index, name in enumerate(required):
            if name not in props:
                yield Finding(
                    jp.join(site.pointer, "required", index),
                    f"required property {name!r} is not declared in `properties`",
                    "declare the property, or remove it from `required`",
                )


@rule("integer-format", Severity.WARNING, "Integers say their size (format int32 or int64).")
def integer_format(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        if "integer" not in _types(site.data):
            continue
        fmt = site.data.get("format")
        if fmt is None:
            yield Finding(
                site.pointer,
                "integer without a format",
                "add `format: int32` or `format: int64` so clients pick the right type",
            )
        elif fmt not in _INTEGER_FORMATS:
            yield Finding(
                jp.join(site.pointer, "format"),
                f"integer with format {fmt!r}",
                "use `int32` or `int64`",
            )


@rule(
    "nullable-in-31",
    Severity.ERROR,
    "`nullable` has no effect in OpenAPI 3.1; use a `null` type.",
    versions=frozenset({"3.1", "3.2"}),
)
def nullable_in_31(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        if "nullable" in site.data:
            kinds = sorted(_types(site.data)) or ["string"]
            yield Finding(
                jp.join(site.pointer, "nullable"),
                "`nullable` is ignored in OpenAPI 3.1 (JSON Schema 2020-12)",
                f"write `type: {[*kinds, 'null']}` instead",
            )


@rule(
    "nullable-without-type",
    Severity.WARNING,
    "`nullable: true` needs a `type` beside it (OpenAPI 3.0).",
    versions=frozenset({"3.0"}),
)
def nullable_without_type(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        if site.data.get("nullable") is True and "type" not in site.data:
            yield Finding(
                jp.join(site.pointer, "nullable"),
                "`nullable: true` without `type` has no effect",
                "add the `type` the value has when it is not null",
            )


@rule("array-items", Severity.WARNING, "Array schemas say what their items are.")
def array_items(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.schemas:
        if (
            _types(site.data) == {"array"}
            and "items" not in site.data
            and ("prefixItems" not in site.data)
        ):
            yield Finding(
                site.pointer,
                "array without `items`",
                "add `items` so validators and generated code know the element type",
            )


@rule(
    "ref-siblings",
    Severity.WARNING,
    "Keywords beside `$ref` are ignored before OpenAPI 3.1.",
    versions=frozenset({"2.0", "3.0"}),
)
def ref_siblings(ctx: LintContext) -> Iterator[Finding]:
    for source in ctx.document.resolver.iter_files():
        for site in source.refs:
            if not site.has_siblings:
                continue
            node = jp.resolve(source.data, site.pointer)
            ignored = sorted(k for k in node if k != "$ref" and not str(k).startswith("x-"))
            if ignored:
                yield Finding(
                    site.pointer,
                    f"{', '.join(ignored)} beside $ref {'is' if len(ignored) == 1 else 'are'}"
                    " ignored in this version",
                    "wrap the reference: `allOf: [{$ref: ...}]` plus the extra keywords",
                    uri=source.uri,
                )


def _declared(ctx: LintContext, schema: Any, depth: int = 0) -> tuple[set[str], set[str]]:
    """(properties, required) a schema declares itself or through `allOf`, refs followed."""
    schema = ctx.deref(schema)
    if not isinstance(schema, dict) or depth > 16:
        return set(), set()
    props = schema.get("properties")
    names = set(props) if isinstance(props, dict) else set()
    required = schema.get("required")
    needed = {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
    for part in schema.get("allOf") or ():
        more, more_needed = _declared(ctx, part, depth + 1)
        names |= more
        needed |= more_needed
    return names, needed


@rule(
    "allof-closed-part",
    Severity.ERROR,
    "No `allOf` part with `additionalProperties: false` forbids what another part adds.",
)
def allof_closed_part(ctx: LintContext) -> Iterator[Finding]:
    """`additionalProperties` sees only its own part's `properties`: a closed part refuses
    every property the other parts add, so no object holding one validates (ADR 0017)."""
    for site in ctx.schemas:
        parts = site.data.get("allOf")
        if not isinstance(parts, list) or (len(parts) < 2 and "properties" not in site.data):
            continue
        own = {k: v for k, v in site.data.items() if k != "allOf"}
        members = [*enumerate(parts), (None, own)]
        _, outer_needed = _declared(ctx, own)
        for index, part in enumerate(parts):
            closed = ctx.deref(part)
            if not isinstance(closed, dict) or closed.get("additionalProperties") is not False:
                continue
            if closed.get("patternProperties"):
                continue
            allowed, _ = _declared(ctx, closed)
            for other_index, other in members:
                if other_index == index:
                    continue
                added, needed = _declared(ctx, other)
                for name in sorted(added - allowed):
                    where = "the schema" if other_index is None else f"allOf part {other_index}"
                    must = name in needed | outer_needed
                    yield Finding(
                        jp.join(site.pointer, "allOf", index),
                        f"allOf part {index} has additionalProperties: false, so {where}'s "
                        f"property {name!r} is always refused"
                        + ("; it is required, so no object can satisfy the schema" if must else ""),
                        "merge the parts into one schema, or move `additionalProperties: false` "
                        "to the whole (3.1: `unevaluatedProperties: false` on the allOf schema)",
                    )
