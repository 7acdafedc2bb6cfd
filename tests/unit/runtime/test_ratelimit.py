"""Rate limits (issue 11 item 12): a token bucket per client and policy, from the spec's
`x-ctk-rate-limit` or `Settings.rate_limits`; 429 with `Retry-After` and the IETF
`RateLimit` / `RateLimit-Policy` fields."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from toolkit.runtime import OperationError, Settings
from toolkit.runtime.ratelimit import Limit, MemoryStore, RateLimits

from .conftest import KEYS, SPEC, MakeClient, assert_problem

pytestmark = pytest.mark.anyio


def _spec(**where: Any) -> dict[str, Any]:
    """SPEC with `x-ctk-rate-limit` at the root (`root=`), on tags, or on operations."""
    doc = copy.deepcopy(SPEC)
    if "root" in where:
        doc["x-ctk-rate-limit"] = where["root"]
    for path, method, value in where.get("ops", ()):
        doc["paths"][path][method]["x-ctk-rate-limit"] = value
    for path, method, tag in where.get("tagged", ()):
        doc["paths"][path][method]["tags"] = [tag]
    if "tags" in where:
        doc["tags"] = [{"name": n, "x-ctk-rate-limit": v} for n, v in where["tags"].items()]
    return doc


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("600/minute", Limit(600, 60)),
        ("10/second", Limit(10, 1)),
        ("5000/hours", Limit(5000, 3600)),
        ("100/10s", Limit(100, 10)),
        (" 7 / day ", Limit(7, 86400)),
        ("100/s", Limit(100, 1)),
        ("50/5min", Limit(50, 300)),
        ("3/2h", Limit(3, 7200)),
    ],
)
def test_limits_parse(text: str, limit: Limit) -> None:
    assert Limit.parse(text) == limit


@pytest.mark.parametrize("text", ["600", "600/fortnight", "x/minute", "0/minute", "5/0s"])
def test_bad_limits_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="rate limit"):
        Limit.parse(text)


async def test_no_limit_without_spec_or_settings(make_client: MakeClient) -> None:
    client = make_client()
    for _ in range(5):
        response = await client.get("/public")
        assert response.status_code == 200
        assert "ratelimit" not in response.headers


async def test_the_spec_limit_answers_429_with_the_ietf_fields(make_client: MakeClient) -> None:
    client = make_client(spec=_spec(root="3/minute"))
    for remaining in (2, 1, 0):
        response = await client.get("/public")
        assert response.status_code == 200
        assert response.headers["ratelimit-policy"] == '"default";q=3;w=60'
        assert response.headers["ratelimit"].startswith(f'"default";r={remaining};t=')
    refused = await client.get("/public")
    body = assert_problem(refused, 429)
    assert "rate limit of 3 requests per minute exceeded" in body["detail"]
    # one token comes back every 20 s
    assert refused.headers["retry-after"] in ("19", "20")
    assert refused.headers["ratelimit"] == f'"default";r=0;t={refused.headers["retry-after"]}'
    assert refused.headers["ratelimit-policy"] == '"default";q=3;w=60'


async def test_the_default_bucket_is_shared_by_every_operation(make_client: MakeClient) -> None:
    client = make_client(spec=_spec(root="2/minute"))
    assert (await client.get("/public")).status_code == 200
    assert (await client.get("/items")).status_code == 200
    assert (await client.get("/items/7")).status_code == 429


async def test_operation_and_tag_limits_have_their_own_buckets(make_client: MakeClient) -> None:
    spec = _spec(
        root="1/minute",
        ops=[("/items/{item_id}", "get", "2/minute"), ("/items", "get", False)],
        tagged=[("/public", "get", "open"), ("/text", "get", "open")],
        tags={"open": "3/minute"},
    )
    client = make_client(spec=spec)
    for _ in range(5):  # exempt
        assert "ratelimit" not in (await client.get("/items")).headers
    statuses = [(await client.get("/items/7")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    tagged = [(await client.get(p)) for p in ("/public", "/text", "/public", "/text")]
    assert [r.status_code for r in tagged] == [200, 200, 200, 429]
    assert tagged[0].headers["ratelimit-policy"] == '"open";q=3;w=60'
    # the default bucket is still full
    assert (await client.get("/items/me")).headers["ratelimit-policy"] == '"default";q=1;w=60'


async def test_settings_override_the_spec(make_client: MakeClient) -> None:
    limits = RateLimits(default=Limit(1, 60), operations={"public": Limit(5, 1)})
    client = make_client(Settings(verifier=KEYS, rate_limits=limits), spec=_spec(root="100/s"))
    assert (await client.get("/public")).headers["ratelimit-policy"] == '"public";q=5;w=1'
    assert (await client.get("/items")).status_code == 200
    assert (await client.get("/items")).status_code == 429
    off = make_client(
        Settings(verifier=KEYS, rate_limits=RateLimits(enabled=False)), spec=_spec(root="1/day")
    )
    assert [(await off.get("/items")).status_code for _ in range(3)] == [200, 200, 200]


async def test_each_principal_has_its_own_bucket(make_client: MakeClient) -> None:
    client = make_client(spec=_spec(root="1/minute"))
    alice, bob = {"X-API-Key": "k-123"}, {"Authorization": "Bearer tok-rw"}
    assert (await client.get("/secure/header", headers=alice)).status_code == 200
    assert (await client.get("/secure/bearer", headers=bob)).status_code == 200
    assert (await client.get("/secure/header", headers=alice)).status_code == 429
    # a refused credential takes no token: 401, not 429
    assert (await client.get("/secure/header", headers={"X-API-Key": "nope"})).status_code == 401


async def test_by_ip_every_principal_of_one_address_shares(make_client: MakeClient) -> None:
    limits = RateLimits(default=Limit(1, 60), key="ip")
    client = make_client(Settings(verifier=KEYS, rate_limits=limits))
    assert (await client.get("/secure/header", headers={"X-API-Key": "k-123"})).status_code == 200
    bob = {"Authorization": "Bearer tok-rw"}
    assert (await client.get("/secure/bearer", headers=bob)).status_code == 429


async def test_the_bucket_refills_at_the_average_rate() -> None:
    now = [0.0]
    store = MemoryStore(clock=lambda: now[0])
    limit = Limit(2, 10)  # one token every 5 s
    assert [(await store.take("k", limit))[0] for _ in range(3)] == [True, True, False]
    now[0] = 4.9
    assert (await store.take("k", limit))[0] is False
    now[0] = 9.9  # 0.98 tokens at 4.9, one more by 9.9
    taken, left = await store.take("k", limit)
    assert taken and left == pytest.approx(0.98)
    now[0] = 1000.0  # never more than the quota
    assert (await store.take("k", limit))[1] == pytest.approx(1.0)


async def test_full_buckets_are_swept() -> None:
    now = [0.0]
    store = MemoryStore(clock=lambda: now[0])
    for i in range(10_000):
        await store.take(f"client-{i}", Limit(1, 1))
    now[0] = 61.0  # a minute on, every one of them is full again
    await store.take("late", Limit(1, 1))
    assert len(store._buckets) <= 1


@pytest.mark.parametrize(
    ("where", "value", "pointer"),
    [
        ({"root": "lots"}, "lots", "/x-ctk-rate-limit"),
        ({"root": 600}, 600, "/x-ctk-rate-limit"),
        ({"tags": {"t": "1/eon"}}, "1/eon", "/tags/0/x-ctk-rate-limit"),
        ({"ops": [("/items", "get", "3")]}, "3", "/paths/~1items/get/x-ctk-rate-limit"),
    ],
)
async def test_a_bad_spec_limit_fails_at_startup(
    make_client: MakeClient, where: dict[str, Any], value: Any, pointer: str
) -> None:
    with pytest.raises(OperationError) as caught:
        make_client(spec=_spec(**where))
    assert caught.value.location is not None
    assert caught.value.location.pointer == pointer


async def test_error_answers_of_a_limited_operation_say_the_state_too(
    make_client: MakeClient,
) -> None:
    client = make_client(spec=_spec(root="5/minute"))
    invalid = await client.get("/items", params={"limit": "0"})  # below the minimum
    assert invalid.status_code == 400
    assert invalid.headers["ratelimit"].startswith('"default";r=4;')
    failed = await client.get("/fail")  # the handler raises
    assert failed.status_code == 500
    assert failed.headers["ratelimit"].startswith('"default";r=3;')
