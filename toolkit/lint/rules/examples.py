"""Every example in the document validates against the schema it illustrates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import Finding, rule
from toolkit.lint.schemas import SchemaValidators, errors_of


def _example_values(
    ctx: LintContext, holder: dict[str, Any], pointer: str
) -> Iterator[tuple[Any, str]]:
    if "example" in holder:
        yield holder["example"], jp.join(pointer, "example")
    examples = holder.get("examples")
    if isinstance(examples, dict):
        if ctx.version.is_swagger:  # 2.0 response examples: {mime type: value}
            for media, value in examples.items():
                if "json" in str(media):
                    yield value, jp.join(pointer, "examples", media)
            return
        for name, raw in examples.items():
            example, example_ptr = ctx.deref_site(raw, jp.join(pointer, "examples", name))
            if isinstance(example, dict) and "value" in example:
                yield example["value"], jp.join(example_ptr, "value")


_COMPONENT_ROOTS = ("/components/schemas/", "/definitions/", "/x-ctk-bundled/")


@rule("example-valid", Severity.ERROR, "Examples validate against their schema.")
def example_valid(ctx: LintContext) -> Iterator[Finding]:
    cases: dict[tuple[str, str], Any] = {}  # (schema pointer, example pointer) -> example
    inline: dict[str, Any] = {}
    for pointer, holder in ctx.schema_holders():
        if "schema" not in holder:
            continue
        schema_ptr = jp.join(pointer, "schema")
        for value, value_ptr in _example_values(ctx, holder, pointer):
            cases[(schema_ptr, value_ptr)] = value
            if not schema_ptr.startswith(_COMPONENT_ROOTS):
                inline[schema_ptr] = holder["schema"]
    for site in ctx.schemas:
        schema = site.data
        examples = schema.get("examples") if ctx.version.is_31_or_later else None
        if "example" not in schema and not isinstance(examples, list):
            continue
        schema_ptr = site.pointer
        if "example" in schema:
            cases[(schema_ptr, jp.join(schema_ptr, "example"))] = schema["example"]
        if isinstance(examples, list):
            for index, value in enumerate(examples):
                cases[(schema_ptr, jp.join(schema_ptr, "examples", index))] = value
        if not schema_ptr.startswith(_COMPONENT_ROOTS):
            inline[schema_ptr] = schema
    if not cases:
        return
    validators = SchemaValidators(ctx.data, ctx.version, inline)
    compiled: tuple[str, Any] = ("", None)
    for (schema_ptr, value_ptr), value in sorted(cases.items(), key=lambda c: c[0]):
        if compiled[0] != schema_ptr:
            compiled = (schema_ptr, validators.validator(schema_ptr))
        if compiled[1] is None:
            continue
        for inner, message in errors_of(compiled[1], value):
            yield Finding(
                value_ptr + inner,
                f"example does not match its schema: {message}",
                f"fix the example, or the schema at {schema_ptr}",
            )
