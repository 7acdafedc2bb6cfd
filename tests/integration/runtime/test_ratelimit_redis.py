"""Rate limits shared through a real Redis (issue 11 item 12): two instances of an app take
from the same buckets; Redis' own clock refills them; a Redis that is down lets requests
through (logged), and `RedisStore.check` refuses to start without it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from toolkit.runtime import App, OperationError, Reply, Settings, build_app
from toolkit.runtime.operation import Operation, Response
from toolkit.runtime.ratelimit import Limit, RateLimits, RedisStore

pytestmark = pytest.mark.anyio

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "limited", "version": "1"},
    "paths": {
        "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
    },
}
OPS = (
    Operation("ping", "GET", "/ping", "ping", responses=(Response("204", ()),), default_status=204),
)


class Service:
    async def ping(self, *, context: Any) -> Reply:
        return Reply(204)


@asynccontextmanager
async def _client(limits: RateLimits) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a new app; the app is closed after (httpx runs no lifespan)."""
    app = build_app(DOC, OPS, Service(), Settings(rate_limits=limits, metrics=False))
    assert isinstance(app, App)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            yield client
    finally:
        await app.aclose()


async def test_two_instances_share_the_buckets(redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    limits = [
        RateLimits(default=Limit(3, 60), store=RedisStore(redis_url, prefix=prefix))
        for _ in range(2)
    ]
    async with _client(limits[0]) as one, _client(limits[1]) as two:
        statuses = [(await c.get("/ping")).status_code for c in (one, two, one, two)]
        assert statuses == [204, 204, 204, 429]
        refused = await two.get("/ping")
        assert refused.headers["retry-after"] in ("19", "20")
        assert refused.headers["ratelimit-policy"] == '"default";q=3;w=60'


async def test_the_bucket_refills_on_redis_time(redis_url: str) -> None:
    import anyio

    store = RedisStore(redis_url, prefix=f"test:{uuid.uuid4().hex}:")
    limit = Limit(2, 1)  # a token every 0.5 s
    try:
        assert [(await store.take("k", limit))[0] for _ in range(3)] == [True, True, False]
        await anyio.sleep(0.6)
        taken, left = await store.take("k", limit)
        assert taken and 0.0 <= left < 1.0
    finally:
        await store.aclose()


async def test_redis_down_lets_requests_through_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = RedisStore("redis://127.0.0.1:1/0", timeout=0.2)  # nothing listens on port 1
    async with _client(RateLimits(default=Limit(1, 60), store=store)) as client:
        with caplog.at_level(logging.WARNING, logger="ctk.runtime"):
            statuses = [(await client.get("/ping")).status_code for _ in range(3)]
    assert statuses == [204, 204, 204]
    warned = [r.getMessage() for r in caplog.records if "rate limits not applied" in r.getMessage()]
    assert len(warned) == 1 and "127.0.0.1:1" in warned[0]


def test_check_refuses_an_unreachable_redis(redis_url: str) -> None:
    RedisStore(redis_url).check()  # the real one answers
    with pytest.raises(OperationError, match=r"cannot reach Redis at redis://127\.0\.0\.1:1/0"):
        RedisStore("redis://127.0.0.1:1/0").check()
