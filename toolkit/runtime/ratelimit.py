"""Rate limits: a token bucket per client and policy, answered as 429 with `Retry-After` and
the IETF `RateLimit` / `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers-09).

Where the limits come from (most specific first; `Settings.rate_limits` before the spec at
each level):
1. the operation: `RateLimits.operations[operationId]`, or `x-ctk-rate-limit` on the
   operation object, as its own bucket (policy name: the operationId);
2. a tag: `RateLimits.tags[tag]`, or `x-ctk-rate-limit` on the tag object in `tags`, one
   bucket shared by every operation of that tag (policy name: the tag);
3. the API: `RateLimits.default`, or `x-ctk-rate-limit` at the document root, one bucket
   shared by every other operation (policy name: `default`).
A limit is written `"600/minute"`, `"10/second"`, `"5000/hour"`, `"100/10s"`; `false` (or
`"off"`) at a level exempts what it covers. The spec's limits are part of the contract, so a
generated app enforces them unless its settings say otherwise (`RateLimits(enabled=False)`).

A bucket holds `quota` tokens and refills at `quota / window` per second, so a client may
burst the whole quota, then goes on at the average rate. The client is the principal (its
subject) on secured operations, else the peer address (`scope["client"]`: behind a proxy,
let the server set it from forwarded headers, e.g. uvicorn's `--proxy-headers`). Security is
checked first: a request refused 401/403 takes no token.

Buckets live in the process (`MemoryStore`) unless a `RedisStore` is given, which several
instances share; a Redis that cannot be reached lets requests through (logged), since
refusing all traffic because a limiter is down is the worse failure.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from toolkit.pointer import deref, escape
from toolkit.rate_limit import EXTENSION, Limit, parse_extension

__all__ = ["Limit", "Limiter", "MemoryStore", "RateLimits", "RedisStore", "Store"]

from .operation import Operation, OperationError

_log = logging.getLogger("ctk.runtime")


class Store(Protocol):
    async def take(self, key: str, limit: Limit) -> tuple[bool, float]:
        """Take one token from `key`'s bucket: (taken, tokens left afterwards)."""
        ...

    async def aclose(self) -> None:
        """Release connections (app shutdown)."""
        ...


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Deployment settings over the spec's `x-ctk-rate-limit` (see the module docstring).
    A `None` limit in `operations` or `tags` exempts that operation or tag; `default=False`
    exempts everything the spec limits only at its root."""

    default: Limit | Literal[False] | None = None
    operations: Mapping[str, Limit | None] = field(default_factory=dict)
    tags: Mapping[str, Limit | None] = field(default_factory=dict)
    key: Literal["principal", "ip"] = "principal"  # "ip": by peer address even when signed in
    store: Store | None = None  # None: buckets in this process
    enabled: bool = True  # False: no limits at all, whatever the spec says
    spec: bool = True  # False: ignore the spec's x-ctk-rate-limit


class MemoryStore:
    """Buckets in a dict, for one process. Full buckets are dropped now and then (a missing
    bucket is a full one), so memory follows the clients seen within a window."""

    __slots__ = ("_buckets", "_clock", "_next_sweep", "_sweep_at")

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._buckets: dict[str, tuple[float, float, Limit]] = {}
        self._clock = clock
        self._sweep_at = 10_000
        self._next_sweep = clock() + 60.0

    async def take(self, key: str, limit: Limit) -> tuple[bool, float]:
        now = self._clock()
        rate = limit.quota / limit.window
        found = self._buckets.get(key)
        tokens = float(limit.quota) if found is None else found[0] + (now - found[1]) * rate
        tokens = min(float(limit.quota), tokens)
        taken = tokens >= 1.0
        if taken:
            tokens -= 1.0
        self._buckets[key] = (tokens, now, limit)
        if len(self._buckets) >= self._sweep_at or now >= self._next_sweep:
            self._sweep(now)
        return taken, tokens

    async def aclose(self) -> None:
        self._buckets.clear()

    def _sweep(self, now: float) -> None:
        full = [
            key
            for key, (tokens, stamp, limit) in self._buckets.items()
            if tokens + (now - stamp) * limit.quota / limit.window >= limit.quota
        ]
        for key in full:
            del self._buckets[key]
        self._sweep_at = max(10_000, 2 * len(self._buckets))
        self._next_sweep = now + 60.0


# One round trip, atomic, on Redis' own clock (instances' clocks may disagree). Tokens are
# returned as a string: Redis truncates Lua numbers to integers.
_TAKE = """
local quota = tonumber(ARGV[1])
local rate = quota / tonumber(ARGV[2])
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1])
if tokens == nil then
  tokens = quota
