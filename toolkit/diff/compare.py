"""Operation by operation: what changed between two bundled documents, and how bad it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit import pointer as jp

from .schemas import Change, SchemaDiff, Where
from .view import Node, Operations, OperationView, media_types, operations


def compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    old_legacy: bool,
    new_legacy: bool,
    views: tuple[Operations, Operations] | None = None,
) -> list[Change]:
    """`views`: both documents' operations when the caller has them already."""
    changes: list[Change] = []
    schemas = SchemaDiff(old, new, old_legacy, new_legacy, changes)
    before, after = views or (operations(old), operations(new))
    for key, op in before.items():
        schemas.operation = op.label
        schemas.where = Where(op.method.upper(), op.path)
        if key not in after:
            deprecated = op.value.get("deprecated") is True
            rule = "operation-removed-deprecated" if deprecated else "operation-removed"
            schemas.add(rule, f"{op.label}: removed", op.pointer, None)
            continue
        schemas.operation = after[key].label
        _operation(schemas, op, after[key])
    for key, op in after.items():
        if key not in before:
            schemas.operation = op.label
            schemas.where = Where(op.method.upper(), op.path)
            schemas.add("operation-added", f"{op.label}: added", None, op.pointer)
    schemas.operation = ""
    schemas.where = Where()
    _document(schemas, old, new)
    return _unique(changes)


def _operation(d: SchemaDiff, o: OperationView, n: OperationView) -> None:
    label = n.label
    if o.value.get("deprecated") is not True and n.value.get("deprecated") is True:
        sunset = any(k.lower() in ("x-sunset", "x-sunset-date") for k in n.value)
        rule = "operation-deprecated" if sunset else "operation-deprecated-no-sunset"
        d.add(rule, f"{label}: deprecated", o.pointer, n.pointer)
    old_id, new_id = o.value.get("operationId"), n.value.get("operationId")
    if old_id and new_id and old_id != new_id:
        d.add(
            "operation-id-changed",
            f"{label}: operationId {old_id} → {new_id}",
            o.pointer,
            n.pointer,
        )
    _parameters(d, o, n)
    with d.within(side="request"):
        _body(d, o, n)
    _responses(d, o, n)
    _security(d, o, n)


def _parameters(d: SchemaDiff, o: OperationView, n: OperationView) -> None:
    for key, param in o.params.items():
        if key not in n.params:
            name = f"{key[0]} parameter {param.value.get('name')}"
            with d.within(side="parameter", param=(key[0], str(param.value.get("name")))):
                d.add("parameter-removed", f"{n.label}: {name} removed", param.pointer, n.pointer)
    for key, param in n.params.items():
        with d.within(side="parameter", param=(key[0], str(param.value.get("name")))):
            _parameter(d, o, n, key, param)


def _parameter(
    d: SchemaDiff, o: OperationView, n: OperationView, key: tuple[str, str], param: Node
) -> None:
    name = f"{key[0]} parameter {param.value.get('name')}"
    required = param.value.get("required") is True
    if key not in o.params:
        rule = "parameter-added-required" if required else "parameter-added"
        state = "added, required" if required else "added"
        d.add(rule, f"{n.label}: {name} {state}", o.pointer, param.pointer)
        return
    before = o.params[key]
    was = before.value.get("required") is True
    if was != required:
        rule = "parameter-now-required" if required else "parameter-now-optional"
        state = "now required" if required else "now optional"
        d.add(rule, f"{n.label}: {name} {state}", before.pointer, param.pointer)
    if _style(before.value) != _style(param.value):
        was_style, now_style = _style(before.value), _style(param.value)
        message = f"{n.label}: {name} style {was_style} → {now_style}"
        d.add("parameter-style-changed", message, before.pointer, param.pointer)
    if "schema" in before.value and "schema" in param.value:
        old_at, new_at = jp.join(before.pointer, "schema"), jp.join(param.pointer, "schema")
        d.compare(before.value["schema"], old_at, param.value["schema"], new_at, True, name)


def _style(param: Mapping[str, Any]) -> tuple[str, bool]:
    where = param.get("in")
    style = param.get("style") or ("form" if where in ("query", "cookie") else "simple")
    explode = param.get("explode")
    return str(style), bool(explode) if explode is not None else style == "form"


