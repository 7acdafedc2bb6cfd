"""The provider's promises, indexed for checking pacts: operations routed as the runtime
routes them (under each `servers` base path), with every parameter, body, response and
response header by pointer, and one compiled validator per schema, built on first use.

Reads Swagger 2.0 (`in: body`, `schema` on responses, `consumes`/`produces`, `basePath`)
and OpenAPI 3.x into the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from toolkit.lint.schemas import SchemaValidators
from toolkit.load import Document
from toolkit.load.bundle import Bundle, bundle_document
from toolkit.model.build import raw_operations
from toolkit.pointer import follow, join, resolve
from toolkit.runtime._routing import Route, Router
from toolkit.runtime.operation import Param

_JSON_DEFAULT = ("application/json",)


@dataclass(frozen=True, slots=True)
class ParamSpec:
    param: Param  # the runtime's view, so values decode exactly as a server decodes them
    schema: Any  # resolved, for the decoder
    pointer: str  # of the parameter object


@dataclass(frozen=True, slots=True)
class HeaderSpec:
    required: bool
    schema_pointer: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    status: str  # "200", "4XX" or "default"
    pointer: str
    content: dict[str, str | None]  # media type → schema pointer
    headers: dict[str, HeaderSpec]  # lower-case names


@dataclass(frozen=True, slots=True)
class BodySpec:
    required: bool
    pointer: str
    content: dict[str, str | None]


@dataclass(frozen=True)
class OperationSpec:
    method: str  # upper case
    path: str
    pointer: str
    params: dict[tuple[str, str], ParamSpec]  # (location, name; lower case for headers)
    body: BodySpec | None
    responses: dict[str, ResponseSpec]
    credentials: frozenset[tuple[str, str]]  # (location, name) any security scheme reads
    secured: bool
    label: str = field(default="")


class ContractSpec:
    """One document's operations and validators; build once, check many interactions."""

    def __init__(self, document: Document, bundle: Bundle | None = None) -> None:
        self.document = document
        self.bundle = bundle or bundle_document(document)
        data = self.bundle.data
        self.data = data
        self.swagger = document.version.is_swagger
        self.bases = _base_paths(data, swagger=self.swagger)
        schemes = _mapping(
            data.get("securityDefinitions")
            if self.swagger
            else _mapping(data.get("components")).get("securitySchemes")
        )
        self._schemes = {str(k): follow(data, v)[0] for k, v in schemes.items()}
        self.operations: list[OperationSpec] = []
        routes: dict[str, dict[str, OperationSpec]] = {}
        for path, method, _ in raw_operations(data):
            operation = self._operation(path, method)
            self.operations.append(operation)
            routes.setdefault(path, {})[operation.method] = operation
        self._router = Router([Route(t, m) for t, m in routes.items()])
        inline = {
            p: s
            for p, s in self._schema_pointers()
            if not p.startswith(("/components/schemas/", "/definitions/"))
        }
        self.validators = SchemaValidators(data, document.version, inline)
        self._compiled: dict[str, Any] = {}

    def validator(self, pointer: str) -> Any | None:
        if pointer not in self._compiled:
            self._compiled[pointer] = self.validators.validator(pointer)
        return self._compiled[pointer]

    def resolve(self, pointer: str) -> tuple[Any, str]:
        """The schema at `pointer` with `$ref`s followed, and where it really is."""
        return follow(self.data, resolve(self.data, pointer), pointer)

    def resolve_value(self, value: Any) -> Any:
        return follow(self.data, value)[0]

    def route(
        self, path: str, method: str
    ) -> tuple[OperationSpec | None, dict[str, str], str | None]:
        """(operation or None, path parameters, the matching path template or None)."""
        raw = path.split("?", 1)[0]
        for base in self.bases:
            if base and not (raw == base or raw.startswith(base + "/")):
                continue
            rest = raw[len(base) :] or "/"
            found = self._router.match({"path": unquote(rest), "raw_path": rest.encode()})
            if found is not None:
                route, params = found
                return route.methods.get(method.upper()), params, route.template
        return None, {}, None

    def _operation(self, path: str, method: str) -> OperationSpec:
        data = self.data
        item_ptr = join("/paths", path)
        item, item_ptr = follow(data, data["paths"][path], item_ptr)
        op_ptr = join(item_ptr, method)
        op = item[method]
        params: dict[tuple[str, str], ParamSpec] = {}
        body: BodySpec | None = None
        for owner, base in ((item, item_ptr), (op, op_ptr)):
            for index, entry in enumerate(_list(owner.get("parameters"))):
                param, pointer = follow(data, entry, join(base, "parameters", index))
                if not isinstance(param, Mapping):
                    continue
                where, name = param.get("in"), str(param.get("name"))
                if where == "body" and self.swagger:
                    content: dict[str, str | None] = dict.fromkeys(
                        self._media(op, "consumes"), join(pointer, "schema")
                    )
                    body = BodySpec(param.get("required") is True, pointer, content)
                elif where in ("path", "query", "header", "cookie"):
                    params[(where, name.lower() if where == "header" else name)] = self._param(
                        param, pointer, where, name
                    )
        if "requestBody" in op:
            raw, pointer = follow(data, op["requestBody"], join(op_ptr, "requestBody"))
            if isinstance(raw, Mapping):
                body = BodySpec(raw.get("required") is True, pointer, _content(raw, pointer))
        responses: dict[str, ResponseSpec] = {}
        for status, entry in _mapping(op.get("responses")).items():
            raw, pointer = follow(data, entry, join(op_ptr, "responses", status))
            if not isinstance(raw, Mapping):
                continue
            if self.swagger:
                schema = join(pointer, "schema") if "schema" in raw else None
                content = dict.fromkeys(self._media(op, "produces"), schema) if schema else {}
            else:
                content = _content(raw, pointer)
            code = str(status).upper() if str(status) != "default" else "default"
            responses[code] = ResponseSpec(code, pointer, content, self._headers(raw, pointer))
        security = op["security"] if "security" in op else data.get("security")
        alternatives = [a for a in _list(security) if isinstance(a, Mapping)]
        credentials = {
            cred for alt in alternatives for scheme in alt for cred in self._credentials(scheme)
        }
        secured = bool(alternatives) and all(alt for alt in alternatives)
        label = f"{method.upper()} {path}"
        return OperationSpec(
            method.upper(),
            path,
            op_ptr,
            params,
            body,
            responses,
            frozenset(credentials),
            secured,
            label,
        )

    def _param(self, param: Mapping[str, Any], pointer: str, where: str, name: str) -> ParamSpec:
        schema_ptr: str | None = None
        media_type = None
        if "schema" in param:
            schema_ptr = join(pointer, "schema")
        elif self.swagger:  # 2.0: the schema keywords sit on the parameter itself
            schema_ptr = pointer
        elif isinstance(param.get("content"), Mapping) and param["content"]:
            media_type = str(next(iter(param["content"])))
            schema_ptr = join(pointer, "content", media_type, "schema")
        schema = self.resolve(schema_ptr)[0] if schema_ptr else None
        style = param.get("style") or ("form" if self.swagger and where == "query" else "")
        explode: bool | None = None
        if self.swagger and param.get("collectionFormat") == "multi":
            style, explode = "form", True
        elif isinstance(param.get("explode"), bool):
            explode = param["explode"]
        runtime = Param(
            name=name,
            arg=name,
            location=where,  # type: ignore[arg-type]
            required=param.get("required") is True or where == "path",
            schema=schema_ptr,
            style=str(style or ""),
            explode=explode,
            media_type=media_type,
        )
        return ParamSpec(runtime, schema, pointer)

    def _headers(self, response: Mapping[str, Any], pointer: str) -> dict[str, HeaderSpec]:
        out = {}
        for name, entry in _mapping(response.get("headers")).items():
            header, where = follow(self.data, entry, join(pointer, "headers", name))
            if not isinstance(header, Mapping):
                continue
            schema = join(where, "schema") if "schema" in header else None
            if self.swagger:
                schema = where
            out[str(name).lower()] = HeaderSpec(header.get("required") is True, schema, where)
        return out

    def _media(self, op: Mapping[str, Any], key: str) -> tuple[str, ...]:
        found = op.get(key, self.data.get(key))
        types = tuple(str(t) for t in _list(found))
        return types or _JSON_DEFAULT

    def _credentials(self, scheme: str) -> set[tuple[str, str]]:
        definition = self._schemes.get(scheme)
        if not isinstance(definition, Mapping):
            return set()
        if definition.get("type") == "apiKey":
            where = str(definition.get("in"))
            name = str(definition.get("name"))
            return {(where, name.lower() if where == "header" else name)}
        return {("header", "authorization")}

    def _schema_pointers(self) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        for op in self.operations:
            pointers = [p.param.schema for p in op.params.values()]
            if op.body is not None:
                pointers.extend(op.body.content.values())
            for response in op.responses.values():
                pointers.extend(response.content.values())
                pointers.extend(h.schema_pointer for h in response.headers.values())
            for pointer in pointers:
                if pointer:
                    found.append((pointer, resolve(self.data, pointer)))
        return found


