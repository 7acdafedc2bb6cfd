"""Error responses that follow the contract (ADR 0007).

For an error status the operation's response object decides (exact code, then `4XX`, then
`default`): documented `application/problem+json`, no content, or nothing that applies → the
RFC 9457 problem; a documented JSON type with a schema (or a suffixless vendor type with an
object schema, `application/vnd.goa.error`) → that media type, with the problem when
it fits the schema, else the problem written by the schema's mapping (decided by `ctk
generate`, applied by _projection.py; ADR 0014), else the documented example, else (logged
once) the problem; only text types documented → the detail as text. Everything that depends
only on (operation, status) is worked out on the first error with that status and kept, so an
error costs one validation, and a success nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from toolkit.pointer import deref, escape, follow, resolve

from ._asgi import Raw
from ._media import accept_ranges, essence, is_json
from ._projection import ABSENT, Project, compile_plans, source_of
from ._schemas import Schemas, Validator
from ._views import RESPONSE
from .operation import Operation, OperationError, Response
from .problem import PROBLEM_JSON, HTTPProblem

_log = logging.getLogger("ctk.runtime")
_ACCEPT_CACHE = 64


@dataclass(frozen=True, slots=True)
class ErrorShape:
    """What the contract says about one error answer of one operation: passed to
    `Settings.error_body` with the problem document."""

    operation_id: str
    status: int
    response: str | None  # the documented key that applies: "404", "4XX", "default"; None
    media_type: str  # what the answer is sent as
    schema: Mapping[str, Any] | None  # the documented JSON Schema ($refs inside kept); None


# (problem document, shape) → the body to send in `shape.media_type`, or None for the
# runtime's own. A body that breaks `shape.schema` is not sent (logged once per status).
ErrorBody = Callable[[Mapping[str, Any], ErrorShape], Any]


def client_error_status(op: Operation, prefer: int) -> int:
    """400 or 422 for a request the runtime refuses: `prefer` (400 for parameters and
    unreadable bodies, 422 for bodies breaking their schema) when the operation documents
    it, else the other one when documented, else `prefer` (a `4XX` or `default` response
    covers both; with neither, no status would be documented, ADR 0007)."""
    documented = {r.status for r in op.responses}
    for status in (prefer, 422 if prefer == 400 else 400):
        if str(status) in documented:
            return status
    return prefer


@dataclass(slots=True)
class _Choice:
    """One media type an error status can be answered with."""

    shape: ErrorShape
    content_type: bytes
    text: bool  # the detail as text (a text/* type), else JSON
    validator: Validator | None
    projections: tuple[Project, ...]
    example: Any  # a documented example that fits the schema, or ABSENT


@dataclass(slots=True)
class _Plan:
    choices: tuple[_Choice, ...]  # the preferred one first
    by_accept: dict[str, _Choice]
    warned: bool = False

    def pick(self, accept: str | None) -> _Choice:
        first = self.choices[0]
        if accept is None or len(self.choices) == 1:
            return first
        found = self.by_accept.get(accept)
        if found is None:
            found = _negotiate(self.choices, accept)
            if len(self.by_accept) >= _ACCEPT_CACHE:
                self.by_accept.clear()
            self.by_accept[accept] = found
        return found


def _negotiate(choices: tuple[_Choice, ...], accept: str) -> _Choice:
    """The choice the Accept header ranks highest (the documented order breaks ties)."""
    ranges = accept_ranges(accept)

    def preference(choice: _Choice) -> float:
        media = choice.shape.media_type
        best, score = 0.0, -1
        for pattern, q in ranges:
            if pattern == media:
                rank = 2
            elif pattern.endswith("/*") and media.startswith(pattern[:-1]):
                rank = 1
            elif pattern in ("*/*", "*"):
                rank = 0
            else:
                continue
            if rank > score:
                best, score = q, rank
        return best

    ranked = max(choices, key=preference)
    return ranked if preference(ranked) > preference(choices[0]) else choices[0]


class ErrorReplier:
    """The error side of one operation: problem → the response its contract documents."""

    __slots__ = ("_hook", "_lookup", "_mappings", "_op", "_plans", "_schemas")

    def __init__(
        self,
        op: Operation,
        lookup: Callable[[int], Response | None],
        schemas: Schemas,
        hook: ErrorBody | None,
        mappings: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    ) -> None:
        self._op = op
        self._lookup = lookup
        self._schemas = schemas
        self._hook = hook
        self._mappings = mappings or {}
        self._plans: dict[int, _Plan] = {}

    def render(
        self, problem: HTTPProblem, instance: str, request_id: str, accept: str | None
    ) -> Raw:
        plan = self._plans.get(problem.status)
        if plan is None:
            plan = self._plans[problem.status] = self._plan(problem.status)
        choice = plan.pick(None if problem.status == 406 else accept)
        document = problem.document(instance, request_id)
        body = self._body(plan, choice, document)
        content_type = choice.content_type
        if body is ABSENT:
            body, content_type = document, PROBLEM_JSON.encode()
            if not plan.warned:
                plan.warned = True
                _log.warning(
                    "operation %s: no %s error body fits the schema documented for %s; "
                    "answering application/problem+json",
                    self._op.id,
                    problem.status,
                    choice.shape.response,
                )
        payload = body.encode() if isinstance(body, str) else orjson.dumps(body, default=str)
        headers = [(b"content-type", content_type)]
        headers.extend(
            (k.lower().encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in problem.headers.items()
        )
        return problem.status, headers, payload

    def _body(self, plan: _Plan, choice: _Choice, document: dict[str, Any]) -> Any:
        """The body in `choice`'s media type that fits its schema, or ABSENT."""
        validator = choice.validator
        if self._hook is not None:
            custom = self._custom(self._hook, plan, choice, document)
            if custom is not ABSENT:
                return custom
        if choice.text:
            return str(document.get("detail", ""))
        if validator is None or _fits(validator, document):
            return document
        source = source_of(document)
        for project in choice.projections:
            value = project(source)
            if _fits(validator, value):
                return value
        return choice.example

    def _custom(
        self, hook: ErrorBody, plan: _Plan, choice: _Choice, document: dict[str, Any]
    ) -> Any:
        try:
            value = hook(document, choice.shape)
        except Exception:
            _log.exception("Settings.error_body failed for operation %s", self._op.id)
            return ABSENT
        if value is None:
            return ABSENT
        validator = choice.validator
        if choice.text or validator is None or _fits(validator, value):
            return value
        if not plan.warned:
            plan.warned = True
            _log.warning(
                "operation %s: Settings.error_body returned a %s body that breaks the "
                "documented schema; using the runtime's",
                self._op.id,
                choice.shape.status,
            )
        return ABSENT

    def _plan(self, status: int) -> _Plan:
        response = self._lookup(status)
        choices = [] if response is None else self._choices(status, response)
        if not choices:
            key = response.status if response is not None else None
            if response is not None and response.media_types:
                _log.warning(
                    "operation %s: the %s response documents only %s; errors are answered "
                    "as application/problem+json",
                    self._op.id,
                    key,
                    ", ".join(response.media_types),
                )
            shape = ErrorShape(self._op.id, status, key, PROBLEM_JSON, None)
            choices = [_Choice(shape, PROBLEM_JSON.encode(), False, None, (), ABSENT)]
        return _Plan(tuple(choices), {})

    def _choices(self, status: int, response: Response) -> list[_Choice]:
        content = self._content(response)
        found: list[tuple[int, _Choice]] = []
        for documented in response.media_types:
            media = essence(documented)
            if media == PROBLEM_JSON or (media == "*/*" and response.schema is None):
                rank, media = 0, PROBLEM_JSON
            elif media in ("*/*", "application/*") or is_json(media):
                rank, media = 1, "application/json" if "*" in media else media
            elif media.startswith("text/"):
                rank, media = 2, "text/plain" if media == "text/*" else media
            elif self._vendor_json(media, content[1].get(documented)):
                rank = 1
            else:
                continue
            if any(c.shape.media_type == media for _, c in found):
                continue
            found.append((rank, self._choice(status, response, media, documented, content)))
        return [choice for _, choice in sorted(found, key=lambda pair: pair[0])]

    def _vendor_json(self, media: str, item: Any) -> bool:
        """A vendor type with no structured-syntax suffix (`application/vnd.goa.error`)
        documented with an object or array schema: JSON by the convention of every framework
        that writes one, so a refusal is sent in it rather than in an undocumented type."""
        if not media.startswith("application/vnd.") or "+" in media:
            return False
        document = self._schemas.document
        schema = deref(document, item.get("schema")) if isinstance(item, Mapping) else None
        if not isinstance(schema, Mapping):
            return False
        return schema.get("type") in ("object", "array") or "properties" in schema

    def _content(self, response: Response) -> tuple[str, Mapping[str, Any]]:
        """The pointer and value of the response's `content`: through the pointer of its
        JSON schema (`.../content/<media type>/schema`), else where the operation's
        response is written (a response with no JSON type)."""
        if response.schema is None:
            return self._written_content(response)
        pointer = response.schema.rsplit("/", 2)[0]
        try:
            content = resolve(self._schemas.document, pointer)
        except LookupError:
            return "", {}
        return (pointer, content) if isinstance(content, Mapping) else ("", {})

    def _written_content(self, response: Response) -> tuple[str, Mapping[str, Any]]:
        document = self._schemas.document
        item, at = _located(document, "/paths/" + escape(self._op.path))
        operation = item.get(self._op.method.lower()) if isinstance(item, Mapping) else None
        responses = operation.get("responses") if isinstance(operation, Mapping) else None
        if not isinstance(responses, Mapping):
            return "", {}
        key = next((k for k in responses if str(k).upper() == response.status.upper()), None)
        if key is None:
            return "", {}
        written = f"{at}/{self._op.method.lower()}/responses/{escape(str(key))}"
        value, written = _located(document, written)
        content = value.get("content") if isinstance(value, Mapping) else None
        return (f"{written}/content", content) if isinstance(content, Mapping) else ("", {})

    def _choice(
        self,
        status: int,
        response: Response,
        media: str,
        documented: str,
        content: tuple[str, Mapping[str, Any]],
    ) -> _Choice:
        text = media.startswith("text/")
        pointer, objects = content
        item = objects.get(documented)
        schema_pointer = None
        if not text and isinstance(item, Mapping) and "schema" in item:
            schema_pointer = f"{pointer}/{escape(documented)}/schema"
        validator = None
        schema = None
        projections: tuple[Project, ...] = ()
        example: Any = ABSENT
        if schema_pointer is not None:
            try:
                validator = self._schemas.validator(schema_pointer, RESPONSE)
            except OperationError as error:
                _log.warning("operation %s: %s; errors ignore that schema", self._op.id, error)
            else:
                schema = self._schemas.schema(schema_pointer)
                document = self._schemas.document
                home = follow(document, resolve(document, schema_pointer), schema_pointer)[1]
                projections = compile_plans(self._mappings.get(home))
                example = _example(item, schema, validator, self._schemas.document)
        content_type = (media + "; charset=utf-8" if text else media).encode("latin-1")
        shape = ErrorShape(self._op.id, status, response.status, media, schema)
        return _Choice(shape, content_type, text, validator, projections, example)


def _located(document: Any, pointer: str) -> tuple[Any, str]:
    try:
        return follow(document, resolve(document, pointer), pointer)
    except LookupError:
        return None, pointer


def _example(media_object: Any, schema: Any, validator: Validator, document: Any) -> Any:
    """The first documented example (media type, then schema) that fits the schema."""
    found: list[Any] = []
    if isinstance(media_object, Mapping):
        if "example" in media_object:
            found.append(media_object["example"])
        examples = media_object.get("examples")
        if isinstance(examples, Mapping):
            for entry in examples.values():
                entry = deref(document, entry)  # may be a $ref to components/examples
                if isinstance(entry, Mapping) and "value" in entry:
                    found.append(entry["value"])
    if isinstance(schema, Mapping):
        if "example" in schema:
            found.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            found.extend(schema["examples"])
    return next((value for value in found if _fits(validator, value)), ABSENT)


def _fits(validator: Validator, value: Any) -> bool:
    try:
        return bool(validator.is_valid(value))
    except ValueError:  # a value jsonschema-rs cannot represent (a huge integer)
        return False
