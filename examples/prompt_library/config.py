"""Where the data lives, from the environment.

* `DATABASE_URL` set: PostgreSQL (or any SQLAlchemy async URL). `postgres://` and
  `postgresql://` URLs get the asyncpg driver (`postgresql+asyncpg://`).
* Otherwise SQLite at `PROMPT_LIBRARY_DB` (default `prompt-library.sqlite3`, relative to
  the working directory; `:memory:` for a throwaway database).
* `PROMPT_LIBRARY_CURSOR_SECRET`: the key that makes pagination cursors tamper-evident.
  The built-in default detects edited cursors; set a secret so they cannot be forged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy.engine import URL, make_url

__all__ = ["DEFAULT_SQLITE_PATH", "cursor_secret", "database_url", "sqlite_url"]

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