else
  tokens = math.min(quota, tokens + math.max(0, now - tonumber(state[2])) * rate)
end
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((quota - tokens) / rate * 1000) + 1000)
return {taken, tostring(tokens)}
"""


class RedisStore:
    """Buckets in Redis (`redis://127.0.0.1:6379/0`), shared by every instance of the app.
    Needs the `redis` extra. Keys are `<prefix><policy>:<client>` hashes that expire once
    full again."""

    def __init__(self, url: str, *, prefix: str = "ctk:rate:", timeout: float = 0.5) -> None:
        import redis.asyncio as redis  # the `redis` extra: imported only when used

        self.url = url
        self._prefix = prefix
        self._client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._script = self._client.register_script(_TAKE)
        self._warned = 0.0

    async def take(self, key: str, limit: Limit) -> tuple[bool, float]:
        try:
            taken, tokens = await self._script(
                keys=[self._prefix + key], args=[limit.quota, limit.window]
            )
        except Exception as exc:  # redis down or slow: let the request through, say so
            now = time.monotonic()
            if now - self._warned > 10:
                self._warned = now
                _log.warning("rate limits not applied: Redis at %s failed: %s", self.url, exc)
            return True, float(limit.quota)
        return bool(taken), float(tokens)

    async def aclose(self) -> None:
        await self._client.aclose()

    def check(self) -> None:
        """Raise `OperationError` unless Redis answers now (called at startup)."""
        import redis

        try:
            with redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2) as r:
                r.ping()
        except Exception as exc:
            raise OperationError(
                f"rate limits: cannot reach Redis at {self.url}: {exc}",
                hint="start Redis, or fix the URL (redis://HOST:PORT/DB)",
            ) from None


@dataclass(frozen=True, slots=True)
class _Policy:
    name: str
    limit: Limit
    policy_field: bytes  # `RateLimit-Policy`, the same on every answer


class Bucket:
    """One operation's limit, compiled: `take` answers the `RateLimit` lines for a reply,
    or the headers of a 429 problem (`refused`)."""

    __slots__ = ("_by_ip", "_policy", "_rate", "_store")

    def __init__(self, policy: _Policy, store: Store, by_ip: bool) -> None:
        self._policy = policy
        self._store = store
        self._by_ip = by_ip
        self._rate = policy.limit.quota / policy.limit.window

    @property
    def name(self) -> str:
        return self._policy.name

    async def take(
        self, subject: str | None, client: Any
    ) -> tuple[list[tuple[bytes, bytes]], dict[str, str] | None]:
        """(header lines for the reply, None) or ([], headers of the 429 answer)."""
        if subject is None or self._by_ip:
            who = f"ip:{client[0]}" if client else "ip:?"
        else:
            who = f"sub:{subject}"
        policy = self._policy
        taken, tokens = await self._store.take(f"{policy.name}:{who}", policy.limit)
        if taken:
            reset = math.ceil((policy.limit.quota - tokens) / self._rate)
            state = f'"{policy.name}";r={int(tokens)};t={reset}'.encode()
            return [(b"ratelimit-policy", policy.policy_field), (b"ratelimit", state)], None
        wait = max(1, math.ceil((1.0 - tokens) / self._rate))
        return [], {
            "Retry-After": str(wait),
            "RateLimit-Policy": policy.policy_field.decode(),
            "RateLimit": f'"{policy.name}";r=0;t={wait}',
        }

    def refusal(self, headers: Mapping[str, str]) -> str:
        limit = self._policy.limit
        return (
            f"rate limit of {limit.quota} requests per {limit.window_words} exceeded; "
            f"retry in {headers['Retry-After']} s"
        )


def spec_limit(value: Any, where: str) -> Limit | None:
    """An `x-ctk-rate-limit` value: a limit, or None for `false` / `"off"`."""
    try:
        return parse_extension(value)
    except ValueError as exc:
        raise OperationError.at(where, f"{EXTENSION}: {exc}") from None


_UNSET = object()


class Limiter:
    """Every operation's bucket, decided once at startup from the settings and the spec."""

    def __init__(self, document: Mapping[str, Any], limits: RateLimits | None) -> None:
        limits = limits or RateLimits()
        self._limits = limits
        self._document = document
        self._store: Store = limits.store or MemoryStore()
        self._tag_limits: dict[str, Any] = {}
        self._root: Any = _UNSET
        if limits.spec:
            tags = document.get("tags")
            for index, tag in enumerate(tags if isinstance(tags, list) else ()):
                if isinstance(tag, Mapping) and EXTENSION in tag:
                    self._tag_limits[str(tag.get("name"))] = spec_limit(
                        tag[EXTENSION], f"/tags/{index}/{EXTENSION}"
                    )
            if EXTENSION in document:
                self._root = spec_limit(document[EXTENSION], f"/{EXTENSION}")
        self._policies: dict[str, _Policy] = {}
        # operationId → (policy name, limit) for every limited operation, in order
        self.decided: dict[str, tuple[str, Limit]] = {}

    @property
    def store(self) -> Store:
        return self._store

    async def aclose(self) -> None:
        await self._store.aclose()

    def bucket(self, op: Operation) -> Bucket | None:
        """The bucket `op` takes from, or None when it is not limited."""
        limits = self._limits
        if not limits.enabled:
            return None
        name, limit = self._decide(op)
        if limit is None:
            return None
        policy = self._policies.get(name)
        if policy is None or policy.limit != limit:
            field_value = f'"{name}";q={limit.quota};w={limit.window}'.encode()
            policy = self._policies.setdefault(name, _Policy(name, limit, field_value))
            if policy.limit != limit:  # one name, two limits: keep the buckets apart
                policy = _Policy(f"{name}:{op.id}", limit, field_value)
        self.decided[op.id] = (policy.name, limit)
        return Bucket(policy, self._store, limits.key == "ip")

    def _decide(self, op: Operation) -> tuple[str, Limit | None]:
        limits = self._limits
        if op.id in limits.operations:
            return op.id, limits.operations[op.id]
        if limits.spec:
            found = self._operation_extension(op)
            if found is not _UNSET:
                return op.id, found
        for tag in op.tags:
            if tag in limits.tags:
                return tag, limits.tags[tag]
            if tag in self._tag_limits:
                return tag, self._tag_limits[tag]
        if limits.default is not None:
            return "default", limits.default or None
        return "default", None if self._root is _UNSET else self._root

    def _operation_extension(self, op: Operation) -> Any:
        paths = self._document.get("paths")
        item = paths.get(op.path) if isinstance(paths, Mapping) else None
        item = deref(self._document, item) if isinstance(item, Mapping) else None
        data = item.get(op.method.lower()) if isinstance(item, Mapping) else None
        if not isinstance(data, Mapping) or EXTENSION not in data:
            return _UNSET
        where = f"/paths/{escape(op.path)}/{op.method.lower()}/{EXTENSION}"
        return spec_limit(data[EXTENSION], where)
