"""One operation, compiled: everything a request needs is prepared at startup, so the hot path
is security → Accept → parameters → body → handler → reply, with no lookups by name."""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from toolkit.pointer import deref

from ._asgi import Raw, Receive
from ._body import BodyReader
from ._errors import ErrorReplier, client_error_status
from ._media import Acceptable
from ._params import ABSENT, Extract, Sources, extractor, parse_cookies, parse_query
from ._reply import Replier
from ._schemas import Schemas, Validator, errors_of
from ._views import REQUEST
from .context import RequestContext
from .operation import Operation, OperationError
from .problem import HTTPProblem
from .ratelimit import Bucket
from .security import Principal, guard_for
from .settings import Settings
from .tracing import SUBJECT

_log = logging.getLogger("ctk.runtime")
_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class _ParamPlan:
    arg: str
    name: str
    where: str  # "/query/limit": the error pointer
    required: bool
    extract: Extract
    validator: Validator | None
    default: Any  # ABSENT when the schema has none
    convert: Callable[[Any], Any] | None  # to the handler's type (datetime, UUID, ...)


def _plan(op: Operation, schemas: Schemas) -> list[_ParamPlan]:
    plans = []
    templated = op.path.replace("}", "{").split("{")[1::2]
    for param in op.params:
        if param.location == "path" and param.name not in templated:
            raise OperationError.at(
                "", f"operation {op.id}: path parameter {param.name!r} is not in {op.path!r}"
            )
        schema = schemas.schema(param.schema) if param.schema else None
        validator = schemas.validator(param.schema, REQUEST) if param.schema else None
        default = schema.get("default", ABSENT) if isinstance(schema, Mapping) else ABSENT
        convert = None
        if param.convert is not None:
            convert = TypeAdapter(param.convert).validate_python
            if default is not ABSENT:
                try:
                    default = convert(default)
                except ValueError:  # a default its own schema refuses: handed over as written
                    pass
        plans.append(
            _ParamPlan(
                arg=param.arg,
                name=param.name,
                where=f"/{param.location}/{param.name}",
                required=param.required,
                extract=extractor(param, schema, lambda node: deref(schemas.resource, node)),
                validator=validator,
                default=default,
                convert=convert,
            )
        )
    return plans


