"""Swagger 2.0 → OpenAPI 3.0.3, so stages written for 3.x serve 2.0 documents too (ADR 0021).

No maintained Python converter exists (prance calls a web service; swagger2openapi is a Node
tool), so this is ours: the mapping of the OpenAPI 3.0 specification's "upgrading" notes,
and no more. `definitions` become `components/schemas`; `securityDefinitions` security
schemes (oauth2 flows renamed); `host`/`basePath`/`schemes` one server; `body` and
`formData` parameters a `requestBody` (per `consumes`; form fields as an object schema,
`file` as binary, a form's `collectionFormat` as its encoding); other parameters get a
`schema` and their `collectionFormat` as `style`/`explode`; responses a `content` per
`produces`, their `examples` by media type; `x-nullable` → `nullable`, string
`discriminator` → `{propertyName}`. Shared `parameters`/`responses` are inlined where used
(a body parameter has no 3.0 component of its own kind).

Every new node remembers the 2.0 node it came from, so findings on the upgraded document
still point at the user's file and line: the result is a `Bundle` whose origins compose the
input bundle's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from toolkit import pointer as jp
from toolkit.load.bundle import Bundle, bundle_document
from toolkit.load.document import Document
from toolkit.load.version import SpecVersion

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_STYLE = {  # collectionFormat → (style, explode) of a query/cookie parameter
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
}
_FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}
_SCHEMA_KEYS = (  # a non-body parameter's or header's keywords that move into its schema
    "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "enum", "multipleOf",
)  # fmt: skip
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_REPLACED = {
    "swagger", "host", "basePath", "schemes", "consumes", "produces", "definitions",
    "parameters", "responses", "securityDefinitions", "paths", "x-ctk-bundled",
}  # fmt: skip


def upgrade(bundle: Bundle) -> Bundle:
    """The 3.0.3 equivalent of a bundled Swagger 2.0 document."""
    return _Upgrade(bundle).run()


class _Upgrade:
    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.old = bundle.data
        self.moved: dict[str, str] = {}  # new pointer -> 2.0 pointer it came from
        self.consumes = _strings(self.old.get("consumes")) or ["application/json"]
        self.produces = _strings(self.old.get("produces")) or ["application/json"]

    def run(self) -> Bundle:
        old = self.old
        new: dict[str, Any] = {"openapi": "3.0.3"}
        new |= {k: v for k, v in old.items() if k not in _REPLACED}
        new["info"] = old.get("info", {})
        new["servers"] = [{"url": self._server()}]
        components: dict[str, Any] = {}
        if isinstance(old.get("definitions"), dict):
            components["schemas"] = {
                name: self.schema(value) for name, value in old["definitions"].items()
            }
            self.note("/components/schemas", "/definitions")
        if isinstance(old.get("securityDefinitions"), dict):
            components["securitySchemes"] = {
                name: _scheme(value) for name, value in old["securityDefinitions"].items()
            }
            self.note("/components/securitySchemes", "/securityDefinitions")
        paths: dict[str, Any] = {}
        for path, item in (old.get("paths") or {}).items():
            if isinstance(item, dict):
                paths[path] = self.path_item(path, item)
        new["paths"] = paths
        if components:
            new["components"] = components
        if isinstance(old.get("x-ctk-bundled"), dict):
            new["x-ctk-bundled"] = {k: self.schema(v) for k, v in old["x-ctk-bundled"].items()}
        new = self._retarget(new)
        origins = {ptr: self.bundle.origin(was) for ptr, was in self.moved.items()}
        return Bundle(new, self.bundle.root_uri, origins)

    # -- pieces -----------------------------------------------------------------------------

    def note(self, new: str, old: str) -> None:
        self.moved.setdefault(new, old)

    def _server(self) -> str:
        base = self.old.get("basePath") if isinstance(self.old.get("basePath"), str) else ""
        host = self.old.get("host")
        if not isinstance(host, str) or not host:
            return base or "/"
        schemes = _strings(self.old.get("schemes")) or ["https"]
        return f"{schemes[0]}://{host}{base}"

    def path_item(self, path: str, item: dict[str, Any]) -> dict[str, Any]:
        old_ptr = jp.join("/paths", path)
        shared = self.parameters(item.get("parameters"), jp.join(old_ptr, "parameters"))
        out: dict[str, Any] = {}
        for key, value in item.items():
            if key == "parameters":
                kept = [(p, ptr) for p, ptr in shared if p.get("in") not in ("body", "formData")]
                if kept:
                    out["parameters"] = self.plain_params(kept, jp.join(old_ptr, "parameters"))
            elif key in METHODS and isinstance(value, dict):
                out[key] = self.operation(value, jp.join(old_ptr, key), shared)
            else:
                out[key] = value
        return out

    def operation(
        self, op: dict[str, Any], ptr: str, shared: list[tuple[dict[str, Any], str]]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        own = self.parameters(op.get("parameters"), jp.join(ptr, "parameters"))
        mine = {(p.get("name"), p.get("in")) for p, _ in own}
        inherited = [(p, at) for p, at in shared if (p.get("name"), p.get("in")) not in mine]
        bodies = [(p, at) for p, at in own + inherited if p.get("in") in ("body", "formData")]
        consumes = _strings(op.get("consumes")) or self.consumes
        produces = _strings(op.get("produces")) or self.produces
        for key, value in op.items():
            if key in ("consumes", "produces"):
                continue
            if key == "parameters":
                plain = [(p, at) for p, at in own if p.get("in") not in ("body", "formData")]
                if plain:
                    out["parameters"] = self.plain_params(plain, jp.join(ptr, "parameters"))
            elif key == "responses" and isinstance(value, dict):
                out["responses"] = {
                    str(code): self.response(
                        resp, jp.join(ptr, "responses", str(code)), produces, _is_error(code)
                    )
                    for code, resp in value.items()
                }
            else:
                out[key] = value
        if bodies:
            out["requestBody"] = self.request_body(bodies, consumes, jp.join(ptr, "requestBody"))
        return out

    def parameters(self, value: Any, ptr: str) -> list[tuple[dict[str, Any], str]]:
        """Each parameter with the 2.0 pointer it is written at (a shared one inlined)."""
        found = []
        for index, param in enumerate(value if isinstance(value, list) else []):
            at = jp.join(ptr, index)
            param, at = self._deref(param, at)
            if isinstance(param, dict):
                found.append((param, at))
        return found

    def plain_params(self, params: list[tuple[dict[str, Any], str]], ptr: str) -> list[Any]:
        out = []
        for index, (param, at) in enumerate(params):
            self.note(jp.join(ptr, index), at)
            self.note(jp.join(ptr, index, "schema"), at)  # its keywords sit on the parameter
            out.append(self.parameter(param))
        return out

    def parameter(self, param: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in param.items() if k not in _SCHEMA_KEYS and k != "collectionFormat"}
        out["schema"] = self.schema(_schema_of(param))
        fmt = param.get("collectionFormat")
        if param.get("type") == "array" and isinstance(fmt, str):
            where = param.get("in")
            if where in ("query", "cookie") and fmt in _STYLE:
                out["style"], out["explode"] = _STYLE[fmt]
            elif where in ("path", "header") and fmt == "csv":
                out["style"], out["explode"] = "simple", False
        elif param.get("type") == "array" and param.get("in") in ("query", "cookie"):
            out["style"], out["explode"] = "form", False  # csv is 2.0's default
        return out

    def request_body(
        self, bodies: list[tuple[dict[str, Any], str]], consumes: list[str], ptr: str
    ) -> dict[str, Any]:
        body = next(((p, at) for p, at in bodies if p.get("in") == "body"), None)
        if body is not None:
            param, at = body
            self.note(ptr, at)
            content: dict[str, Any] = {}
            for media in consumes:
                self.note(jp.join(ptr, "content", media, "schema"), jp.join(at, "schema"))
                content[media] = {"schema": self.schema(param.get("schema", {}))}
            out: dict[str, Any] = {"content": content}
            for key in ("description", "required"):
                if key in param:
                    out[key] = param[key]
            return out
        fields = [(p, at) for p, at in bodies if p.get("in") == "formData"]
        self.note(ptr, fields[0][1])
        files = any(p.get("type") == "file" for p, _ in fields)
        medias = [m for m in consumes if m in _FORMS] or (
            ["multipart/form-data"] if files else ["application/x-www-form-urlencoded"]
        )
        properties: dict[str, Any] = {}
        required: list[str] = []
        encoding: dict[str, Any] = {}
        for param, at in fields:
            name = str(param.get("name", ""))
            properties[name] = self.schema(_schema_of(param))
            if param.get("description"):
                properties[name]["description"] = param["description"]
            if param.get("required") is True:
                required.append(name)
            fmt = param.get("collectionFormat")
            if param.get("type") == "array" and fmt in _STYLE:
                style, explode = _STYLE[str(fmt)]
                encoding[name] = {"style": style, "explode": explode}
            for media in medias:
                self.note(jp.join(ptr, "content", media, "schema", "properties", name), at)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        content = {}
        for media in medias:
            content[media] = {"schema": schema}
            if encoding and media == "application/x-www-form-urlencoded":
                content[media]["encoding"] = encoding
        return {"content": content, "required": bool(required)}

    def response(self, resp: Any, ptr: str, produces: list[str], error: bool = False) -> Any:
        """`error`: a 4xx/5xx/default answer. Without a `schema` it still gets its JSON
        `produces` types, schemaless: 2.0's `produces` binds every answer's media type, and a
        server explains a refusal in a body (RFC 9457), so the runtime answers it in the
        operation's JSON type instead of `application/problem+json`."""
        resp, at = self._deref(resp, ptr)
        self.note(ptr, at)
        if not isinstance(resp, dict):
            return resp
        out: dict[str, Any] = {"description": str(resp.get("description", ""))}
        if isinstance(resp.get("headers"), dict):
            out["headers"] = {
                name: self.header(h, jp.join(ptr, "headers", name), jp.join(at, "headers", name))
                for name, h in resp["headers"].items()
            }
        examples: dict[str, Any] = (
            resp["examples"] if isinstance(resp.get("examples"), dict) else {}
        )
        if "schema" in resp or examples:
            content: dict[str, Any] = {}
            for media in [*produces, *(m for m in examples if m not in produces)]:
                entry: dict[str, Any] = {}
                if "schema" in resp:
                    self.note(jp.join(ptr, "content", media, "schema"), jp.join(at, "schema"))
                    entry["schema"] = self.schema(resp["schema"])
                if media in examples:
                    example = jp.join(at, "examples", media)
                    self.note(jp.join(ptr, "content", media, "example"), example)
                    entry["example"] = examples[media]
                content[media] = entry
            out["content"] = content
        elif error and (json_types := [m for m in produces if _is_json(m)]):
            out["content"] = {media: {} for media in json_types}
        out |= {k: v for k, v in resp.items() if k.startswith("x-")}
        return out

    def header(self, header: Any, ptr: str, at: str) -> Any:
        self.note(ptr, at)
        self.note(jp.join(ptr, "schema"), at)
        if not isinstance(header, dict):
            return header
        out = {k: v for k, v in header.items() if k not in _SCHEMA_KEYS and k != "collectionFormat"}
        out["schema"] = self.schema(_schema_of(header))
        return out

    def schema(self, value: Any) -> Any:
        """A 2.0 schema (or parameter items) in 3.0 words."""
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                out[key] = item
            elif key == "properties" and isinstance(item, dict):
                out[key] = {name: self.schema(s) for name, s in item.items()}
            elif key in ("items", "additionalProperties", "not") and isinstance(item, dict):
                out[key] = self.schema(item)
            elif key in ("allOf", "anyOf", "oneOf") and isinstance(item, list):
                out[key] = [self.schema(s) for s in item]
            elif key == "x-nullable" and isinstance(item, bool):
                out["nullable"] = item
            elif key == "discriminator" and isinstance(item, str):
                out[key] = {"propertyName": item}
            elif key == "type" and item == "file":
                out["type"], out["format"] = "string", "binary"
            elif key == "collectionFormat":
                continue
            elif not (key == "format" and out.get("format") == "binary"):
                out[key] = item
        return out

    # -- references -------------------------------------------------------------------------

    def _deref(self, value: Any, at: str) -> tuple[Any, str]:
        """A shared parameter or response (`#/parameters/x`, `#/responses/x`) inlined."""
        seen = 0
        while isinstance(value, dict) and isinstance(value.get("$ref"), str) and seen < 16:
            target = jp.from_ref(value["$ref"])
            if target is None or not jp.exists(self.old, target):
                break
            value, at, seen = jp.resolve(self.old, target), target, seen + 1
        return value, at

    def _retarget(self, value: Any) -> Any:
        """Every internal `$ref` re-aimed at where its 2.0 target now lives."""
        back = _reverse(self.moved)

        def aim(ref: str) -> str:
            target = jp.from_ref(ref)
            if target is None:
                return ref
            if target.startswith("/definitions/") or target == "/definitions":
                return "#/components/schemas" + target[len("/definitions") :]
            probe = target
            while probe:
                if probe in back:
                    return "#" + back[probe] + target[len(probe) :]
                probe = jp.parent(probe)
            return ref

        return _walk_refs(value, aim)


