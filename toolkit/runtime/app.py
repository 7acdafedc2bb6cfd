"""`build_app`: operations + document + service → one raw ASGI callable.

No framework on the hot path: the app routes, runs the compiled endpoint, and sends two ASGI
messages. Every error is an RFC 9457 problem carrying the request id; every response echoes
the request id; every request is counted, timed and logged once.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ._asgi import ASGIApp, Raw, Receive, Scope, Send, plain_lifespan
from ._body import Disconnected
from ._builtins import Builtin, builtins
from ._decoders import body_roots
from ._endpoint import Endpoint
from ._handlers import check_handler
from ._observe import Observer
from ._routing import Route, Router
from ._schemas import Schemas
from .cors import Cors
from .operation import Operation, OperationError
from .problem import HTTPProblem
from .ratelimit import Limiter
from .settings import Settings
from .tracing import Tracer

_log = logging.getLogger("ctk.runtime")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_BUILTIN_METHODS = ("GET", "HEAD")


def _pointers(operations: Sequence[Operation]) -> list[str]:
    """The schemas requests and responses (error bodies are shaped by theirs) are checked
    against: 3.0 `nullable` is rewritten from these roots."""
    found: list[str] = []
    for op in operations:
        found.extend(p.schema for p in op.params if p.schema)
        if op.body is not None and op.body.schema:
            found.append(op.body.schema)
        found.extend(r.schema for r in op.responses if r.schema)
    return found


def _routes(
    operations: Sequence[Operation],
    service: object,
    document: Mapping[str, Any],
    schemas: Schemas,
    settings: Settings,
    limiter: Limiter,
) -> list[Route[Endpoint]]:
    missing = [op.handler for op in operations if not callable(getattr(service, op.handler, None))]
    if missing:
        raise OperationError(
            f"the service {type(service).__name__} lacks handlers: {', '.join(missing)}",
            hint="implement every method of the generated service protocol",
        )
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in operations:
        methods = by_path.setdefault(op.path, {})
        method = op.method.upper()
        if method in methods:
            raise OperationError(
                f"two operations for {method} {op.path}: {methods[method].op.id}, {op.id}"
            )
        handler = getattr(service, op.handler)
        check_handler(op, handler, type(service).__name__)
        methods[method] = Endpoint(op, handler, document, schemas, settings, limiter.bucket(op))
    for methods in by_path.values():
        # HTTP: HEAD is GET without the body (RFC 9110 9.3.2), unless the spec says otherwise
        if "GET" in methods and "HEAD" not in methods:
            methods["HEAD"] = methods["GET"]
    return [Route(path, methods) for path, methods in by_path.items()]


class App:
    """The ASGI app `build_app` returns. `metrics_registry` is its own prometheus registry."""

    __slots__ = (
        "_builtins",
        "_cors",
        "_cors_reads",
        "_limiter",
        "_observer",
        "_request_id",
        "_request_id_out",
        "_router",
        "_tracer",
        "metrics_registry",
    )

    def __init__(
        self,
        router: Router[Endpoint],
        builtin_routes: dict[str, Builtin],
        observer: Observer,
        settings: Settings,
        document: Mapping[str, Any] | None = None,
        limiter: Limiter | None = None,
    ) -> None:
        self._router = router
        self._limiter = limiter
        self._builtins = builtin_routes
        self._observer = observer
        provider = settings.tracer_provider
        self._tracer = None if provider is None else Tracer(provider)
        policy = settings.cors
        self._cors = None if policy is None else Cors(policy, settings.request_id_header)
        # per path: the request headers its operations read (CORS preflights allow them)
        self._cors_reads = {
            route.template: _headers_read(route, document or {}) for route in router
        }
        self._request_id = settings.request_id_header.lower()
        self._request_id_out = self._request_id.encode("latin-1")
        self.metrics_registry = observer.registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await plain_lifespan(receive, send, self.aclose)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    @property
    def limiter(self) -> Limiter | None:
        """Which operations are rate limited, by which policy (`Limiter.decided`)."""
        return self._limiter

    def operations(self) -> list[tuple[str, str]]:
        """(METHOD, path template) of every operation it routes, built-in routes apart:
        what `ctk check`'s drift stage compares with the spec."""
        return [(method, route.template) for route in self._router for method in route.methods]

    async def aclose(self) -> None:
        """Release what the app holds (a rate-limit store's connections); lifespan shutdown
        calls it, and so should a host that does not run the lifespan."""
        if self._limiter is not None:
            await self._limiter.aclose()

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            if name in headers:
                value = headers[name] + ("; " if name == "cookie" else ", ") + value
            headers[name] = value
        request_id = headers.get(self._request_id)
        if request_id is None or _SANE_ID.fullmatch(request_id) is None:
            request_id = os.urandom(16).hex()  # 128 random bits, as uuid4().hex
        method: str = scope["method"]
        path: str = scope["path"]
        template = path
        operation: str | None = None  # None: no operation matched; "": a built-in route
        endpoint: Endpoint | None = None
        origin = headers.get("origin") if self._cors is not None else None
        span = None if self._tracer is None else self._tracer.start(method, headers)
        try:
            found = self._router.match(scope)
            if found is None:
                serve = self._builtins.get(path)
                if serve is not None:
                    operation = ""
                response = await self._builtin(serve, method)
            else:
                route, params = found
                template = route.template
                endpoint = route.methods.get(method)
                if endpoint is None and origin is not None and _is_preflight(method, headers):
                    operation = ""  # answered by the runtime, like the built-in routes
                    response = self._preflight(route, origin, headers, scope, request_id)
                elif endpoint is None:
                    problem = _not_allowed(method, route.allow)
                    response = problem.render(_instance(scope), request_id)
                else:
                    operation = endpoint.op.id
                    response = await endpoint.run(
                        scope["query_string"],
                        receive,
                        headers,
                        params,
                        request_id,
                        scope.get("client"),
                    )
        except HTTPProblem as problem:
            instance = _instance(scope)  # only an error needs it: not on the hot path
            if endpoint is None:
                response = problem.render(instance, request_id)
            else:
                response = endpoint.error(problem, instance, request_id, headers)
        except Disconnected:
            elapsed = time.perf_counter() - start
            trace_id = self._finish(span, method, template, 499, operation, request_id)
            self._observer.record(method, template, 499, elapsed, request_id, operation, trace_id)
            return
        except Exception:
            _log.exception("request failed (request_id=%s)", request_id)
            instance = _instance(scope)
            if endpoint is None:
                response = HTTPProblem(500).render(instance, request_id)
            else:
                response = endpoint.error(HTTPProblem(500), instance, request_id, headers)
        status, out, body = response
        cors = self._cors
        if origin is not None and operation != "" and cors is not None and cors.allows(origin):
            out.extend(cors.answer_headers(origin))
        out.append((b"content-length", str(len(body)).encode()))
        out.append((self._request_id_out, request_id.encode()))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
        elapsed = time.perf_counter() - start
        # no call at all on the untraced path (the hot one)
        trace_id = (
            None
            if span is None
            else self._finish(span, method, template, status, operation, request_id)
        )
        self._observer.record(method, template, status, elapsed, request_id, operation, trace_id)

    def _finish(
        self, span: Any, method: str, template: str, status: int, operation: str | None, rid: str
    ) -> str | None:
        if span is None or self._tracer is None:
            return None
        return self._tracer.finish(span, method, template, status, operation, rid)

    def _preflight(
        self, route: Route[Endpoint], origin: str, headers: dict[str, str], scope: Scope, rid: str
    ) -> Raw:
        assert self._cors is not None
        lines, refused = self._cors.preflight(
            origin,
            headers["access-control-request-method"],
            headers.get("access-control-request-headers", ""),
            route.methods,
            self._cors_reads.get(route.template, ()),
        )
        if refused:
            return HTTPProblem(403, detail=f"CORS: {refused}").render(_instance(scope), rid)
        return 204, lines, b""

    @staticmethod
    async def _builtin(serve: Builtin | None, method: str) -> Raw:
        if serve is None:
            raise HTTPProblem(404, detail="no such path")
        if method not in _BUILTIN_METHODS:
            raise _not_allowed(method, "GET, HEAD")
        return await serve()


