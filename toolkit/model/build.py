"""Document -> ApiModel: effective parameters, bodies, responses and security per operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit import pointer as jp
from toolkit.load import Document
from toolkit.load.bundle import Bundle, bundle_document
from toolkit.model.api import (
    ApiModel,
    BodyModel,
    OperationModel,
    ParamModel,
    ResponseModel,
)
from toolkit.model.names import Namer, snake
from toolkit.runtime.operation import Body, Param, Requirement, Response

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = ("path", "query", "header", "cookie")
SCHEMAS_PREFIX = "/components/schemas/"


def raw_operations(data: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation object of a bundled document, in
    document order; a path item behind a local `$ref` is followed, as `build_model` does."""
    for path, raw in mapping(data.get("paths") if isinstance(data, dict) else None).items():
        item = jp.follow(data, raw)[0]
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield str(path), method, operation


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base in ("application/json", "text/json", "*/*") or base.endswith("+json")


class _View:
    """Internal-ref resolution over the bundle (load already refused dangling refs/cycles)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def deref(self, value: Any, pointer: str) -> tuple[Any, str]:
        return jp.follow(self.data, value, pointer)


def _component(schema: Any) -> str | None:
    if isinstance(schema, dict) and set(schema) <= {"$ref", "description", "summary"}:
        ref = schema.get("$ref")
        target = jp.from_ref(ref) if isinstance(ref, str) else None
        if target is not None and target.startswith(SCHEMAS_PREFIX):
            name = target[len(SCHEMAS_PREFIX) :]
            if "/" not in name:
                return jp.unescape(name)
    return None


def _json_media(content: Any) -> tuple[tuple[str, ...], str | None]:
    if not isinstance(content, dict):
        return (), None
    types = tuple(str(k) for k in content)
    # application/json or +json first, then text/json, then a wildcard
    chosen = next(
        (t for t in types if is_json(t) and "*" not in t and "text/" not in t.lower()), None
    )
    chosen = chosen or next((t for t in types if is_json(t) and "*" not in t), None)
    chosen = chosen or next((t for t in types if is_json(t)), None)
    return types, chosen


def _requirements(value: Any) -> tuple[Requirement, ...] | None:
    if not isinstance(value, list):
        return None
    alternatives: list[Requirement] = []
    for requirement in value:
        if isinstance(requirement, dict):
            alternatives.append(
                tuple(
                    (str(name), tuple(str(s) for s in scopes) if isinstance(scopes, list) else ())
                    for name, scopes in requirement.items()
                )
            )
    return tuple(alternatives)


def build_api(document: Document, bundle: Bundle | None = None) -> ApiModel:
    bundle = bundle or bundle_document(document)
    data = bundle.data
    view = _View(data)
    handlers = Namer()
    operations: list[OperationModel] = []
    seen_ids: set[str] = set()
    paths = mapping(data.get("paths"))
    root_security = _requirements(data.get("security"))
    for path, raw_item in paths.items():
        item_ptr = jp.join("/paths", path)
        item, _ = view.deref(raw_item, item_ptr)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_ptr = jp.join(item_ptr, method)
            op_id = op.get("operationId")
            if not isinstance(op_id, str) or not op_id or op_id in seen_ids:
                op_id = f"{method}_{path}"
            seen_ids.add(op_id)
            security = _requirements(op["security"]) if "security" in op else root_security
            operations.append(
                OperationModel(
                    operation_id=op_id,
                    handler=handlers.claim(snake(op_id, fallback="op")),
                    method=method,
                    path=str(path),
                    summary=str(op.get("summary") or ""),
                    description=str(op.get("description") or ""),
                    deprecated=op.get("deprecated") is True,
                    tags=tuple(str(t) for t in op.get("tags") or [] if isinstance(t, str)),
                    params=_params(view, item, item_ptr, op, op_ptr),
                    body=_body(view, op, op_ptr),
                    responses=_responses(view, op, op_ptr),
                    security=security,
                    pointer=op_ptr,
                )
            )
    info = mapping(data.get("info"))
    schemas = mapping(mapping(data.get("components")).get("schemas"))
    return ApiModel(
        title=str(info.get("title") or "API"),
        version=str(info.get("version") or ""),
        openapi=document.version.full,
        operations=tuple(operations),
        schema_names=tuple(str(n) for n in schemas),
    )


def _params(
    view: _View, item: dict[str, Any], item_ptr: str, op: dict[str, Any], op_ptr: str
) -> tuple[ParamModel, ...]:
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for owner, base in ((item, item_ptr), (op, op_ptr)):
        raw = owner.get("parameters")
        for index, entry in enumerate(raw if isinstance(raw, list) else []):
            param, pointer = view.deref(entry, jp.join(base, "parameters", index))
            if isinstance(param, dict) and param.get("in") in LOCATIONS:
                merged[(str(param.get("name")), str(param["in"]))] = (param, pointer)
    args = Namer({"self", "context", "body"})
    result = []
    for (name, location), (param, pointer) in merged.items():
        schema_ptr: str | None = None
        schema: Any = None
        media_type: str | None = None
        if "schema" in param:
            schema_ptr = jp.join(pointer, "schema")
            schema, _ = view.deref(param["schema"], schema_ptr)
        elif isinstance(param.get("content"), dict) and param["content"]:
            media = next(iter(param["content"]))
            media_obj = param["content"][media]
            if isinstance(media_obj, dict) and "schema" in media_obj:
                schema_ptr = jp.join(pointer, "content", media, "schema")
                schema, _ = view.deref(media_obj["schema"], schema_ptr)
            media_type = str(media) if is_json(str(media)) else None
        explode = param.get("explode")
        result.append(
            ParamModel(
                Param(
                    name=name,
                    arg=args.claim(snake(name, fallback="param")),
                    location=location,  # type: ignore[arg-type]
                    required=param.get("required") is True or location == "path",
                    schema=schema_ptr,
                    style=str(param.get("style") or ""),
                    explode=explode if isinstance(explode, bool) else None,
                    media_type=media_type,
                ),
                schema=schema,
                description=str(param.get("description") or ""),
            )
        )
    order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    result.sort(key=lambda p: (not p.param.required, order[p.param.location]))
    return tuple(result)


def _body(view: _View, op: dict[str, Any], op_ptr: str) -> BodyModel | None:
    if "requestBody" not in op:
        return None
    body, pointer = view.deref(op["requestBody"], jp.join(op_ptr, "requestBody"))
    if not isinstance(body, dict):
        return None
    types, chosen = _json_media(body.get("content"))
    schema_ptr, schema, component = None, None, None
    if chosen is not None and isinstance(body["content"][chosen], dict):
        raw = body["content"][chosen].get("schema")
        if raw is not None:
            schema_ptr = jp.join(pointer, "content", chosen, "schema")
            component = _component(raw)
            schema, _ = view.deref(raw, schema_ptr)
    required = body.get("required") is True
    return BodyModel(Body("body", required, types, schema_ptr), schema, component)


def _responses(view: _View, op: dict[str, Any], op_ptr: str) -> tuple[ResponseModel, ...]:
    raw = op.get("responses")
    result = []
    for status, entry in raw.items() if isinstance(raw, dict) else []:
        response, pointer = view.deref(entry, jp.join(op_ptr, "responses", status))
        if not isinstance(response, dict):
            continue
        types, chosen = _json_media(response.get("content"))
        schema_ptr, schema, component = None, None, None
        if chosen is not None and isinstance(response["content"][chosen], dict):
            raw_schema = response["content"][chosen].get("schema")
            if raw_schema is not None:
                schema_ptr = jp.join(pointer, "content", chosen, "schema")
                component = _component(raw_schema)
                schema, _ = view.deref(raw_schema, schema_ptr)
        headers = mapping(response.get("headers"))
        required_headers = tuple(
            str(name)
            for name, header in headers.items()
            if isinstance(view.deref(header, "")[0], dict)
            and view.deref(header, "")[0].get("required") is True
        )
        result.append(
            ResponseModel(
                Response(
                    status=str(status).upper() if str(status) != "default" else "default",
                    media_types=types,
                    schema=schema_ptr,
                    headers=required_headers,
                ),
                description=str(response.get("description") or ""),
                schema=schema,
                component=component,
            )
        )
    return tuple(result)