def _body(d: SchemaDiff, o: OperationView, n: OperationView) -> None:
    label = n.label
    if o.body is None and n.body is None:
        return
    if o.body is None and n.body is not None:
        if n.body.value.get("required") is True:
            d.add(
                "request-body-added-required",
                f"{label}: request body added, required",
                o.pointer,
                n.body.pointer,
            )
        return
    if n.body is None and o.body is not None:
        d.add("request-body-removed", f"{label}: request body removed", o.body.pointer, n.pointer)
        return
    assert o.body is not None and n.body is not None
    was, now = o.body.value.get("required") is True, n.body.value.get("required") is True
    if was != now:
        rule = "request-body-now-required" if now else "request-body-now-optional"
        d.add(
            rule,
            f"{label}: request body now {'required' if now else 'optional'}",
            o.body.pointer,
            n.body.pointer,
        )
    _content(d, o.body, n.body, True, f"{label} request")


def _content(d: SchemaDiff, o: Node, n: Node, request: bool, label: str) -> None:
    before, after = media_types(o.value.get("content")), media_types(n.value.get("content"))
    for media, (_, written) in before.items():
        if media not in after:
            rule = "request-media-type-removed" if request else "response-media-type-removed"
            at = jp.join(o.pointer, "content", written)
            d.add(rule, f"{label}: {media} removed", at, n.pointer)
    for media, (_, written) in after.items():
        if media not in before:
            rule = "request-media-type-added" if request else "response-media-type-added"
            if not before:  # a body where there was none: the body's own finding says so
                continue
            d.add(
                rule, f"{label}: {media} added", o.pointer, jp.join(n.pointer, "content", written)
            )
    for media in sorted(set(before) & set(after)):
        (old_entry, old_written), (new_entry, new_written) = before[media], after[media]
        if "schema" in old_entry and "schema" in new_entry:
            old_at = jp.join(o.pointer, "content", old_written, "schema")
            new_at = jp.join(n.pointer, "content", new_written, "schema")
            where = "body" if request else f"{label.rsplit(' ', 1)[-1]} body"
            d.compare(old_entry["schema"], old_at, new_entry["schema"], new_at, request, where)


def _responses(d: SchemaDiff, o: OperationView, n: OperationView) -> None:
    label = n.label
    for status, response in o.responses.items():
        if status in n.responses:
            continue
        success = status.startswith("2") or status == "2XX"
        rule = "response-success-removed" if success else "response-error-removed"
        with d.within(side="response", status=status):
            d.add(rule, f"{label}: response {status} removed", response.pointer, n.pointer)
    for status, response in n.responses.items():
        with d.within(side="response", status=status):
            if status not in o.responses:
                success = status.startswith("2") and bool(o.responses)
                rule = "response-success-added" if success else "response-error-added"
                if not status.startswith("2") or success:
                    d.add(rule, f"{label}: response {status} added", o.pointer, response.pointer)
                continue
            before = o.responses[status]
            _content(d, before, response, False, f"{label} response {status}")
            _headers(d, before, response, f"{label} response {status}")


def _headers(d: SchemaDiff, o: Node, n: Node, label: str) -> None:
    def headers(node: Node, document: Mapping[str, Any]) -> dict[str, Node]:
        raw = node.value.get("headers")
        found: dict[str, Node] = {}
        for name, value in raw.items() if isinstance(raw, Mapping) else ():
            header, at = jp.follow(document, value, jp.join(node.pointer, "headers", str(name)))
            found[str(name).lower()] = Node(header if isinstance(header, Mapping) else {}, at)
        return found

    before, after = headers(o, d.old), headers(n, d.new)
    for name, header in before.items():
        if name not in after:
            message = f"{label}: header {name} removed"
            with d.within(side="header", param=("header", name)):
                d.add("response-header-removed", message, header.pointer, n.pointer)
    for name, header in after.items():
        with d.within(side="header", param=("header", name)):
            _header(d, before.get(name), header, o, label, name)


