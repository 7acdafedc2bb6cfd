"""The rule ids of `ctk contract check`, their default severity and summary."""

from __future__ import annotations

from toolkit.errors import Severity
from toolkit.outcome import RuleInfo

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, RuleInfo] = {
    info.id: info
    for info in (
        RuleInfo("contract-unknown-path", "The spec has no operation at this path.", E),
        RuleInfo("contract-unknown-method", "The path exists but not with this method.", E),
        RuleInfo("contract-undeclared-query", "A query parameter the spec does not declare.", E),
        RuleInfo("contract-undeclared-header", "A request header the spec does not declare.", W),
        RuleInfo("contract-missing-parameter", "A required parameter is not sent.", E),
        RuleInfo("contract-invalid-parameter", "A parameter value the spec does not allow.", E),
        RuleInfo("contract-missing-credentials", "A secured operation called without them.", W),
        RuleInfo("contract-missing-body", "A required request body is not sent.", E),
        RuleInfo("contract-unexpected-body", "A body sent to an operation that takes none.", W),
        RuleInfo("contract-invalid-request-body", "The request body breaks its schema.", E),
        RuleInfo("contract-request-field", "A request field the schema does not declare.", W),
        RuleInfo("contract-request-content-type", "A request media type the spec lacks.", E),
        RuleInfo("contract-undocumented-status", "A status the operation does not document.", E),
        RuleInfo("contract-default-status", "A status documented only by `default`.", W),
        RuleInfo("contract-response-content-type", "A response media type the spec lacks.", E),
        RuleInfo("contract-missing-response-body", "A body where the spec documents none.", E),
        RuleInfo("contract-invalid-response-body", "The expected body breaks its schema.", E),
        RuleInfo("contract-unknown-response-field", "A field the response schema lacks.", E),
        RuleInfo(
            "contract-undeclared-response-field", "A field only additionalProperties allows.", W
        ),
        RuleInfo("contract-optional-field", "The consumer relies on an optional field.", W),
        RuleInfo("contract-regex", "A regex the schema may not satisfy.", W),
        RuleInfo("contract-undeclared-response-header", "An undeclared response header.", W),
        RuleInfo("contract-invalid-response-header", "A header value the spec does not allow.", E),
        RuleInfo(
            "contract-not-checked", "Part of a pact this check cannot read (messages, XML).", INFO
        ),
    )
}
