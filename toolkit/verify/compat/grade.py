"""How much a schema error in a pact's example matters, given the consumer's matchers.

A pact example is one value; its matchers say what the consumer really requires. Under a
type matcher the consumer needs the type, not the literal: an example outside an enum or a
pattern is fine so long as the type fits, because the provider will send its own values.
A regex must be satisfiable by the schema: when its example breaks the schema's pattern or
format, no value may satisfy both. Without a matcher the consumer expects exactly the
example, so every error counts. Requests are different: the verifier sends the example
itself, so every error in a request counts.
"""

from __future__ import annotations

from typing import NamedTuple

from toolkit.errors import Severity
from toolkit.load.pact import Rule

# jsonschema-rs error kinds that constrain a value but not its type
VALUE_KINDS = frozenset(
    {
        "Pattern",
        "Enum",
        "Constant",
        "Format",
        "MinLength",
        "MaxLength",
        "Minimum",
        "Maximum",
        "ExclusiveMinimum",
        "ExclusiveMaximum",
        "MultipleOf",
        "MinItems",
        "MaxItems",
        "UniqueItems",
        "MinProperties",
        "MaxProperties",
        "Contains",
    }
)
_TYPE_LIKE = frozenset(
    {
        "type",
        "integer",
        "decimal",
        "number",
        "boolean",
        "null",
        "include",
        "values",
        "eachKey",
        "eachValue",
        "arrayContains",
        "notEmpty",
        "contentType",
        "semver",
    }
)
_DATES = frozenset({"date", "time", "datetime", "timestamp"})


class Grade(NamedTuple):
    severity: Severity | None  # None: not a finding
    why: str
    doubt: bool = False  # True: the consumer's regex may not be satisfiable (not a proof)


def grade(kind: str, rule: Rule | None) -> Grade:
    """How much one validator error in a response example matters."""
    if kind in ("Required", "AdditionalProperties"):
        return Grade(None, "")  # a consumer reads a subset; unknown fields are the walk's job
    if rule is None:
        return Grade(Severity.ERROR, "the consumer expects exactly this value")
    kinds = {m.kind for m in rule.matchers}
    if kind not in VALUE_KINDS:
        if kind in ("OneOfNotValid", "AnyOf", "OneOfMultipleValid") and kinds & _TYPE_LIKE:
            return Grade(Severity.WARNING, "the example fits none of the alternatives as written")
        return Grade(Severity.ERROR, f"under a {'/'.join(sorted(kinds))} matcher")
    if kinds & {"equality"}:
        return Grade(Severity.ERROR, "the consumer expects exactly this value (equality matcher)")
    if "regex" in kinds and kind in ("Pattern", "Format", "MinLength", "MaxLength", "Enum"):
        return Grade(
            Severity.WARNING, "the consumer's regex may not be satisfiable by the schema", True
        )
    if kinds & _DATES and kind == "Format":
        return Grade(Severity.ERROR, "the consumer's date/time format does not fit the schema's")
    return Grade(None, "")
