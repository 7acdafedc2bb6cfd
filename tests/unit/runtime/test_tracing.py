"""Tracing (issue 11 item 13): a SERVER span per request with the operation, status and
principal (never secrets), the caller's W3C traceparent continued, the trace id in the
access log; nothing without a tracer provider."""

from __future__ import annotations

import json
import logging

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from toolkit.runtime import Settings

from .conftest import KEYS, MakeClient

pytestmark = pytest.mark.anyio

PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{PARENT_TRACE}-00f067aa0ba902b7-01"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def traced(make_client: MakeClient, exporter: InMemorySpanExporter) -> MakeClient:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))

    def make(**_: object) -> object:
        return make_client(Settings(verifier=KEYS, tracer_provider=provider))

    return make  # type: ignore[return-value]


async def test_a_span_per_request_with_the_operation_and_status(
    traced: MakeClient, exporter: InMemorySpanExporter
) -> None:
    client = traced()
    await client.get("/items/7", headers={"traceparent": TRACEPARENT, "X-Request-ID": "r-1"})
    (span,) = exporter.get_finished_spans()
    assert span.name == "GET /items/{item_id}"
    assert span.kind is SpanKind.SERVER
    assert format(span.context.trace_id, "032x") == PARENT_TRACE  # the caller's trace
    attributes = dict(span.attributes or {})
    assert attributes["http.route"] == "/items/{item_id}"
    assert attributes["http.response.status_code"] == 200
    assert attributes["ctk.operation_id"] == "get_item"
    assert attributes["ctk.request_id"] == "r-1"


async def test_the_principal_is_named_never_its_credential(
    traced: MakeClient, exporter: InMemorySpanExporter
) -> None:
    client = traced()
    response = await client.get("/secure/header", headers={"X-API-Key": "k-123"})
    assert response.status_code == 200, response.text
    attributes = dict(exporter.get_finished_spans()[-1].attributes or {})
    assert attributes["enduser.id"] == "alice"
    assert "k-123" not in json.dumps({k: str(v) for k, v in attributes.items()})


async def test_a_server_error_marks_the_span(
    traced: MakeClient, exporter: InMemorySpanExporter
) -> None:
    await traced().get("/fail")
    span = exporter.get_finished_spans()[-1]
    assert span.attributes["http.response.status_code"] == 500  # type: ignore[index]
    assert span.status.status_code is StatusCode.ERROR


async def test_the_access_log_carries_the_trace_id(
    traced: MakeClient, exporter: InMemorySpanExporter, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ctk.access"):
        await traced().get("/items/7", headers={"traceparent": TRACEPARENT})
    lines = [json.loads(r.message) for r in caplog.records if r.name == "ctk.access"]
    assert lines[-1]["trace_id"] == PARENT_TRACE


async def test_no_provider_no_spans_no_trace_id(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="ctk.access"):
        await make_client().get("/items/7", headers={"traceparent": TRACEPARENT})
    lines = [json.loads(r.message) for r in caplog.records if r.name == "ctk.access"]
    assert "trace_id" not in lines[-1]
