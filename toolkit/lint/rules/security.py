"""Rules about security: every non-public operation is secured and documents 401/403."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import Finding, rule

PUBLIC_MARK = "x-ctk-public"


@rule(
    "security-defined",
    Severity.WARNING,
    "Non-public operations declare security (public ones say so explicitly).",
)
def security_defined(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        if op.data.get(PUBLIC_MARK) is True:
            continue
        requirements = ctx.security(op)
        if requirements is None:
            yield Finding(
                op.pointer,
                f"{op.label} declares no security",
                "add `security` (here or at the top level); for a public operation write "
                f"`security: []` and `{PUBLIC_MARK}: true`",
            )
        elif requirements == [] and "security" in op.data:
            yield Finding(
                jp.join(op.pointer, "security"),
                f"{op.label} turns security off (`security: []`) without saying it is public",
                f"add `{PUBLIC_MARK}: true` if it is meant to be public",
            )


@rule(
    "security-scheme-defined",
    Severity.ERROR,
    "Security requirements name defined security schemes.",
)
def security_scheme_defined(ctx: LintContext) -> Iterator[Finding]:
    schemes = ctx.security_schemes
    sites = [("", ctx.data.get("security"))]
    sites += [(op.pointer, op.data.get("security")) for op in ctx.operations]
    for base, requirements in sites:
        for index, requirement in enumerate(requirements if isinstance(requirements, list) else []):
            for name in requirement if isinstance(requirement, dict) else {}:
                if name not in schemes:
                    yield Finding(
                        jp.join(base, "security", index, name),
                        f"security scheme {name!r} is not defined",
                        "define it under components.securitySchemes (2.0: securityDefinitions)",
                    )


@rule("security-401", Severity.WARNING, "Secured operations document 401 Unauthorized.")
def security_401(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        requirements = ctx.security(op)
        if not requirements or all(not r for r in requirements):
            continue  # public, or anonymous access allowed ({} alternative)
        if any(not r for r in requirements):
            continue
        codes = ctx.status_codes(op)
        if "401" not in codes and "4XX" not in codes:
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} is secured but does not document 401",
                "add a 401 response (problem+json) so clients and mocks know the failure",
            )


@rule("security-403", Severity.WARNING, "Operations that need scopes document 403 Forbidden.")
def security_403(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        requirements = ctx.security(op) or []
        scoped = any(
            isinstance(scopes, list) and scopes for r in requirements for scopes in r.values()
        )
        if not scoped:
            continue
        codes = ctx.status_codes(op)
        if "403" not in codes and "4XX" not in codes:
            yield Finding(
                jp.join(op.pointer, "responses"),
                f"{op.label} requires scopes but does not document 403",
                "add a 403 response for callers that lack a scope",
            )