def _header(
    d: SchemaDiff, old: Node | None, new: Node, response: Node, label: str, name: str
) -> None:
    if old is None:
        d.add(
            "response-header-added", f"{label}: header {name} added", response.pointer, new.pointer
        )
        return
    if old.value.get("required") is True and new.value.get("required") is not True:
        message = f"{label}: header {name} now optional"
        d.add("response-header-now-optional", message, old.pointer, new.pointer)
    if "schema" in old.value and "schema" in new.value:
        d.compare(
            old.value["schema"], jp.join(old.pointer, "schema"),
            new.value["schema"], jp.join(new.pointer, "schema"),
            False, f"header {name}",
        )  # fmt: skip


def _security(d: SchemaDiff, o: OperationView, n: OperationView) -> None:
    before, after = _alternatives(o.security), _alternatives(n.security)
    if sorted(map(_canon, before)) == sorted(map(_canon, after)):
        return  # the same alternatives, perhaps reordered
    label = n.label
    public_before, public_after = not before or {} in before, not after or {} in after
    if public_before or public_after:
        if public_before and not public_after:
            d.add("security-added", f"{label}: now requires credentials", o.pointer, n.pointer)
        elif public_after and not public_before:
            d.add("security-relaxed", f"{label}: now public", o.pointer, n.pointer)
        return
    # every old alternative must still be met by what its clients send: a new alternative
    # with the same schemes or fewer, and no more scopes
    for alternative in before:
        if any(_meets(alternative, a) for a in after):
            continue
        fewer = [a for a in after if a.keys() <= alternative.keys()]
        if not fewer:
            names = ", ".join(sorted(alternative)) or "none"
            message = f"{label}: credentials {names} no longer accepted"
            d.add("security-added", message, o.pointer, n.pointer)
            continue
        needs = sorted({k for a in fewer for k in a if a[k] - alternative[k]})
        message = f"{label}: {', '.join(needs)} needs more scopes"
        d.add("security-scope-added", message, o.pointer, n.pointer)
    if any(not any(_meets(a, old) for old in before) for a in after):
        message = f"{label}: accepts more credentials or needs fewer"
        d.add("security-relaxed", message, o.pointer, n.pointer)


def _meets(sent: Mapping[str, frozenset[str]], wanted: Mapping[str, frozenset[str]]) -> bool:
    """Credentials that satisfy `sent` (its schemes, with its scopes) satisfy `wanted` too."""
    return all(k in sent and scopes <= sent[k] for k, scopes in wanted.items())


def _canon(alternative: Mapping[str, frozenset[str]]) -> list[tuple[str, list[str]]]:
    return sorted((k, sorted(v)) for k, v in alternative.items())


def _alternatives(value: Any) -> list[dict[str, frozenset[str]]]:
    """The requirement alternatives; [] = no security at all."""
    if not isinstance(value, list):
        return []
    found = []
    for requirement in value:
        if isinstance(requirement, Mapping):
            found.append(
                {
                    str(k): frozenset(str(x) for x in v) if isinstance(v, list) else frozenset()
                    for k, v in requirement.items()
                }
            )
    return found


def _document(d: SchemaDiff, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    if _urls(old.get("servers")) != _urls(new.get("servers")):
        d.add(
            "servers-changed",
            "servers changed",
            "/servers" if "servers" in old else None,
            "/servers" if "servers" in new else None,
        )
    for key in sorted({k for k in (*old, *new) if str(k).startswith("x-")}):
        if old.get(key) != new.get(key):
            d.add(
                "extension-changed",
                f"{key} changed",
                jp.join("", key) if key in old else None,
                jp.join("", key) if key in new else None,
            )


def _urls(servers: Any) -> list[str]:
    return (
        [str(s.get("url")) for s in servers if isinstance(s, Mapping)]
        if isinstance(servers, list)
        else []
    )


def _unique(changes: list[Change]) -> list[Change]:
    seen: set[tuple[str, str | None, str | None, str, str]] = set()
    kept = []
    for change in changes:  # the same finding under another operation is kept: consumers
        key = (change.rule, change.old, change.new, change.message, change.operation)
        if key not in seen:
            seen.add(key)
            kept.append(change)
    return kept
