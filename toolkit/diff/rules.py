"""The changes `ctk diff` names: a stable id, how bad, and what it means.

Breaking (error): a client written against the old document fails against the new one.
Potentially breaking (warning): some clients may fail (it depends on what they send or
read). Compatible (info): nothing a correct client does stops working.
"""

from __future__ import annotations

from toolkit.errors import Severity
from toolkit.outcome import RuleInfo

B, W, C = Severity.ERROR, Severity.WARNING, Severity.INFO

_TABLE: tuple[tuple[str, Severity, str], ...] = (
    # operations
    ("operation-removed", B, "an operation was removed"),
    ("operation-removed-deprecated", W, "an operation that was deprecated was removed"),
    ("operation-added", C, "an operation was added"),
    ("operation-deprecated", C, "an operation is now deprecated, with a sunset date"),
    ("operation-deprecated-no-sunset", W, "an operation is now deprecated without a sunset date"),
    ("operation-id-changed", W, "an operationId changed (generated clients rename a method)"),
    # parameters
    ("parameter-removed", W, "a request parameter was removed (clients still send it)"),
    ("parameter-added-required", B, "a required request parameter was added"),
    ("parameter-added", C, "an optional request parameter was added"),
    ("parameter-now-required", B, "a request parameter became required"),
    ("parameter-now-optional", C, "a request parameter became optional"),
    ("parameter-style-changed", B, "a parameter's serialization (style/explode) changed"),
    # request bodies
    ("request-body-added-required", B, "a required request body was added"),
    ("request-body-now-required", B, "the request body became required"),
    ("request-body-now-optional", C, "the request body became optional"),
    ("request-body-removed", W, "the request body was removed (clients still send one)"),
    ("request-media-type-removed", B, "a request content type is no longer accepted"),
    ("request-media-type-added", C, "a request content type is now accepted"),
    # responses
    ("response-success-removed", B, "a success response status was removed"),
    (
        "response-success-added",
        W,
        "a success response status was added (clients may not expect it)",
    ),
    ("response-error-removed", C, "an error response status is no longer documented"),
    ("response-error-added", C, "an error response status was documented"),
    ("response-media-type-removed", B, "a response content type is no longer produced"),
    ("response-media-type-added", W, "a response content type was added (clients may not read it)"),
    ("response-header-removed", B, "a response header clients could read was removed"),
    ("response-header-now-optional", B, "a response header is no longer always sent"),
    ("response-header-added", C, "a response header was added"),
    # schemas (direction-aware: request narrowing and response widening break)
    ("schema-type-changed", B, "a schema's type changed incompatibly"),
    ("schema-type-widened", C, "a schema accepts more types where that is compatible"),
    ("schema-format-changed", B, "a schema's format changed incompatibly"),
    ("schema-format-relaxed", C, "a schema's format constraint was relaxed compatibly"),
    ("schema-enum-narrowed", B, "an enum lost values a client may send"),
    ("schema-enum-widened", B, "an enum gained values a client may not expect"),
    ("schema-enum-compatible", C, "an enum changed compatibly"),
    ("schema-bound-tightened", B, "a request bound (max/min/length/items) was tightened"),
    ("schema-bound-relaxed", W, "a response bound was relaxed: clients may get values they refuse"),
    ("schema-bound-compatible", C, "a bound changed compatibly"),
    ("schema-pattern-changed", W, "a pattern changed (whether it narrows cannot be told)"),
    ("schema-pattern-added", B, "a pattern was added to a request value"),
    ("schema-pattern-compatible", C, "a pattern changed compatibly"),
    ("property-removed", B, "a response property clients may read was removed"),
    ("request-property-removed", W, "a request property was removed (clients still send it)"),
    ("property-added-required", B, "a required request property was added"),
    ("property-added", C, "a property was added where that is compatible"),
    ("property-now-required", B, "a request property became required"),
    ("property-now-optional", B, "a response property is no longer always sent"),
    (
        "property-in-some-variants",
        W,
        "a response property that was always sent is required by only some oneOf/anyOf variants",
    ),
    ("property-required-compatible", C, "a property's requiredness changed compatibly"),
    ("additional-properties-closed", B, "a request object no longer accepts other members"),
    ("additional-properties-opened", C, "an object accepts other members"),
    ("schema-nullable-changed", B, "null is no longer accepted, or is now returned"),
    ("schema-nullable-compatible", C, "null is now accepted, or no longer returned"),
    ("schema-read-write-changed", W, "readOnly/writeOnly changed"),
    ("schema-default-changed", W, "a default changed: omitting the value now means another one"),
    ("schema-variants-removed", B, "a oneOf/anyOf variant a client may send was removed"),
    ("schema-variants-added", B, "a oneOf/anyOf variant a client may not expect was added"),
    ("schema-variants-compatible", C, "oneOf/anyOf variants changed compatibly"),
    ("schema-variants-constrained", B, "a oneOf/anyOf now constrains a request value"),
    ("schema-variants-dropped", B, "a response's oneOf/anyOf constraint was dropped"),
    ("schema-discriminator-changed", B, "a discriminator's property changed"),
    # security and the rest
    ("security-added", B, "the operation now requires credentials (or more of them)"),
    ("security-scope-added", B, "a security requirement asks for more scopes"),
    ("security-relaxed", C, "the operation accepts more credentials or needs fewer"),
    ("servers-changed", W, "the servers changed"),
    ("extension-changed", C, "an x- extension changed"),
    # the ignore file
    ("ignore-expired", B, "an accepted change's acceptance expired"),
    ("ignore-unused", W, "an accepted change matches no finding any more"),
)

RULES: dict[str, RuleInfo] = {rid: RuleInfo(rid, summary, sev) for rid, sev, summary in _TABLE}
