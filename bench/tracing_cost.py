"""Cost of tracing per request (issue 11 item 13), in process, on the runtime's test spec.

The same app with and without `Settings.tracer_provider` (OpenTelemetry SDK, a batch span
processor whose exporter drops the spans: the cost of making them, not of shipping them),
called through its ASGI interface with a W3C `traceparent`, interleaved, medians of 7
rounds of 3,000 GETs.

    python bench/tracing_cost.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

from tests.unit.runtime.conftest import KEYS, MODELS, SPEC, Service, operations_from
from toolkit.model.error_mappings import guessed_mappings
from toolkit.runtime import Settings, build_app

_SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/items/7",
    "raw_path": b"/items/7",
    "root_path": "",
    "query_string": b"",
    "headers": [
        (b"host", b"bench"),
        (b"traceparent", b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    ],
    "client": ("127.0.0.1", 1),
    "server": ("bench", 80),
}


class _Drop(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def _app(traced: bool) -> Any:
    provider = None
    if traced:
        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(_Drop()))
    settings = Settings(
        verifier=KEYS,
        access_log=False,
        metrics=False,
        tracer_provider=provider,
        error_mappings=guessed_mappings(SPEC),
    )
    return build_app(SPEC, operations_from(SPEC, MODELS), Service(), settings)


async def _microseconds(app: Any, count: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        del message

    started = time.perf_counter()
    for _ in range(count):
        await app(_SCOPE, receive, send)
    return (time.perf_counter() - started) / count * 1e6


def main() -> None:
    plain, traced = _app(False), _app(True)
    rounds: dict[str, list[float]] = {"plain": [], "traced": []}
    for _ in range(7):
        rounds["plain"].append(asyncio.run(_microseconds(plain, 3000)))
        rounds["traced"].append(asyncio.run(_microseconds(traced, 3000)))
    base, with_spans = statistics.median(rounds["plain"]), statistics.median(rounds["traced"])
    print(
        f"per request: plain {base:.1f} us, traced {with_spans:.1f} us, "
        f"cost {with_spans - base:.1f} us ({with_spans / base:.2f}x in process)"
    )


if __name__ == "__main__":
    main()
