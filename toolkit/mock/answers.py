"""What the mock may answer for each operation: one `Answer` per documented response, with
the spec's examples that validate against their schema (the others are reported under the
`ctk lint` rule that catches them, `example-valid`, and never served)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from toolkit import pointer as jp
from toolkit.errors import Diagnostic, Location, Severity
from toolkit.model.api import OperationModel, ResponseModel
from toolkit.runtime._media import essence, is_json

from .values import Values

BodyKind = Literal["json", "text", "binary", "none"]
Locate = Callable[[str], Location]
# Without a 2xx, `default` or 3xx, the statuses a client still reads as "it worked".
_FALLBACK = ("404", "409", "401", "403", "429")
_NO_BODY = ("204", "304")


@dataclass(frozen=True, slots=True)
class Header:
    name: str
    schema: str | None  # pointer of its schema (None: any text)
    example: Any  # the first valid example; None when the value must be generated
    required: bool = True  # an optional one is sent only with a value its schema accepts


@dataclass(frozen=True, slots=True)
class Answer:
    """One documented response of an operation, as the mock serves it."""

    key: str  # as documented: "200", "4XX", "default"
    media: str | None  # the media type served (None: no body)
    schema: str | None  # pointer of the body's schema
    kind: BodyKind
    examples: tuple[tuple[str, Any], ...]  # (name, value), each valid; named ones first
    headers: tuple[Header, ...]  # the headers the response marks required

    def status(self, wanted: int | None = None) -> int:
        """The status to send: the documented one, or `wanted` when the key covers it."""
        if self.key.isdigit():
            return int(self.key)
        if wanted is not None:
            return wanted
        return int(self.key[0]) * 100 if self.key.endswith("XX") else 200

    def covers(self, status: int) -> bool:
        return self.key == str(status) or self.key == f"{status // 100}XX"

    def named(self, name: str) -> Any:
        for label, value in self.examples:
            if label == name:
                return value
        raise LookupError(name)


@dataclass(frozen=True, slots=True)
class Answers:
    """An operation's answers, and the one served when the request asks for nothing."""

    op: OperationModel
    all: tuple[Answer, ...]
    default: Answer | None  # None: the operation documents no response (3.1)

    def for_status(self, status: int) -> Answer | None:
        exact = [a for a in self.all if a.key == str(status)]
        ranged = [a for a in self.all if a.covers(status)]
        fallback = [a for a in self.all if a.key == "default"]
        found = exact or ranged or fallback
        return found[0] if found else None


def plan(
    op: OperationModel, document: Mapping[str, Any], values: Values, locate: Locate
) -> tuple[Answers, list[Diagnostic]]:
    """Every documented response of `op` as an `Answer`; diagnostics for skipped examples."""
    diagnostics: list[Diagnostic] = []
    answers = [_answer(op, r, document, values, locate, diagnostics) for r in op.responses]
    return Answers(op, tuple(answers), _default(op, answers)), diagnostics


def _default(op: OperationModel, answers: Sequence[Answer]) -> Answer | None:
    by_key = {a.key: a for a in answers}
    if str(op.default_status) in by_key:
        return by_key[str(op.default_status)]
    for group in (
        [a for a in answers if a.key.startswith("2")],
        [a for a in answers if a.key == "default"],
        [a for a in answers if a.key.startswith("3")],
        [by_key[k] for k in _FALLBACK if k in by_key],
    ):
        if group:
            return group[0]
    return answers[0] if answers else None


def _answer(
    op: OperationModel,
    model: ResponseModel,
    document: Mapping[str, Any],
    values: Values,
    locate: Locate,
    diagnostics: list[Diagnostic],
) -> Answer:
    key = model.response.status
    responses, base = _responses(document, op)
    written = next((k for k in responses if str(k).upper() == key.upper()), key)  # 4xx
    pointer = jp.join(base, written)
    raw, pointer = jp.follow(document, responses.get(written), pointer)
    raw = raw if isinstance(raw, dict) else {}
    where = f"{op.method.upper()} {op.path} {key}"
    # every documented header (ETag, Location, ...), so a consumer reads what it will get;
    # an optional one only where a value its schema accepts is found
    required = {name.lower() for name in model.response.headers}
    documented = raw["headers"] if isinstance(raw.get("headers"), dict) else {}
    headers = tuple(
        dataclasses.replace(
            _header(document, raw, pointer, str(name), values, locate, diagnostics, where),
            required=str(name).lower() in required,
        )
        for name in documented
        if str(name).lower() != "content-type"  # OpenAPI: ignored when documented
    )
    media = pick_media(model.response.media_types)
    if media is None or key in _NO_BODY:  # HTTP: 204 and 304 never carry content
        return Answer(key, None, None, "none", (), headers)
    content = raw["content"] if isinstance(raw.get("content"), dict) else {}
    documented = media if media in content else next(iter(content), media)
    holder = content.get(documented)
    holder = holder if isinstance(holder, dict) else {}
    schema = holder.get("schema")
    schema_ptr = jp.join(pointer, "content", documented, "schema") if schema is not None else None
    kind = _kind(media, jp.deref(document, schema))
    examples: list[tuple[str, Any]] = []
    if schema_ptr is not None and kind in ("json", "text"):
        for label, value, value_ptr in _candidates(document, holder, pointer, documented):
            if kind == "text" and not isinstance(value, str):
                continue
            problems = values.problems(schema_ptr, value)
            if problems:
                at, message = problems[0]
                diagnostics.append(
                    Diagnostic(
                        "example-valid",
                        Severity.WARNING,
                        f"{where}: {label} breaks its schema at {at or '/'}: {message}; not served",
                        locate(value_ptr),
                        hint="fix the example or the schema (`ctk lint` reports it too)",
                    )
                )
            else:
                examples.append((label, value))
    return Answer(key, media, schema_ptr, kind, tuple(examples), headers)


