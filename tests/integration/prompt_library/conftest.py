"""The reference service on a temporary SQLite file, in-process, with every response checked
against the contract (`validate_responses=True`).

Set `PROMPT_LIBRARY_TEST_DATABASE_URL` (e.g. `postgresql+asyncpg://postgres@127.0.0.1/prompts`)
to run the same tests on PostgreSQL instead; each test then starts from an empty `public`
schema of that database, so never point it at one whose data you want to keep.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

# `examples` and `generated` live at the project root, which pytest puts on sys.path only
# for test packages under tests/ (this folder's parent is not one).
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from examples.prompt_library import PromptLibraryApp, create_app, create_service  # noqa: E402
from examples.prompt_library.auth import load_verifier  # noqa: E402
from examples.prompt_library.db import create_engine  # noqa: E402
from toolkit.runtime import RateLimits, Settings  # noqa: E402

# Three keys: both scopes, read only, write only.
KEYS = "rw-key=prompts:read prompts:write;ro-key=prompts:read;wo-key=prompts:write"
RW = {"X-API-Key": "rw-key"}
RO = {"X-API-Key": "ro-key"}
WO = {"X-API-Key": "wo-key"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    shared = os.environ.get("PROMPT_LIBRARY_TEST_DATABASE_URL")
    if not shared:
        return f"sqlite+aiosqlite:///{tmp_path / 'prompts.sqlite3'}"
    asyncio.run(_empty_postgres(shared))
    return shared


async def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await engine.dispose()


def build_app(database_url: str, **settings: Any) -> PromptLibraryApp:
    """The service with its responses validated; rate limits off unless `rate_limits=` is
    given (tests and fuzzing send far more than 600 requests a minute)."""
    options: dict[str, Any] = {
        "validate_responses": True,
        "access_log": False,
        "metrics": False,
        "rate_limits": RateLimits(enabled=False),
    }
    options.update(settings)
    return create_app(
        create_service(database_url),
        verifier=load_verifier({"PROMPT_LIBRARY_API_KEYS": KEYS}),
        settings=Settings(**options),
    )


@asynccontextmanager
async def lifespan(app: PromptLibraryApp) -> AsyncIterator[None]:
    """Drive the ASGI lifespan protocol the way a server does: startup, then shutdown."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, to_app.get, from_app.put)
    )
    await to_app.put({"type": "lifespan.startup"})
    assert (await from_app.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        assert (await from_app.get())["type"] == "lifespan.shutdown.complete"
        await task


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[PromptLibraryApp]:
    application = build_app(database_url)
    async with lifespan(application):
        yield application


@pytest.fixture
async def client(app: PromptLibraryApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://prompts.test") as http:
        yield http
