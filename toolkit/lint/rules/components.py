"""Rules about the document as a whole: components, servers, info."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import OAS3, Finding, rule

_COMPONENT_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
)


def _referenced(ctx: LintContext) -> set[str]:
    """Every pointer that some `$ref` of the bundle points at, or into (with all ancestors)."""
    targets: set[str] = set()
    files = ctx.document.resolver.files
    if len(files) == 1:  # the bundle is the root file itself: its ref sites are known
        refs = [site.ref for site in ctx.document.root.refs]
    else:  # the bundle rewrote refs: walk it
        refs = []
        stack: list[Any] = [ctx.data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    refs.append(ref)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    for ref in refs:
        pointer = jp.from_ref(ref)
        if pointer is not None:
            while pointer and pointer not in targets:
                targets.add(pointer)
                pointer = jp.parent(pointer)
    return targets


@rule("unused-component", Severity.WARNING, "Every component is used.")
def unused_component(ctx: LintContext) -> Iterator[Finding]:
    targets = _referenced(ctx)
    if ctx.version.is_swagger:
        groups = [
            (f"/{kind}", ctx.data.get(kind)) for kind in ("definitions", "parameters", "responses")
        ]
    else:
        components = ctx.data.get("components")
        components = components if isinstance(components, dict) else {}
        groups = [(f"/components/{kind}", components.get(kind)) for kind in _COMPONENT_KINDS]
    for base, group in groups:
        if not isinstance(group, dict):
            continue
        for name in group:
            pointer = jp.join(base, name)
            if pointer in targets:
                continue
            yield Finding(
                pointer,
                f"{base.rsplit('/', 1)[-1]} component {name!r} is never referenced",
                "remove it, or reference it where it belongs",
            )
    used_schemes = {
        name
        for requirements in [ctx.data.get("security")]
        + [op.data.get("security") for op in ctx.operations]
        for requirement in (requirements if isinstance(requirements, list) else [])
        for name in (requirement if isinstance(requirement, dict) else {})
    }
    base = "/securityDefinitions" if ctx.version.is_swagger else "/components/securitySchemes"
    for name in ctx.security_schemes:
        if name not in used_schemes:
            yield Finding(
                jp.join(base, name),
                f"security scheme {name!r} is never required by any operation",
                "require it in `security`, or remove it",
            )


@rule("servers-defined", Severity.WARNING, "The document says where the API is served.")
def servers_defined(ctx: LintContext) -> Iterator[Finding]:
    if ctx.version.is_swagger:
        if not ctx.data.get("host"):
            yield Finding("", "no `host` is declared", "add `host` (and `basePath`, `schemes`)")
        return
    servers = ctx.data.get("servers")
    if not isinstance(servers, list) or not servers:
        yield Finding("", "no `servers` are declared", "add `servers` with at least one url")


@rule(
    "server-url-trailing-slash",
    Severity.WARNING,
    "Server URLs do not end with a slash.",
    versions=OAS3,
)
def server_url_trailing_slash(ctx: LintContext) -> Iterator[Finding]:
    servers = ctx.data.get("servers")
    for index, server in enumerate(servers if isinstance(servers, list) else []):
        url = server.get("url") if isinstance(server, dict) else None
        if isinstance(url, str) and len(url) > 1 and url.endswith("/"):
            yield Finding(
                jp.join("/servers", index, "url"),
                f"server url {url!r} ends with a slash",
                "remove it: paths start with '/', so joined URLs get '//'",
            )


@rule("info-description", Severity.INFO, "The API has a description.")
def info_description(ctx: LintContext) -> Iterator[Finding]:
    info = ctx.data.get("info")
    if isinstance(info, dict) and not str(info.get("description") or "").strip():
        yield Finding("/info", "the API has no description", "describe the API in info.description")


@rule("info-contact", Severity.INFO, "The API names a contact.")
def info_contact(ctx: LintContext) -> Iterator[Finding]:
    info = ctx.data.get("info")
    if isinstance(info, dict) and not isinstance(info.get("contact"), dict):
        yield Finding("/info", "the API names no contact", "add info.contact (name, url or email)")


@rule("tag-description", Severity.INFO, "Declared tags have a description.")
def tag_description(ctx: LintContext) -> Iterator[Finding]:
    tags = ctx.data.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and not str(tag.get("description") or "").strip():
            yield Finding(
                jp.join("/tags", index),
                f"tag {tag.get('name')!r} has no description",
                "describe the group of operations",
            )