def _content(owner: Mapping[str, Any], pointer: str) -> dict[str, str | None]:
    content = _mapping(owner.get("content"))
    return {
        str(media): join(pointer, "content", media, "schema")
        if isinstance(value, Mapping) and "schema" in value
        else None
        for media, value in content.items()
    }


def _base_paths(data: Mapping[str, Any], *, swagger: bool) -> list[str]:
    """Path prefixes the API is served under, longest first; always ends with "".

    Path-item and operation `servers` join the document's: one router serves them all, so
    a pact path under any declared base routes (an operation reached under another
    operation's base is not flagged; a false alarm would cost more than that miss).
    """
    found: set[str] = {""}
    if swagger:
        base = data.get("basePath")
        if isinstance(base, str):
            found.add(base.rstrip("/"))
    servers = list(_list(data.get("servers")))
    for raw in _mapping(data.get("paths")).values():
        item = _mapping(follow(data, raw)[0])
        servers.extend(_list(item.get("servers")))
        for operation in item.values():
            servers.extend(_list(_mapping(operation).get("servers")))
    for server in servers:
        if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
            continue
        url = str(server["url"])
        for name, variable in _mapping(server.get("variables")).items():
            default = variable.get("default") if isinstance(variable, Mapping) else None
            url = url.replace("{" + str(name) + "}", str(default or ""))
        path = urlsplit(url).path if "://" in url else url
        found.add(path.rstrip("/"))
    return sorted(found, key=len, reverse=True)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
