"""The mock's implementation of the service: one handler per operation, answering from the
operation's `Answers` (the runtime around it routes, authenticates and validates requests
exactly as a generated server does)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson

from toolkit.runtime import HTTPProblem, Reply

from . import prefer
from .answers import Answer, Answers, header_safe, header_text
from .values import NoValueError, Values, canonical

# `Prefer: dynamic=true`: a body differs from the last few served for its schema
_RECENT = 8

_log = logging.getLogger("ctk.mock")
Handler = Callable[..., Awaitable[Any]]


class Responder:
    """Builds the reply for one request from an operation's answers and the `Prefer` header."""

    def __init__(self, values: Values, dynamic: bool = False) -> None:
        self.values = values
        self.dynamic = dynamic
        self._served: dict[str, deque[str]] = {}  # dynamic bodies, the last few per schema

    def answer(self, answers: Answers, wanted: prefer.Preference) -> tuple[Answer | None, int]:
        """The answer to give and its status: the preferred code's, or the default one."""
        if wanted.code is None:
            chosen = answers.default
            return chosen, chosen.status() if chosen is not None else 200
        chosen = answers.for_status(wanted.code)
        if chosen is None:
            documented = ", ".join(a.key for a in answers.all) or "none"
            raise HTTPProblem(
                400,
                detail=f"Prefer: code={wanted.code}: operation {answers.op.operation_id} "
                f"documents no such response (documented: {documented})",
            )
        return chosen, chosen.status(wanted.code)

    def reply(self, answers: Answers, wanted: prefer.Preference, body: Any = None) -> Reply:
        """`body` given: serve it (a stored resource) with the answer's status and headers."""
        chosen, status = self.answer(answers, wanted)
        if chosen is None:  # no response documented (3.1): nothing is promised
            return Reply(status)
        headers = {}
        for header in chosen.headers:
            value = self._header(header.schema, header.example, header.required)
            if value is not None:
                headers[header.name] = value
        if chosen.kind == "none" or status in (204, 304):
            return Reply(status, None, headers)
        if body is None:
            body = self._body(answers, chosen, wanted)
        return Reply(status, body, headers, chosen.media)

    def _body(self, answers: Answers, chosen: Answer, wanted: prefer.Preference) -> Any:
        if wanted.example is not None:
            try:
                return chosen.named(wanted.example)
            except LookupError:
                names = ", ".join(label for label, _ in chosen.examples) or "none"
                raise HTTPProblem(
                    400,
                    detail=f"Prefer: example={wanted.example!r}: the {chosen.key} response of "
                    f"{answers.op.operation_id} has no such valid example (valid: {names})",
                ) from None
        dynamic = self.dynamic if wanted.dynamic is None else wanted.dynamic
        if chosen.schema is None or chosen.kind == "binary":
            return {} if chosen.kind == "json" and chosen.schema is None else b""
        if chosen.examples and not dynamic:
            return chosen.examples[0][1]
        accept = None if chosen.kind == "json" else _is_text
        try:
            try:
                if dynamic:
                    return self._fresh(chosen.schema, accept)
                return self.values.static(chosen.schema, accept)
            except NoValueError:
                if chosen.kind != "text":
                    raise
                # a text type documented with a structured schema (`text/plain` + `type:
                # object`): a valid value, written as its JSON text
                value = (
                    self._fresh(chosen.schema, None)
                    if dynamic
                    else self.values.static(chosen.schema)
                )
                return orjson.dumps(value).decode()
        except NoValueError as error:
            _log.error("operation %s: %s", answers.op.operation_id, error.message)
            raise HTTPProblem(
                500, detail=f"the mock has no value to answer with: {error}"
            ) from None

    def _fresh(self, schema: str, accept: Any) -> Any:
        served = self._served.setdefault(schema, deque(maxlen=_RECENT))
        value = self.values.fresh(schema, set(served), accept)
        served.append(canonical(value))
        return value

    def _header(self, schema: str | None, example: Any, required: bool) -> str | None:
        if example is not None:
            return header_text(example)
        if schema is None:
            return "x" if required else None
        try:
            return header_text(self.values.static(schema, header_safe))
        except NoValueError:
            return "x" if required else None


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def stateless(answers: Answers, responder: Responder) -> Handler:
    async def handle(self: object, **arguments: Any) -> Reply:
        context = arguments["context"]
        return responder.reply(answers, prefer.parse(context.headers.get("prefer")))

    return handle


def service(handlers: Mapping[str, Handler]) -> object:
    """An object with one async method per handler name, as `build_app` expects."""
    return type("MockService", (), dict(handlers))()


def not_mocked(reason: str) -> Handler:
    """An operation whose schemas do not compile: routed (so `Allow` and 405s stay true to
    the spec), answered 501 with the reason."""

    async def handle(self: object, **arguments: Any) -> Reply:
        raise HTTPProblem(501, detail=f"not mocked: {reason}")

    return handle
