"""RED metrics (prometheus-client, one registry per app) and the access log (one JSON line
per request on a stdlib logger; the library configures no handlers)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

UNROUTED = "_unrouted"  # the operation label of 404/405 answers
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


class Observer:
    __slots__ = ("_counters", "_durations", "_log", "_requests", "_seconds", "registry")

    def __init__(self, metrics: bool, access_log: bool, logger_name: str) -> None:
        self._log = logging.getLogger(logger_name) if access_log else None
        self.registry: CollectorRegistry | None = None
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._durations: dict[str, Any] = {}
        if metrics:
            # imported here: prometheus-client reads /proc when imported, which a tool that
            # only needs the runtime's types (the model stage) must not pay for
            from prometheus_client import CollectorRegistry, Counter, Histogram

            self.registry = CollectorRegistry(auto_describe=True)
            self._requests = Counter(
                "ctk_requests",
                "Requests answered, by operation, method and status.",
                ("operation", "method", "status"),
                registry=self.registry,
            )
            self._seconds = Histogram(
                "ctk_request_duration_seconds",
                "Time from the first byte of the request to the response, by operation.",
                ("operation",),
                registry=self.registry,
            )

    def record(
        self,
        method: str,
        path: str,
        status: int,
        seconds: float,
        request_id: str,
        operation: str | None,
        trace_id: str | None = None,
    ) -> None:
        """`operation` is the operationId, None when no operation matched (404/405), or ""
        for the built-in routes, which are logged but not counted."""
        if self.registry is not None and operation != "":
            label = operation or UNROUTED
            key = (label, method, status)
            counter = self._counters.get(key)
            if counter is None:
                verb = method if method in _METHODS else "OTHER"  # bounded label values
                counter = self._counters[key] = self._requests.labels(label, verb, str(status))
            counter.inc()
            duration = self._durations.get(label)
            if duration is None:
                duration = self._durations[label] = self._seconds.labels(label)
            duration.observe(seconds)
        log = self._log
        if log is not None and log.isEnabledFor(logging.INFO):
            line = {
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
                "request_id": request_id,
                "operation_id": operation or None,
            }
            if trace_id is not None:
                line["trace_id"] = trace_id
            # `handle(makeRecord(...))` is `info()` without its stack walk for the caller's
            # file and line (findCaller), which here would only ever name this module
            record = log.makeRecord(
                log.name, logging.INFO, __file__, 0, orjson.dumps(line).decode(), (), None
            )
            log.handle(record)