def _is_preflight(method: str, headers: dict[str, str]) -> bool:
    return method == "OPTIONS" and "access-control-request-method" in headers


def _headers_read(route: Route[Endpoint], document: Mapping[str, Any]) -> frozenset[str]:
    """Header parameters of the path's operations and the document's header API keys."""
    names = {
        p.name.lower()
        for endpoint in route.methods.values()
        for p in endpoint.op.params
        if p.location == "header"
    }
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    for scheme in (schemes or {}).values() if isinstance(schemes, Mapping) else ():
        header_key = (
            isinstance(scheme, Mapping)
            and scheme.get("type") == "apiKey"
            and scheme.get("in") == "header"
            and isinstance(scheme.get("name"), str)
        )
        if header_key:
            names.add(scheme["name"].lower())
    return frozenset(names)


def _not_allowed(method: str, allow: str) -> HTTPProblem:
    return HTTPProblem(405, detail=f"{method} is not allowed here", headers={"Allow": allow})


def build_app(
    document: Mapping[str, Any],
    operations: Sequence[Operation],
    service: object,
    settings: Settings | None = None,
) -> ASGIApp:
    """The ASGI app serving `operations` (described by pointers into `document`) with the
    handlers of `service`. Every schema is compiled here: a bad pointer, a schema that does
    not compile, a missing handler or an unknown security scheme raises `OperationError`
    now, not on the first request."""
    settings = settings or Settings()
    roots = _pointers(operations) + body_roots(document, operations)
    schemas = Schemas(document, roots)
    limiter = Limiter(document, settings.rate_limits)
    router = Router(_routes(operations, service, document, schemas, settings, limiter))
    observer = Observer(settings.metrics, settings.access_log, settings.logger_name)
    return App(
        router, builtins(document, settings, observer), observer, settings, document, limiter
    )


def _instance(scope: Scope) -> str:
    """The problem's `instance`: the request path as sent (percent-encoded), so it is always
    a valid URI reference, unlike the decoded `path` (which may hold any character)."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes | bytearray):
        return quote(raw.decode("latin-1").split("?", 1)[0], safe="/%:@!$&'()*+,;=-._~")
    return quote(str(scope.get("path", "")), safe="/:@!$&'()*+,;=-._~")
