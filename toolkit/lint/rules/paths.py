"""Rules about paths and path parameters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.context import LintContext
from toolkit.lint.registry import Finding, rule

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_VERBS = frozenset(
    [
        "get",
        "set",
        "put",
        "post",
        "create",
        "delete",
        "remove",
        "update",
        "fetch",
        "list",
        "add",
        "make",
        "do",
        "run",
        "execute",
        "retrieve",
        "insert",
        "modify",
        "change",
        "edit",
        "save",
        "find",
        "load",
    ]
)
_WORD_SPLIT = re.compile(r"[-_.]|(?<=[a-z0-9])(?=[A-Z])")


def _literal_segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s and not _TEMPLATE.search(s)]


def _style(segment: str) -> str | None:
    if re.fullmatch(r"[a-z0-9]+", segment):
        return None  # one lowercase word fits every style
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", segment):
        return "kebab-case"
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", segment):
        return "snake_case"
    if re.fullmatch(r"[a-z][a-z0-9]*([A-Z][a-z0-9]*)+", segment):
        return "camelCase"
    return "mixed"


def _paths(ctx: LintContext) -> list[str]:
    paths = ctx.data.get("paths")
    return [str(p) for p in paths] if isinstance(paths, dict) else []


@rule("path-no-verbs", Severity.WARNING, "Paths name resources, not actions.")
def path_no_verbs(ctx: LintContext) -> Iterator[Finding]:
    for path in _paths(ctx):
        for segment in _literal_segments(path):
            words = [w.lower() for w in _WORD_SPLIT.split(segment) if w]
            if words and words[0] in _VERBS:
                yield Finding(
                    jp.join("/paths", path),
                    f"path segment {segment!r} of {path} starts with the verb {words[0]!r}",
                    "let the HTTP method say the action; name the resource (e.g. /orders)",
                )
                break


@rule("path-casing", Severity.WARNING, "Path segments use one casing style.")
def path_casing(ctx: LintContext) -> Iterator[Finding]:
    styles: dict[str, str] = {}
    for path in _paths(ctx):
        found = {s for s in map(_style, _literal_segments(path)) if s is not None}
        if found:
            styles[path] = found.pop() if len(found) == 1 else "mixed"
    counts = Counter(s for s in styles.values() if s != "mixed")
    dominant = counts.most_common(1)[0][0] if counts else "kebab-case"
    for path, style in styles.items():
        if style == "mixed":
            yield Finding(
                jp.join("/paths", path),
                f"{path} mixes casing styles (or uses capitals)",
                f"write every path segment in {dominant}",
            )
        elif style != dominant:
            yield Finding(
                jp.join("/paths", path),
                f"{path} uses {style} where the rest of the API uses {dominant}",
                f"write every path segment in {dominant}",
            )


@rule("path-trailing-slash", Severity.WARNING, "Paths do not end with a slash.")
def path_trailing_slash(ctx: LintContext) -> Iterator[Finding]:
    for path in _paths(ctx):
        if len(path) > 1 and path.endswith("/"):
            yield Finding(
                jp.join("/paths", path),
                f"{path} ends with a slash",
                "remove it; /items and /items/ are different URLs to most servers",
            )


@rule("path-ambiguous", Severity.ERROR, "No two paths differ only in parameter names.")
def path_ambiguous(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for path in _paths(ctx):
        shape = _TEMPLATE.sub("{}", path.rstrip("/") or "/")
        if shape in seen:
            yield Finding(
                jp.join("/paths", path),
                f"{path} matches the same URLs as {seen[shape]}",
                "merge the two paths; a server cannot tell them apart",
            )
        else:
            seen[shape] = path


@rule("path-params-declared", Severity.ERROR, "Every path template parameter is declared.")
def path_params_declared(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        declared = {p.name for p in ctx.parameters(op) if p.location == "path"}
        for name in _TEMPLATE.findall(op.path):
            if name not in declared:
                yield Finding(
                    op.pointer,
                    f"{op.label}: path parameter {{{name}}} is not declared",
                    f"add a parameter with `name: {name}`, `in: path`, `required: true`",
                )


@rule("path-params-used", Severity.ERROR, "Every declared path parameter is in the path.")
def path_params_used(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        in_template = set(_TEMPLATE.findall(op.path))
        for param in ctx.parameters(op):
            if param.location == "path" and param.name not in in_template:
                yield Finding(
                    param.pointer,
                    f"{op.label}: path parameter {param.name!r} does not appear in the path",
                    "remove it, or add it to the path template",
                )


@rule("path-params-required", Severity.ERROR, "Path parameters are required.")
def path_params_required(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        for param in ctx.parameters(op):
            if param.location == "path" and param.data.get("required") is not True:
                yield Finding(
                    param.pointer,
                    f"{op.label}: path parameter {param.name!r} is not `required: true`",
                    "add `required: true`; a path segment cannot be absent",
                )


@rule("parameter-unique", Severity.ERROR, "An operation does not repeat a parameter.")
def parameter_unique(ctx: LintContext) -> Iterator[Finding]:
    for op in ctx.operations:
        for owner, base in ((op.path_item, op.path_pointer), (op.data, op.pointer)):
            seen: set[tuple[str, str]] = set()
            params = owner.get("parameters")
            for index, raw in enumerate(params if isinstance(params, list) else []):
                param = ctx.deref(raw)
                if not isinstance(param, dict):
                    continue
                key = (str(param.get("name")), str(param.get("in")))
                if key in seen:
                    yield Finding(
                        jp.join(base, "parameters", index),
                        f"parameter {key[0]!r} in {key[1]} is declared twice",
                        "remove the duplicate",
                    )
                seen.add(key)


@rule("parameter-description", Severity.INFO, "Parameters have a description.")
def parameter_description(ctx: LintContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for op in ctx.operations:
        for param in ctx.parameters(op):
            if param.pointer in reported or str(param.data.get("description") or "").strip():
                continue
            reported.add(param.pointer)
            yield Finding(
                param.pointer,
                f"parameter {param.name!r} ({param.location}) has no description",
                "say what it does and which values it accepts",
            )
