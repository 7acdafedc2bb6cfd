"""Concurrent writes on SQLite (issue 11 item 14): writers queue fairly in the process, and a
write that still finds the database locked answers 503 with Retry-After, never 500."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest

import examples.prompt_library.db as db

from .conftest import RW, build_app, lifespan

pytestmark = pytest.mark.anyio


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'prompts.sqlite3'}"


async def test_concurrent_creates_all_succeed_even_with_a_short_busy_timeout(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 creates at once over the connection pool: with SQLite's unfair busy retry and a
    100 ms timeout, racing writers starved (`database is locked`, 500); queued, none does."""
    monkeypatch.setattr(db, "_SQLITE_BUSY_TIMEOUT_MS", 100)
    app = build_app(sqlite_url, validate_responses=False)
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

            async def create(i: int) -> int:
                body = {"name": f"p{i}", "template": "Say hello. " * 50}
                response = await client.post("/prompts", json=body, headers=RW)
                return response.status_code

            statuses = await asyncio.gather(*(create(i) for i in range(40)))
    assert statuses.count(201) == 40, sorted(set(statuses))


async def test_a_write_still_locked_after_the_timeout_is_a_503(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "_SQLITE_BUSY_TIMEOUT_MS", 100)
    app = build_app(sqlite_url)
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            other = sqlite3.connect(tmp_path / "prompts.sqlite3", isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            try:
                body = {"name": "held", "template": "x"}
                response = await client.post("/prompts", json=body, headers=RW)
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == "1"
            assert response.json()["type"] == "https://prompts.example.com/problems/busy"
            again = await client.post("/prompts", json=body, headers=RW)
            assert again.status_code == 201
