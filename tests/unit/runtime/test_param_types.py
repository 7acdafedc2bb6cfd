"""Parameters typed as precisely as bodies (issue 11 item 5): `format: date-time`, `date`
and `uuid` reach the handler as `datetime`, `date` and `UUID` (`Param.convert`), after the
schema's own validation; a schema default is converted once at startup."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

from toolkit.runtime import Operation, Param, Reply, Response, build_app

pytestmark = pytest.mark.anyio

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "typed", "version": "1"},
    "paths": {
        "/events/{id}": {
            "get": {
                "operationId": "get_event",
                "parameters": [
                    {"name": "id", "in": "path", "required": True,
                     "schema": {"type": "string", "format": "uuid"}},
                    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "day", "in": "query",
                     "schema": {"type": "string", "format": "date", "default": "2024-02-29"}},
                    {"name": "also", "in": "query", "explode": False,
                     "schema": {"type": "array", "items": {"type": "string", "format": "uuid"}}},
                ],
                "responses": {"204": {"description": "ok"}, "400": {"description": "bad"}},
            }
        }
    },
}  # fmt: skip
BASE = "/paths/~1events~1{id}/get/parameters"
OPS = (
    Operation(
        "get_event", "GET", "/events/{id}", "get_event",
        params=(
            Param("id", "id", "path", True, f"{BASE}/0/schema", convert=UUID),
            Param("since", "since", "query", False, f"{BASE}/1/schema", convert=datetime),
            Param("day", "day", "query", False, f"{BASE}/2/schema", convert=date),
            Param("also", "also", "query", False, f"{BASE}/3/schema", explode=False,
                  convert=list[UUID]),
        ),
        responses=(Response("204", ()), Response("400", ())),
        default_status=204,
    ),
)  # fmt: skip
ID = "6f1c2a9e-3b1d-4c5e-9f00-0123456789ab"


class Service:
    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}

    async def get_event(self, *, context: Any, **kwargs: Any) -> Reply:
        self.seen = kwargs
        return Reply(204)


async def _get(service: Service, url: str) -> httpx.Response:
    app = build_app(DOC, OPS, service)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        return await client.get(url)


async def test_values_arrive_as_python_types() -> None:
    service = Service()
    other = "00000000-0000-4000-8000-000000000000"
    response = await _get(service, f"/events/{ID}?since=2024-05-01T10:00:00Z&also={ID},{other}")
    assert response.status_code == 204, response.text
    assert service.seen == {
        "id": UUID(ID),
        "since": datetime(2024, 5, 1, 10, tzinfo=UTC),
        "day": date(2024, 2, 29),  # the schema's default, converted too
        "also": [UUID(ID), UUID(other)],
    }


async def test_the_schema_still_refuses_first() -> None:
    service = Service()
    response = await _get(service, f"/events/{ID}?since=yesterday")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/query/since"
    assert service.seen == {}
