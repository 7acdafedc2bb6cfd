"""client.py: a typed httpx client, sync and async, one method per operation, over the
generated models and `toolkit.client` (timeouts, retries, idempotency keys, typed errors,
pagination). Every spec string reaches the code through `python.literal`/`docstring`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit import pointer as jp
from toolkit.generate.python import (
    docstring,
    import_from,
    literal,
    mentions,
    param_type,
    stdlib_imports,
)
from toolkit.generate.schemas import Shapes
from toolkit.generate.service import HEADER, body_type
from toolkit.model import ApiModel, OperationModel
from toolkit.model.names import pascal

_CURSORS = ("cursor", "page_token", "pageToken", "after", "starting_after")
_NEXT = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next")
_ITEMS = ("items", "data", "results", "records", "entries")
_IDEMPOTENCY = "idempotency-key"


def client_name(api: ApiModel) -> str:
    return pascal(api.title, fallback="Api") + "Client"


def render_client(
    api: ApiModel,
    classes: dict[str, str],
    shapes: Shapes,
    document: Mapping[str, Any],
    names: Mapping[str, str] | None = None,
) -> str:
    """`names`: schema pointer -> class (models.names), for the items of paginated lists."""
    classes = {**(names or {}), **classes}
    name = client_name(api)
    constants = [_constant(op, classes) for op in api.operations]
    sync = [_method(op, classes, shapes, document, asynchronous=False) for op in api.operations]
    asyn = [_method(op, classes, shapes, document, asynchronous=True) for op in api.operations]
    code = "".join(constants) + "".join(sync) + "".join(asyn)
    typing = [n for n in ("Any", "Literal") if mentions(code, n)]
    iterators = [n for n in ("AsyncIterator", "Iterator") if mentions(code, n)]
    standard = stdlib_imports(code, {"collections.abc": iterators, "typing": typing})
    out = [
        HEADER,
        f'"""A typed client of {_text(api.title)} {_text(api.version)}: `{name}` (sync) and\n'
        f'`Async{name}`, over httpx and the generated models (toolkit.client)."""\n\n',
        "from __future__ import annotations\n\n",
        standard,
        "\n" if standard else "",
        import_from(
            "toolkit.client",
            [
                n
                for n in ("AsyncClient", "Client", "Operation", "Param", "TypeAdapter")
                if n != "Param" or "Param(" in code
            ],
        ),
        "\nfrom . import models\n\n" if "models." in code else "\n",
        f'__all__ = ["Async{name}", "{name}"]\n\n',
        f"SECURITY = {_security(document)}\n",
        *constants,
        f"\n\nclass {name}(Client):\n",
        docstring(_class_doc(api, asynchronous=False), "    "),
        "\n    SECURITY = SECURITY\n",
        *sync,
        f"\n\nclass Async{name}(AsyncClient):\n",
        docstring(_class_doc(api, asynchronous=True), "    "),
        "\n    SECURITY = SECURITY\n",
        *asyn,
    ]
    return "".join(out)


def _class_doc(api: ApiModel, *, asynchronous: bool) -> str:
    close = "`await client.aclose()` or `async with`" if asynchronous else "`close()` or `with`"
    return (
        f"{api.title} {api.version}. `base_url` is the server; credentials (`api_key`, `token`, "
        f"`basic`) travel as the spec's security schemes say. Close it with {close}. "
        "Documented error answers raise toolkit.client.ApiError subclasses carrying the "
        "parsed body; retries follow `retry` (toolkit.client.RetryPolicy)."
    )


def _text(value: str) -> str:
    from toolkit.generate.python import comment

    return comment(value, limit=80).replace("\\", "").replace('"', "'")


def _security(document: Mapping[str, Any]) -> str:
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    found: list[tuple[str, str, str]] = []
    for raw in (schemes or {}).values() if isinstance(schemes, dict) else ():
        scheme = jp.deref(document, raw)
        if not isinstance(scheme, dict):
            continue
        kind = str(scheme.get("type", ""))
        if kind == "apiKey":
            found.append((kind, str(scheme.get("in", "")), str(scheme.get("name", ""))))
        elif kind == "http":
            found.append((kind, str(scheme.get("scheme", "")).lower(), ""))
        elif kind in ("oauth2", "openIdConnect"):
            found.append((kind, "bearer", ""))
    return literal(tuple(found)) if found else "()"


def _constant_name(op: OperationModel) -> str:
    return "_" + op.handler.upper()


def _result(op: OperationModel, classes: dict[str, str]) -> str:
    kinds = []
    for response in op.success:
        pointer = response.response.schema
        if pointer and pointer in classes:
            kinds.append(f"models.{classes[pointer]}")
        elif not response.response.media_types or response.response.status == "204":
            kinds.append("None")
        else:
            kinds.append("Any")
    kinds = list(dict.fromkeys(kinds)) or ["None"]
    if "Any" in kinds:
        return "Any"
    named = [k for k in kinds if k != "None"]
    return " | ".join([*named, *(["None"] if "None" in kinds else [])])


