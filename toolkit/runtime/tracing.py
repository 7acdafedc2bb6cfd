"""OpenTelemetry spans per request (issue 11 item 13); off unless a tracer provider is given.

`Settings(tracer_provider=provider)` (an `opentelemetry.sdk.trace.TracerProvider` with the
exporter of your choice) makes the runtime open one SERVER span per request, as a child of
the caller's W3C `traceparent` when it sends one. The span is named `METHOD /path/{template}`
and carries the method, the route, the status, the operationId, the request id and the
principal's subject: never a header, a credential or a body. The access log line gets the
trace id, so a request id leads to its trace. OpenTelemetry is the `tracing` extra; nothing
imports it unless a provider is set.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

# the authenticated subject of the request being served (set by the endpoint, read here)
SUBJECT: ContextVar[str | None] = ContextVar("ctk_subject", default=None)


class Tracer:
    """One provider's tracer, and the W3C trace-context propagator."""

    __slots__ = ("_kind", "_propagator", "_status", "_trace", "_tracer")

    def __init__(self, provider: Any) -> None:
        from opentelemetry import trace
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        self._trace = trace
        self._tracer = provider.get_tracer("ctk.runtime")
        self._propagator = TraceContextTextMapPropagator()
        self._kind = trace.SpanKind.SERVER
        self._status = trace.Status

    def start(self, method: str, headers: dict[str, str]) -> Any:
        """A started span for a request (named once the route is known: `finish`)."""
        parent = self._propagator.extract(carrier=headers) if "traceparent" in headers else None
        SUBJECT.set(None)
        return self._tracer.start_span(
            method, context=parent, kind=self._kind, attributes={"http.request.method": method}
        )

    def finish(
        self, span: Any, method: str, route: str, status: int, operation: str | None, rid: str
    ) -> str:
        """End `span` with what the request turned out to be; returns its trace id (hex)."""
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", status)
        span.set_attribute("ctk.request_id", rid)
        if operation:
            span.set_attribute("ctk.operation_id", operation)
        subject = SUBJECT.get()
        if subject is not None:
            span.set_attribute("enduser.id", subject)
        if status >= 500:
            span.set_status(self._status(self._trace.StatusCode.ERROR))
        span.end()
        return format(span.get_span_context().trace_id, "032x")
