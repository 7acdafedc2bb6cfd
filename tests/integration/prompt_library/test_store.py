"""The database layer: SQLite set-up, migrations, readiness, lifespan failures."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from examples.prompt_library import create_app, create_service
from examples.prompt_library.db import create_engine, migrate

from .conftest import RW, build_app, lifespan

pytestmark = pytest.mark.anyio


async def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        assert await migrate(engine) == 1
        assert await migrate(engine) == 1  # nothing left to apply
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
    finally:
        await engine.dispose()
    with sqlite3.connect(tmp_path / "db.sqlite3") as raw:
        tables = {
            row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        applied = raw.execute("SELECT version FROM schema_migrations").fetchall()
    assert {"prompts", "prompt_tags", "prompt_versions", "idempotency_keys"} <= tables
    assert applied == [(1,)]


async def test_a_memory_database_serves_concurrent_requests() -> None:
    # One shared connection: units of work must take turns, not interleave.
    app = build_app("sqlite+aiosqlite:///:memory:")
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=RW) as http:
            created = await asyncio.gather(
                *(http.post("/prompts", json={"name": f"p{i}", "template": "x"}) for i in range(8))
            )
            assert [r.status_code for r in created] == [201] * 8
            page = (await http.get("/prompts")).json()
            assert len(page["items"]) == 8


async def test_an_unreachable_database_is_not_ready_and_fails_startup(tmp_path: Path) -> None:
    before = set(threading.enumerate())
    service = create_service(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite3'}")
    assert not await service.store.ping()
    app = create_app(service)
    sent: list[dict[str, Any]] = []
    messages = iter([{"type": "lifespan.startup"}])

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.failed"]
    assert "unable to open database file" in sent[0]["message"]
    await service.aclose()
    # After a failed connect aiosqlite stops its worker thread without awaiting it; the
    # thread then reports to this test's event loop, which must still be open.
    deadline = time.monotonic() + 5
    while any(t.is_alive() for t in set(threading.enumerate()) - before):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)
