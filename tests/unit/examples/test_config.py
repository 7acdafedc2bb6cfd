"""Database and cursor settings from the environment."""

from __future__ import annotations

from examples.prompt_library.config import cursor_secret, database_url
from examples.prompt_library.ids import new_ulid


def test_sqlite_by_default() -> None:
    url = database_url({})
    assert url.drivername == "sqlite+aiosqlite"
    assert url.database == "prompt-library.sqlite3"
    assert database_url({"PROMPT_LIBRARY_DB": ":memory:"}).database == ":memory:"
    assert database_url({"DATABASE_URL": "  "}).drivername == "sqlite+aiosqlite"


def test_postgres_urls_get_the_async_driver() -> None:
    for scheme in ("postgres", "postgresql"):
        url = database_url({"DATABASE_URL": f"{scheme}://u:p@db:5432/prompts"})
        assert url.drivername == "postgresql+asyncpg"
        assert (url.host, url.database, url.password) == ("db", "prompts", "p")
    explicit = database_url({"DATABASE_URL": "postgresql+psycopg://db/prompts"})
    assert explicit.drivername == "postgresql+psycopg"


def test_cursor_secret() -> None:
    assert cursor_secret({"PROMPT_LIBRARY_CURSOR_SECRET": "s3"}) == b"s3"
    assert cursor_secret({}) == cursor_secret({"PROMPT_LIBRARY_CURSOR_SECRET": ""})


def test_ulids() -> None:
    ids = {new_ulid() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 26 and set(i) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for i in ids)
    assert new_ulid(0).startswith("0000000000")
    assert new_ulid(2**48 - 1).startswith("7ZZZZZZZZZ")
    assert new_ulid(1) < new_ulid(2)
