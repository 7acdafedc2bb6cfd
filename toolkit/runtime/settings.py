"""`Settings`: everything about a running app that is not in the document."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._errors import ErrorBody
from .cors import CorsPolicy
from .ratelimit import RateLimits
from .security import Verifier


@dataclass(frozen=True, slots=True)
class Settings:
    # Check every reply against the document (status, body schema, required headers); a
    # violation answers 500 and logs the operation, status and first error. Costs one
    # schema validation per response: on in tests and staging, off in production.
    validate_responses: bool = False
    # Turns credentials into principals; None rejects every credential (401) so only
    # public operations answer.
    verifier: Verifier | None = None
    max_body_bytes: int = 1_048_576
    docs: bool = True  # Swagger UI at /docs (offline, from the swagger-ui-bundle package)
    metrics: bool = True  # Prometheus text at /metrics
    access_log: bool = True  # one JSON line per request on `logger_name`
    logger_name: str = "ctk.access"
    request_id_header: str = "X-Request-ID"
    spec_bytes: bytes | None = None  # served at /openapi.json; default: the document as JSON
    ready: Callable[[], Awaitable[bool]] | None = None  # /readyz: 200 when True, else 503
    # Builds error bodies for teams whose error envelope is richer than what the runtime
    # derives from the contract (ADR 0007): called with the RFC 9457 problem document and the
    # documented ErrorShape; returns the body, or None for the runtime's own.
    error_body: ErrorBody | None = None
    # How a problem is written in each documented error schema that is not RFC 9457, by the
    # schema's pointer: decided by `ctk generate` (app.py's ERROR_MAPPINGS, ADR 0014). An
    # error schema without one gets the problem when it fits, else a documented example.
    error_mappings: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
    # Cross-origin requests from browsers: None (the default) sends no CORS headers at all
    cors: CorsPolicy | None = None
    # An OpenTelemetry TracerProvider: one SERVER span per request (`runtime/tracing.py`);
    # None (the default) traces nothing and imports nothing
    tracer_provider: Any = None
    # Rate limits over the spec's `x-ctk-rate-limit` (`runtime/ratelimit.py`); None: the
    # spec's limits, buckets in this process
    rate_limits: RateLimits | None = None
