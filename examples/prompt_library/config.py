"""Where the data lives, from the environment.

* `DATABASE_URL` set: PostgreSQL (or any SQLAlchemy async URL). `postgres://` and
  `postgresql://` URLs get the asyncpg driver (`postgresql+asyncpg://`).
* Otherwise SQLite at `PROMPT_LIBRARY_DB` (default `prompt-library.sqlite3`, relative to
  the working directory; `:memory:` for a throwaway database).
* `PROMPT_LIBRARY_CURSOR_SECRET`: the key that makes pagination cursors tamper-evident.
  The built-in default detects edited cursors; set a secret so they cannot be forged.
* `PROMPT_LIBRARY_RATE_LIMIT`: the per-client limit over the spec's `x-ctk-rate-limit`
  (`600/minute`): another limit such as `100/minute`, or `off`.
* `PROMPT_LIBRARY_REDIS_URL`: keep the rate-limit buckets in this Redis
  (`redis://127.0.0.1:6379/0`), shared by every instance; default: in each process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy.engine import URL, make_url

from toolkit.runtime import Limit, RateLimits, RedisStore

__all__ = ["DEFAULT_SQLITE_PATH", "cursor_secret", "database_url", "rate_limits", "sqlite_url"]

DEFAULT_SQLITE_PATH = "prompt-library.sqlite3"
_DEFAULT_CURSOR_SECRET = b"prompt-library: cursors are tamper-evident, not secret"


def sqlite_url(path: str) -> URL:
    return URL.create("sqlite+aiosqlite", database=path)


def database_url(env: Mapping[str, str] | None = None) -> URL:
    env = os.environ if env is None else env
    configured = env.get("DATABASE_URL", "").strip()
    if not configured:
        return sqlite_url(env.get("PROMPT_LIBRARY_DB") or DEFAULT_SQLITE_PATH)
    url = make_url(configured)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+asyncpg")
    return url


def cursor_secret(env: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    configured = env.get("PROMPT_LIBRARY_CURSOR_SECRET")
    return configured.encode("utf-8") if configured else _DEFAULT_CURSOR_SECRET


def rate_limits(env: Mapping[str, str] | None = None) -> RateLimits | None:
    """The deployment's rate limits, or None for the spec's own (600/minute, in memory)."""
    env = os.environ if env is None else env
    limit = env.get("PROMPT_LIBRARY_RATE_LIMIT", "").strip()
    redis_url = env.get("PROMPT_LIBRARY_REDIS_URL", "").strip()
    if not limit and not redis_url:
        return None
    if limit.lower() == "off":
        return RateLimits(enabled=False)
    store = RedisStore(redis_url) if redis_url else None
    if store is not None:
        store.check()
    return RateLimits(default=Limit.parse(limit) if limit else None, store=store)