def _responses(document: Mapping[str, Any], op: OperationModel) -> tuple[dict[str, Any], str]:
    """The operation's `responses` map and its pointer (its path item may be a `$ref`)."""
    paths = document.get("paths") or {}
    item, at = jp.follow(document, paths.get(op.path), jp.join("/paths", op.path))
    operation = item.get(op.method) if isinstance(item, dict) else None
    raw = operation.get("responses") if isinstance(operation, dict) else None
    return (raw if isinstance(raw, dict) else {}), jp.join(at, op.method, "responses")


def pick_media(media_types: tuple[str, ...]) -> str | None:
    """The first concrete JSON type, else the first concrete one, else a wildcard's stand-in."""
    concrete = [m for m in media_types if "*" not in m]
    chosen = next((m for m in concrete if is_json(essence(m))), None) or next(iter(concrete), None)
    if chosen is not None:
        return chosen
    for wildcard in media_types:
        if wildcard in ("*/*", "application/*", "*"):
            return "application/json"
        if wildcard.endswith("/*"):
            return wildcard[:-1] + ("plain" if wildcard.startswith("text/") else "octet-stream")
    return None


def _kind(media: str, schema: Any) -> BodyKind:
    if is_json(essence(media)):
        return "json"
    if isinstance(schema, dict) and schema.get("type") == "string":
        return "binary" if schema.get("format") in ("binary", "byte") else "text"
    return "text" if media.startswith("text/") else "binary"


def _candidates(
    document: Mapping[str, Any], holder: Mapping[str, Any], pointer: str, media: str
) -> Iterator[tuple[str, Any, str]]:
    """(name, value, pointer) of the examples written for a media type, named ones first,
    then its `example`, then its schema's."""
    base = jp.join(pointer, "content", media)
    examples = holder.get("examples")
    if isinstance(examples, dict):
        for name, raw in examples.items():
            example, at = jp.follow(document, raw, jp.join(base, "examples", name))
            if isinstance(example, dict) and "value" in example:
                yield str(name), example["value"], jp.join(at, "value")
    if "example" in holder:
        yield "example", holder["example"], jp.join(base, "example")
    schema, at = jp.follow(document, holder.get("schema"), jp.join(base, "schema"))
    if isinstance(schema, dict):
        if "example" in schema:
            yield "schema example", schema["example"], jp.join(at, "example")
        if isinstance(schema.get("examples"), list):
            for index, value in enumerate(schema["examples"]):
                yield f"schema examples[{index}]", value, jp.join(at, "examples", index)


def _header(
    document: Mapping[str, Any],
    response: Mapping[str, Any],
    pointer: str,
    name: str,
    values: Values,
    locate: Locate,
    diagnostics: list[Diagnostic],
    where: str,
) -> Header:
    headers = response["headers"] if isinstance(response.get("headers"), dict) else {}
    raw, at = jp.follow(document, headers.get(name), jp.join(pointer, "headers", name))
    if not isinstance(raw, dict) or not isinstance(raw.get("schema"), dict):
        return Header(name, None, "x")
    schema_ptr = jp.join(at, "schema")
    candidates: list[tuple[str, Any, str]] = []
    if "example" in raw:
        candidates.append(("example", raw["example"], jp.join(at, "example")))
    schema = jp.deref(document, raw["schema"])
    if isinstance(schema, dict) and "example" in schema:
        candidates.append(("schema example", schema["example"], jp.join(schema_ptr, "example")))
    for label, value, value_ptr in candidates:
        if not header_safe(value):
            continue
        problems = values.problems(schema_ptr, value)
        if not problems:
            return Header(name, schema_ptr, value)
        diagnostics.append(
            Diagnostic(
                "example-valid",
                Severity.WARNING,
                f"{where} header {name}: {label} breaks its schema: {problems[0][1]}; not served",
                locate(value_ptr),
            )
        )
    return Header(name, schema_ptr, None)


def header_text(value: Any) -> str:
    """A value as a `simple`-style header (RFC 8941-free, as OpenAPI serializes it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(header_text(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{header_text(v)}" for k, v in value.items())
    return str(value)


def header_safe(value: Any) -> bool:
    text = header_text(value)
    return text.isascii() and text.isprintable() and text == text.strip()
