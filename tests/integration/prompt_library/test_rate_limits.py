"""The reference service keeps its rate-limit promise (issue 11 item 15): the spec's
`x-ctk-rate-limit: 600/minute` per client by default, answers validated against the spec
(`validate_responses`: a 429 without its documented headers would be a 500), the limit set
by `PROMPT_LIBRARY_RATE_LIMIT` and shared through Redis by `PROMPT_LIBRARY_REDIS_URL`."""

from __future__ import annotations

import httpx
import pytest

from examples.prompt_library.config import rate_limits
from toolkit.runtime import Limit, RateLimits

from .conftest import RW, build_app, lifespan

pytestmark = pytest.mark.anyio


async def test_the_spec_limit_is_enforced_by_default(database_url: str) -> None:
    app = build_app(database_url, rate_limits=rate_limits({}))
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = await client.get("/prompts", headers=RW)
            second = await client.get("/prompts/p_nope", headers=RW)
    assert first.status_code == 200
    assert first.headers["ratelimit-policy"] == '"default";q=600;w=60'
    assert first.headers["ratelimit"].startswith('"default";r=599;t=')
    # one bucket per client for the whole API
    assert second.headers["ratelimit"].startswith('"default";r=598;t=')


async def test_over_the_limit_a_documented_429(database_url: str) -> None:
    limits = rate_limits({"PROMPT_LIBRARY_RATE_LIMIT": "3/minute"})
    app = build_app(database_url, rate_limits=limits)
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            statuses = [(await client.get("/prompts", headers=RW)).status_code for _ in range(3)]
            refused = await client.post("/prompts", json={"name": "n", "template": "t"}, headers=RW)
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429, refused.text  # not 500: its headers are the spec's
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert refused.headers["retry-after"] in ("19", "20")  # a token every 20 s
    assert refused.headers["ratelimit"] == f'"default";r=0;t={refused.headers["retry-after"]}'
    assert refused.headers["ratelimit-policy"] == '"default";q=3;w=60'


async def test_the_environment_sets_the_limit_and_the_store(redis_url: str) -> None:
    assert rate_limits({}) is None  # the spec's own
    assert rate_limits({"PROMPT_LIBRARY_RATE_LIMIT": "off"}) == RateLimits(enabled=False)
    assert rate_limits({"PROMPT_LIBRARY_RATE_LIMIT": "5/second"}) == RateLimits(default=Limit(5, 1))
    shared = rate_limits({"PROMPT_LIBRARY_REDIS_URL": redis_url})
    assert shared is not None and shared.default is None and shared.store is not None
    await shared.store.aclose()


async def test_instances_share_a_limit_through_redis(database_url: str, redis_url: str) -> None:
    env = {"PROMPT_LIBRARY_RATE_LIMIT": "2/minute", "PROMPT_LIBRARY_REDIS_URL": redis_url}
    apps = [build_app(database_url, rate_limits=rate_limits(env)) for _ in range(2)]
    async with lifespan(apps[0]), lifespan(apps[1]):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://t")
            for a in apps
        ]
        async with clients[0], clients[1]:
            # a fresh key space per run: the policy name is shared, the principal is ours
            await clients[0].get("/prompts", headers=RW)
            statuses = [(await c.get("/prompts", headers=RW)).status_code for c in clients]
    assert 429 in statuses