class Endpoint:
    __slots__ = (
        "_accept",
        "_body",
        "_call",
        "_errors",
        "_guard",
        "_is_async",
        "_limit",
        "_param_status",
        "_params",
        "_replier",
        "_traced",
        "needs_cookies",
        "needs_query",
        "op",
    )

    def __init__(
        self,
        op: Operation,
        call: Callable[..., Any],
        document: Mapping[str, Any],
        schemas: Schemas,
        settings: Settings,
        limit: Bucket | None = None,
    ) -> None:
        self.op = op
        self._limit = limit
        self._call = call
        self._is_async = inspect.iscoroutinefunction(call)
        self._guard = guard_for(op, document, settings.verifier)
        self._params = _plan(op, schemas)
        # Missing or bad parameters and unreadable bodies are 400, bodies breaking their
        # schema 422, unless the operation documents only the other one (ADR 0007).
        self._param_status = client_error_status(op, prefer=400)  # also unreadable bodies
        self._body = (
            BodyReader(
                op.id,
                op.body,
                schemas,
                settings.max_body_bytes,
                client_error_status(op, prefer=422),
                path=op.path,
                method=op.method,
            )
            if op.body
            else None
        )
        self._accept = Acceptable(m for r in op.responses for m in r.media_types)
        self._traced = settings.tracer_provider is not None
        self._replier = Replier(op, schemas, settings.validate_responses)
        self._errors = ErrorReplier(
            op, self._replier.lookup, schemas, settings.error_body, settings.error_mappings
        )
        guard = self._guard
        self.needs_query = any(p.location == "query" for p in op.params) or bool(
            guard and guard.needs_query
        )
        self.needs_cookies = any(p.location == "cookie" for p in op.params) or bool(
            guard and guard.needs_cookies
        )

    async def run(
        self,
        query_string: bytes,
        receive: Receive,
        headers: dict[str, str],
        path_params: Mapping[str, str],
        rid: str,
        client: Any = None,
    ) -> Raw:
        query = parse_query(query_string) if self.needs_query else _EMPTY
        cookies = parse_cookies(headers.get("cookie")) if self.needs_cookies else _EMPTY
        principal = None
        if self._guard is not None:
            principal = await self._guard.check(headers, query, cookies)
            if self._traced and principal is not None:
                SUBJECT.set(principal.subject)
        if self._limit is None:
            return await self._serve(principal, query, cookies, receive, headers, path_params, rid)
        subject = None if principal is None else principal.subject
        lines, refused = await self._limit.take(subject, client)
        if refused is not None:
            raise HTTPProblem(429, detail=self._limit.refusal(refused), headers=refused)
        try:
            reply = await self._serve(principal, query, cookies, receive, headers, path_params, rid)
        except HTTPProblem as problem:  # every answer of a limited operation says its state
            raise problem.with_headers(
                {name.decode(): value.decode() for name, value in lines}
            ) from None
        reply[1].extend(lines)
        return reply

    async def _serve(
        self,
        principal: Principal | None,
        query: Mapping[str, Any],
        cookies: Mapping[str, Any],
        receive: Receive,
        headers: dict[str, str],
        path_params: Mapping[str, str],
        request_id: str,
    ) -> Raw:
        """Accept → parameters → body → handler → reply, once security and limits passed."""
        if self._accept:
            accept = headers.get("accept")
            if accept is not None and not self._accept(accept):
                raise HTTPProblem(406, detail="none of the response media types is acceptable")
        kwargs = self._arguments((path_params, query, headers, cookies)) if self._params else {}
        if self._body is not None:
            try:
                value = await self._body.read(receive, headers)
            except HTTPProblem as problem:
                # BodyReader answers 400 for a missing or malformed body
                if problem.status == 400 and self._param_status != 400:
                    raise problem.with_status(self._param_status) from None
                raise
            if value is not ABSENT:
                kwargs[self._body.arg] = value
        context = RequestContext(principal, request_id, headers, self.op.id)
        try:
            if self._is_async:
                result = await self._call(**kwargs, context=context)
            else:
                result = self._call(**kwargs, context=context)
                if inspect.isawaitable(result):
                    result = await result
        except HTTPProblem as problem:
            self._replier.check_problem(problem)
            raise
        except Exception:
            _log.exception("operation %s failed (request_id=%s)", self.op.id, request_id)
            raise HTTPProblem(500) from None
        return self._replier.render(result)

    def _arguments(self, sources: Sources) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        errors: list[dict[str, str]] = []
        missing = False
        for plan in self._params:
            value = plan.extract(sources)
            if value is ABSENT:
                if plan.required:
                    missing = True
                    errors.append({"pointer": plan.where, "detail": f"{plan.name!r} is required"})
                elif plan.default is not ABSENT:
                    kwargs[plan.arg] = copy.deepcopy(plan.default)
                continue
            validator = plan.validator
            if validator is not None and not validator.is_valid(value):
                errors.extend(
                    {"pointer": plan.where + pointer, "detail": message}
                    for pointer, message in errors_of(validator, value)
                )
                continue
            if plan.convert is not None:
                try:
                    value = plan.convert(value)
                except ValueError as exc:  # valid JSON Schema, yet not the Python type
                    errors.append({"pointer": plan.where, "detail": _first_error(exc)})
                    continue
            kwargs[plan.arg] = value
        if errors:
            detail = "missing required parameters" if missing else "invalid parameters"
            raise HTTPProblem(self._param_status, detail=detail, errors=errors)
        return kwargs

    def error(
        self, problem: HTTPProblem, instance: str, request_id: str, headers: Mapping[str, str]
    ) -> Raw:
        """The problem as the response the operation documents for its status."""
        return self._errors.render(problem, instance, request_id, headers.get("accept"))


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", exc))
    return str(exc)