def _constant(op: OperationModel, classes: dict[str, str]) -> str:
    result = _result(op, classes)
    lines = [
        f"\n{_constant_name(op)}: Operation[{result}] = Operation(",
        f"    id={literal(op.operation_id)},",
        f"    method={literal(op.method.upper())},",
        f"    path={literal(op.path)},",
        f"    result=TypeAdapter({result}),",
    ]
    if op.params:
        lines.append("    params=(")
        lines.extend(
            f"        Param({literal(p.param.name)}, {literal(p.param.arg)}, "
            f"{literal(p.param.location)}),"
            for p in op.params
        )
        lines.append("    ),")
    if op.body is not None and op.body.body.media_types:
        lines.append(f"    body_media={literal(op.body.body.media_types[0])},")
    success = tuple(int(r.response.status) for r in op.success if r.response.status.isdigit())
    if success and success != (200,):
        lines.append(f"    success={literal(success)},")
    errors = [
        (r.response.status, classes[r.response.schema])
        for r in op.responses
        if not r.response.status.startswith("2")
        and r.response.schema
        and r.response.schema in classes
    ]
    if errors:
        lines.append("    errors={")
        lines.extend(f"        {literal(s)}: TypeAdapter(models.{c})," for s, c in errors)
        lines.append("    },")
    key = _idempotency(op)
    if key is not None:
        lines.append(f"    idempotency_header={literal(key)},")
    lines.append(")\n")
    return "\n".join(lines)


def _idempotency(op: OperationModel) -> str | None:
    for p in op.params:
        if p.param.location == "header" and p.param.name.lower() == _IDEMPOTENCY:
            return p.param.name
    return None


def _signature(
    op: OperationModel, classes: dict[str, str], shapes: Shapes, skip: str = ""
) -> list[str]:
    """Keyword-only: required parameters, the body, then optional parameters (None: the
    server's default applies; nothing is sent)."""
    required = [p for p in op.params if p.param.required and p.param.arg != skip]
    optional = [p for p in op.params if not p.param.required and p.param.arg != skip]
    lines = [f"        {p.param.arg}: {param_type(p.schema)}," for p in required]
    if op.body is not None:
        kind = body_type(op, classes, shapes)
        if op.body.body.required or kind == "Any" or kind.endswith("| None"):
            lines.append(f"        body: {kind},")
        else:
            lines.append(f"        body: {kind} | None = None,")
    for p in optional:
        kind = param_type(p.schema)
        optional_kind = kind if kind == "Any" or kind.endswith("| None") else f"{kind} | None"
        lines.append(f"        {p.param.arg}: {optional_kind} = None,")
    return ["        self,", *(["        *,"] if lines else []), *lines]


def _arguments(op: OperationModel, skip: str = "") -> str:
    names = [p.param.arg for p in op.params if p.param.arg != skip]
    if not names:
        return "{}"
    return "{" + ", ".join(f"{literal(n)}: {n}" for n in names) + "}"


def _method(
    op: OperationModel,
    classes: dict[str, str],
    shapes: Shapes,
    document: Mapping[str, Any],
    *,
    asynchronous: bool,
) -> str:
    summary = op.summary or op.description or op.operation_id
    text = f"{summary} ({op.method.upper()} {op.path})"
    if op.deprecated:
        text = "Deprecated. " + text
    prefix, wait = ("async def", "await ") if asynchronous else ("def", "")
    body = "body" if op.body is not None else "None"
    out = (
        f"\n    {prefix} {op.handler}(\n"
        + "\n".join(_signature(op, classes, shapes))
        + f"\n    ) -> {_result(op, classes)}:\n"
        + docstring(text, "        ")
        + f"        return {wait}self._call({_constant_name(op)}, {_arguments(op)}, {body})\n"
    )
    paging = _pagination(op, classes, document)
    if paging is None:
        return out
    cursor, next_field, items_field, item_type = paging
    iterator = "AsyncIterator" if asynchronous else "Iterator"
    call = "self._pages" if asynchronous else "yield from self._pages"
    loop = f"        async for item in {call}(\n" if asynchronous else f"        {call}(\n"
    args = (
        f"            {_constant_name(op)},\n"
        f"            {_arguments(op, skip=cursor)},\n"
        f"            {literal(cursor)},\n"
        f"            {literal(next_field)},\n"
        f"            {literal(items_field)},\n"
        "        )"
    )
    tail = ":\n            yield item\n" if asynchronous else "\n"
    return (
        out
        + f"\n    {prefix} iter_{op.handler}(\n"
        + "\n".join(_signature(op, classes, shapes, skip=cursor))
        + f"\n    ) -> {iterator}[{item_type}]:\n"
        + docstring(f"Every item of every page of {op.handler}, fetched as needed.", "        ")
        + loop
        + args
        + tail
    )


def _pagination(
    op: OperationModel, classes: dict[str, str], document: Mapping[str, Any]
) -> tuple[str, str, str, str] | None:
    """(cursor argument, next-cursor member, items member, item type) of a cursor-paginated
    list operation: a GET with a cursor query parameter whose page holds an array and a
    next cursor."""
    if op.method != "get" or len(op.success) != 1:
        return None
    cursor = next(
        (
            p.param.arg
            for p in op.params
            if p.param.location == "query" and p.param.name in _CURSORS
        ),
        None,
    )
    page = op.success[0].schema
    properties = page.get("properties") if isinstance(page, dict) else None
    if cursor is None or not isinstance(properties, dict):
        return None
    next_field = next((n for n in _NEXT if n in properties), None)
    items_field = next(
        (
            n
            for n in _ITEMS
            if n in properties and (jp.deref(document, properties[n]) or {}).get("type") == "array"
        ),
        None,
    )
    if next_field is None or items_field is None:
        return None
    items = (jp.deref(document, properties[items_field]) or {}).get("items")
    item_type = "Any"
    ref = items.get("$ref") if isinstance(items, dict) else None
    target = jp.from_ref(ref) if isinstance(ref, str) else None
    if target is not None and target in classes:
        item_type = f"models.{classes[target]}"
    return cursor, next_field, items_field, item_type
