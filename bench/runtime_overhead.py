"""In-process ASGI overhead of `toolkit.runtime` against FastAPI and raw Starlette.

Not a test: a benchmark. Each app is called directly (a scope, a `receive` that hands over
the body, a `send` that keeps nothing) for one validated JSON POST with a path parameter, two
query parameters and a 20-field body:

* runtime        `toolkit.runtime.build_app`: jsonschema-rs validates the parameters and the
                 body against the document, then pydantic builds the model; the handler
                 returns the model (201).
* runtime+resp   the same with `validate_responses=True` (the reply is checked too).
* fastapi        a hand-written FastAPI app with the same pydantic model (body, path and
                 query parameters, `-> Item` response model).
* starlette      raw Starlette: `await request.json()`, `JSONResponse`, no validation.

Access logs go nowhere (no handler configured) and metrics stay on, as in production.

    python bench/runtime_overhead.py [-n 20000] [--repeat 7]

Needs FastAPI (a bench dependency only): `pip install fastapi`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, Field

from toolkit.runtime import Body, Operation, Param, RequestContext, Response, Settings, build_app

ASGI = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


class Color(StrEnum):
    red = "red"
    green = "green"
    blue = "blue"


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    sku: str = Field(pattern=r"^[A-Z]{3}-[0-9]{4}$")
    price: float = Field(ge=0)
    quantity: int = Field(ge=0, le=10_000)
    active: bool
    color: Color
    tags: list[str] = Field(max_length=10)
    weight: float | None = None
    width: int
    height: int
    depth: int
    description: str
    vendor: str
    country: str = Field(min_length=2, max_length=2)
    rating: float = Field(ge=0, le=5)
    stock: int
    discount: float = Field(ge=0, le=1)
    barcode: str
    featured: bool
    category: str


ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "name",
        "sku",
        "price",
        "quantity",
        "active",
        "color",
        "tags",
        "width",
        "height",
        "depth",
        "description",
        "vendor",
        "country",
        "rating",
        "stock",
        "discount",
        "barcode",
        "featured",
        "category",
    ],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
        "price": {"type": "number", "minimum": 0},
        "quantity": {"type": "integer", "minimum": 0, "maximum": 10000},
        "active": {"type": "boolean"},
        "color": {"type": "string", "enum": ["red", "green", "blue"]},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
        "weight": {"type": "number", "nullable": True},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "depth": {"type": "integer"},
        "description": {"type": "string"},
        "vendor": {"type": "string"},
        "country": {"type": "string", "minLength": 2, "maxLength": 2},
        "rating": {"type": "number", "minimum": 0, "maximum": 5},
        "stock": {"type": "integer"},
        "discount": {"type": "number", "minimum": 0, "maximum": 1},
        "barcode": {"type": "string"},
        "featured": {"type": "boolean"},
        "category": {"type": "string"},
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "bench", "version": "1"},
    "paths": {
        "/stores/{store_id}/items": {
            "post": {
                "operationId": "createItem",
                "parameters": [
                    {
                        "name": "store_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                    },
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        },
                    }
                },
            }
        }
    },
    "components": {"schemas": {"Item": ITEM_SCHEMA}},
}
OP = "/paths/~1stores~1{store_id}~1items/post"
OPERATIONS = (
    Operation(
        id="createItem",
        method="POST",
        path="/stores/{store_id}/items",
        handler="create_item",
        params=(
            Param("store_id", "store_id", "path", True, f"{OP}/parameters/0/schema"),
            Param("dry_run", "dry_run", "query", False, f"{OP}/parameters/1/schema"),
            Param("limit", "limit", "query", False, f"{OP}/parameters/2/schema"),
        ),
        body=Body(
            "body",
            True,
            ("application/json",),
            f"{OP}/requestBody/content/application~1json/schema",
            Item,
        ),
        responses=(
            Response(
                "201", ("application/json",), f"{OP}/responses/201/content/application~1json/schema"
            ),
        ),
        default_status=201,
    ),
)

PAYLOAD = orjson.dumps(
    {
        "name": "Widget",
        "sku": "ABC-1234",
        "price": 9.99,
        "quantity": 3,
        "active": True,
        "color": "red",
        "tags": ["a", "b", "c"],
        "weight": None,
        "width": 10,
        "height": 20,
        "depth": 30,
        "description": "A widget for benchmarks",
        "vendor": "ACME",
        "country": "DE",
        "rating": 4.5,
        "stock": 100,
        "discount": 0.1,
        "barcode": "4006381333931",
        "featured": False,
        "category": "tools",
    }
)


class Service:
    async def create_item(
        self,
        *,
        store_id: int,
        body: Item,
        context: RequestContext,
        dry_run: bool | None = None,
        limit: int | None = None,
    ) -> Item:
        return body


def runtime_app(validate_responses: bool) -> ASGI:
    settings = Settings(validate_responses=validate_responses)
    return build_app(DOCUMENT, OPERATIONS, Service(), settings)  # type: ignore[return-value]


def fastapi_app() -> ASGI:
    from fastapi import FastAPI, Query

    app = FastAPI()

    @app.post("/stores/{store_id}/items", status_code=201)
    async def create_item(
        store_id: int,
        body: Item,
        dry_run: bool | None = None,
        limit: int | None = Query(None, ge=1, le=100),
    ) -> Item:
        return body

    return app  # type: ignore[return-value]


def starlette_app() -> ASGI:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def create_item(request: Request) -> JSONResponse:
        return JSONResponse(await request.json(), status_code=201)

    return Starlette(routes=[Route("/stores/{store_id}/items", create_item, methods=["POST"])])  # type: ignore[return-value]


def scope() -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/stores/42/items",
        "raw_path": b"/stores/42/items",
        "root_path": "",
        "query_string": b"dry_run=false&limit=10",
        "headers": [
            (b"host", b"bench"),
            (b"user-agent", b"bench/1"),
            (b"accept", b"*/*"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(PAYLOAD)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def one_call(app: ASGI) -> tuple[int, bytes]:
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": PAYLOAD, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope(), receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def calls_per_second(app: ASGI, n: int) -> float:
    message = {"type": "http.request", "body": PAYLOAD, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(message: dict[str, Any]) -> None:
        return None

    template = scope()
    gc.collect()
    start = time.perf_counter()
    for _ in range(n):
        await app(dict(template), receive, send)
    return n / (time.perf_counter() - start)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="calls per measurement")
    parser.add_argument("--repeat", type=int, default=7, help="measurements per app")
    args = parser.parse_args()

    apps = {
        "runtime": runtime_app(False),
        "runtime+resp": runtime_app(True),
        "fastapi": fastapi_app(),
        "starlette": starlette_app(),
    }
    for name, app in apps.items():  # same answer everywhere, and warm-up
        status, body = await one_call(app)
        assert status == 201, (name, status, body)
        assert orjson.loads(body)["sku"] == "ABC-1234", (name, body)
        await calls_per_second(app, max(args.n // 10, 100))

    results: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(args.repeat):  # interleaved, so drift hits every app alike
        for name, app in apps.items():
            results[name].append(await calls_per_second(app, args.n))

    print(f"python {platform.python_version()}, {args.repeat} x {args.n} calls per app")
    print(f"{'app':<14}{'median calls/s':>16}{'min':>10}{'max':>10}{'us/call':>10}")
    medians = {}
    for name, values in results.items():
        medians[name] = median = statistics.median(values)
        print(
            f"{name:<14}{median:>16,.0f}{min(values):>10,.0f}{max(values):>10,.0f}"
            f"{1e6 / median:>10.1f}"
        )
    print()
    for name in ("runtime", "runtime+resp"):
        for peer in ("fastapi", "starlette"):
            print(f"{name} / {peer}: {medians[name] / medians[peer]:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