def _walk_refs(value: Any, aim: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {
            k: aim(v) if k == "$ref" and isinstance(v, str) else _walk_refs(v, aim)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk_refs(v, aim) for v in value]
    return value


def _reverse(moved: dict[str, str]) -> dict[str, str]:
    """2.0 pointer → the first new pointer made from it (ties: the shortest)."""
    back: dict[str, str] = {}
    for new, old in sorted(moved.items(), key=lambda kv: len(kv[0])):
        back.setdefault(old, new)
    return back


def _schema_of(param: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in param.items() if k in _SCHEMA_KEYS}


def _scheme(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    extra = {k: v for k, v in value.items() if k.startswith("x-") or k == "description"}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **extra}
    if kind == "oauth2":
        flow: dict[str, Any] = {"scopes": value.get("scopes") or {}}
        for key in ("authorizationUrl", "tokenUrl"):
            if key in value:
                flow[key] = value[key]
        name = _FLOWS.get(str(value.get("flow")), "implicit")
        return {"type": "oauth2", "flows": {name: flow}, **extra}
    return value


def _is_error(code: Any) -> bool:
    return str(code)[:1] in ("4", "5") or str(code) == "default"


def _is_json(media: str) -> bool:
    essence = media.partition(";")[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def bundle_as_openapi3(document: Document) -> tuple[Document, Bundle]:
    """The bundle every 3.x stage reads: a 2.0 document upgraded, with its version to match."""
    bundle = bundle_document(document)
    if not document.version.is_swagger:
        return document, bundle
    return dataclasses.replace(document, version=SpecVersion("3.0.3", "3.0")), upgrade(bundle)
