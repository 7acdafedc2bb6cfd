"""The example service: one async handler per operation, returning a schema-valid reply.

Each handler answers `Reply(status, body, headers, media_type)` for the operation's first
documented 2xx response (else `default`, else 3xx, else 404/409/401/403/429, else the
first documented one). The body is the spec's own `example`/`examples` when one validates
against the document, else the minimal value hypothesis finds for the schema (schemathesis'
JSON Schema generator, which resolves `$ref`s and recursion), checked by the same
validator `validate_responses` uses. Required response headers get values the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from harness_results import clip

from toolkit.mock.answers import header_safe, header_text, pick_media
from toolkit.mock.credentials import all_scopes
from toolkit.mock.values import schema_pointers

__all__ = ["all_scopes", "header_text", "pick_media", "schema_pointers"]

TOKEN = "ctk-harness-token"
USER, PASSWORD = "ctk", "harness"


# -- the document ------------------------------------------------------------------------------


def resolve(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.split("/")[1:] if pointer else []:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def follow(document: Any, pointer: str) -> tuple[Any, str]:
    """The value at `pointer` with `$ref`s followed, and the pointer it was found at."""
    node = resolve(document, pointer)
    for _ in range(64):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        pointer = unquote(ref[1:])
        node = resolve(document, pointer)
    return node, pointer


def deref(document: Any, node: Any) -> Any:
    for _ in range(64):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            return node
        node = resolve(document, unquote(ref[1:]))
    return node


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


# -- examples ---------------------------------------------------------------------------------


class GiveUp(Exception):  # noqa: N818 - a signal, not an error
    """No valid example for this operation."""


class Examples:
    """Schema-valid values for pointers into the document.

    Validation uses the runtime's own compiled view of the document (`toolkit.runtime`'s
    Schemas: jsonschema-rs, 3.0 `nullable` rewritten), so an example is exactly what
    `validate_responses` accepts; generation runs on that same converted document."""

    def __init__(self, document: dict[str, Any]) -> None:
        from toolkit.runtime._schemas import Schemas, is_legacy

        self.document = document
        self.legacy = is_legacy(document)
        self.schemas = Schemas(document, list(schema_pointers(document)))
        self.defects: list[str] = []  # spec examples that break their own schema

    def generate(self, pointer: str, accept: Any = None) -> Any:
        """The minimal value hypothesis finds that the validator (and `accept`) accepts."""
        import jsonschema_rs
        from hypothesis import HealthCheck, Phase, find, settings
        from hypothesis.errors import NoSuchExample, Unsatisfiable
        from schemathesis.generation.jsonschema.builder import build
        from schemathesis.specs.openapi.formats import get_default_format_strategies

        root = dict(self.schemas.resource)
        root.pop("$schema", None)
        root["$ref"] = "#" + quote(pointer, safe="/~-._")
        draft = jsonschema_rs.Draft4 if self.legacy else jsonschema_rs.Draft202012
        validator = self.schemas.validator(pointer)
        from hypothesis import strategies as st

        # `format: binary` draws bytes-like values; in a JSON or text body it is a string
        formats = {**get_default_format_strategies(), "binary": st.text(max_size=8)}
        try:
            strategy = build(root, draft=draft, formats=formats)
        except Exception as error:
            raise GiveUp(f"no strategy for {pointer}: {type(error).__name__}: {error}") from None
        try:
            return find(
                strategy,
                lambda v: validator.is_valid(v) and (accept is None or accept(v)),
                settings=settings(
                    database=None,
                    derandomize=True,
                    max_examples=2000,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                    deadline=None,
                ),
            )
        except (NoSuchExample, Unsatisfiable):
            raise GiveUp(f"hypothesis found no value {pointer} accepts") from None
        except Exception as error:
            message = clip(str(error), 200)
            raise GiveUp(
                f"generation failed for {pointer}: {type(error).__name__}: {message}"
            ) from None

    def from_spec(
        self, candidates: list[tuple[str, Any]], pointer: str, where: str
    ) -> tuple[str, Any]:
        """The first candidate that validates; the others are recorded as spec defects."""
        validator = self.schemas.validator(pointer)
        for label, value in candidates:
            if validator.is_valid(value):
                return label, value
            error = next(iter(validator.iter_errors(value)))
            at = "/" + "/".join(str(t) for t in error.instance_path)
            self.defects.append(
                f"{where}: {label} violates its own schema {pointer}: "
                f"{clip(str(error.message), 200)} (at {at})"
            )
        raise LookupError


def _candidates(document: Any, holder: Any, schema: Any) -> list[tuple[str, Any]]:
    """Examples written in the spec for a media type (or header) and its schema."""
    found: list[tuple[str, Any]] = []
    if isinstance(holder, dict):
        if "example" in holder:
            found.append(("example", holder["example"]))
        examples = holder.get("examples")
        if isinstance(examples, dict):
            for name, example in examples.items():
                example = deref(document, example)
                if isinstance(example, dict) and "value" in example:
                    found.append((f"examples[{name}]", example["value"]))
    schema = deref(document, schema)
    if isinstance(schema, dict):
        if "example" in schema:
            found.append(("schema example", schema["example"]))
        if isinstance(schema.get("examples"), list):
            found.extend((f"schema examples[{i}]", v) for i, v in enumerate(schema["examples"]))
    return found


# -- replies ----------------------------------------------------------------------------------


@dataclass
class Planned:
    """What one handler returns, and where its body came from."""

    status: int
    body: Any
    media_type: str | None
    headers: dict[str, str]
    source: str


# Without a 2xx, `default` or 3xx: statuses positive_data_acceptance accepts, in this order.
_NOT_SUCCESS = ("404", "409", "401", "403", "429")


def pick_response(responses: Any) -> Any:
    by_status = {r.status: r for r in responses}
    for wanted in (
        [r for r in responses if r.status.startswith("2")],
        [r for r in responses if r.status == "default"],
        [r for r in responses if r.status.startswith("3")],
        [by_status[s] for s in _NOT_SUCCESS if s in by_status],
    ):
        if wanted:
            return wanted[0]
    return responses[0]


def _sane_header(value: Any) -> bool:
    return header_safe(value)


def _status(response: Any, default: int) -> int:
    if response.status.isdigit():
        return int(response.status)
    if response.status.endswith("XX"):
        return int(response.status[0]) * 100
    return default


def plan_reply(op: Any, document: dict[str, Any], examples: Examples) -> Planned:
    if not op.responses:  # 3.1 makes `responses` optional: nothing is promised
        return Planned(200, None, None, {}, "no responses documented: empty 200")
    response = pick_response(op.responses)
    status = _status(response, op.default_status)
    where = f"{op.method.upper()} {op.path} {response.status}"
    raw, pointer = follow(
        document,
        f"/paths/{escape(op.path)}/{op.method.lower()}/responses/{escape(response.status)}",
    )
    headers = _headers(raw, pointer, response.headers, document, examples, where)
    media = pick_media(response.media_types)
    if media is None:
        return Planned(status, None, None, headers, "no content")
    content = raw.get("content") or {}
    documented = media if media in content else next(iter(content))  # a wildcard stood in
    media_obj = content.get(documented)
    schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
    schema_pointer = f"{pointer}/content/{escape(documented)}/schema"
    if schema is None:
        return Planned(status, {} if is_json(media) else b"", media, headers, "no schema")
    candidates = _candidates(document, media_obj, schema)
    if is_json(media):
        try:
            label, value = examples.from_spec(candidates, schema_pointer, where)
        except LookupError:
            return Planned(status, examples.generate(schema_pointer), media, headers, "generated")
        return Planned(status, value, media, headers, f"spec {label}")
    resolved = deref(document, schema)
    textual = isinstance(resolved, dict) and resolved.get("type") == "string"
    if textual and resolved.get("format") not in ("binary", "byte"):
        text = next((v for _, v in candidates if isinstance(v, str)), None)
        if text is not None:
            return Planned(status, text, media, headers, "spec example (text)")
        value = examples.generate(schema_pointer, accept=lambda v: isinstance(v, str))
        return Planned(status, value, media, headers, "generated (text)")
    return Planned(status, b"", media, headers, f"empty {media} body")


def _headers(
    raw: Mapping[str, Any],
    pointer: str,
    required: tuple[str, ...],
    document: dict[str, Any],
    examples: Examples,
    where: str,
) -> dict[str, str]:
    """Values for the response headers the operation marks required."""
    wanted = {name.lower() for name in required}
    out: dict[str, str] = {}
    for name in raw.get("headers") or {}:
        if name.lower() not in wanted:
            continue
        header, header_pointer = follow(document, f"{pointer}/headers/{escape(name)}")
        if not isinstance(header, dict) or not isinstance(header.get("schema"), dict):
            out[name] = "x"
            continue
        schema_pointer = f"{header_pointer}/schema"
        candidates = [
            c for c in _candidates(document, header, header["schema"]) if _sane_header(c[1])
        ]
        try:
            _, value = examples.from_spec(candidates, schema_pointer, f"{where} header {name}")
        except LookupError:
            value = examples.generate(schema_pointer, accept=_sane_header)
        out[name] = header_text(value)
    return out


def build_service(
    operations: Any, document: dict[str, Any], examples: Examples
) -> tuple[object, dict[str, Planned | str]]:
    """A service with one async method per operation returning its planned `Reply` (or
    raising, for an operation without a plan: the harness leaves those out of the run)."""
    from toolkit.runtime import Reply

    plans: dict[str, Planned | str] = {}
    methods: dict[str, Any] = {}
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        reply = None
        try:
            plan = plan_reply(op, document, examples)
        except GiveUp as why:
            plans[label] = f"gave up: {why}"
        else:
            plans[label] = plan
            reply = Reply(plan.status, plan.body, plan.headers, plan.media_type)
        methods[op.handler] = _handler(reply)
    return type("ExampleService", (), methods)(), plans


def _handler(reply: Any) -> Any:
    async def handle(self: object, **kwargs: Any) -> Any:
        if reply is None:
            raise RuntimeError("no example for this operation (see the harness report)")
        return reply

    return handle


# -- security -----------------------------------------------------------------------------------


class AcceptAll:
    """A verifier: the fixed test credential, under any scheme, grants every scope."""

    def __init__(self, scopes: frozenset[str]) -> None:
        self.scopes = scopes

    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Any:
        from toolkit.runtime import Principal

        if credential in (TOKEN, f"{USER}:{PASSWORD}"):
            return Principal(subject="harness", scopes=self.scopes, scheme=scheme_name)
        return None


def auth_config(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Schemathesis' credentials per security scheme, and the schemes it cannot send."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    config: dict[str, Any] = {}
    unsupported: list[str] = []
    for name, scheme in schemes.items():
        scheme = deref(document, scheme)
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        http = str(scheme.get("scheme", "")).lower() if isinstance(scheme, dict) else ""
        if kind == "apiKey":
            config[name] = {"api_key": TOKEN}
        elif kind == "http" and http == "basic":
            config[name] = {"username": USER, "password": PASSWORD}
        elif (kind == "http" and http == "bearer") or kind in ("oauth2", "openIdConnect"):
            config[name] = {"bearer": TOKEN}
        else:
            unsupported.append(f"{name} ({kind} {http})".strip())
    return config, unsupported
