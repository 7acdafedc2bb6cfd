"""The complete app: the generated routes around the service, the API-key verifier, the
readiness check on the database, and a lifespan that migrates at startup and closes the
connection pool at shutdown."""

from __future__ import annotations

import contextlib
import dataclasses
import logging

from generated.prompt_library import create_app as create_generated_app
from toolkit.runtime import ASGIApp, Settings, Verifier
from toolkit.runtime._asgi import Message, Receive, Scope, Send

from .auth import load_verifier
from .config import cursor_secret, database_url, rate_limits
from .cursor import CursorCodec
from .db import create_engine
from .handlers import PromptLibraryService
from .store import PromptStore

__all__ = ["PromptLibraryApp", "create_app", "create_service"]

_log = logging.getLogger(__name__)


def create_service(database_url: str | None = None) -> PromptLibraryService:
    """A service on `database_url` (a SQLAlchemy URL such as `sqlite+aiosqlite:///prompts.db`
    or `postgresql+asyncpg://user@host/db`), or on the database the environment names. No
    connection is made until the first request (or `await service.store.migrate()`)."""
    url = database_url or _env_database_url()
    return PromptLibraryService(PromptStore(create_engine(url)), CursorCodec(cursor_secret()))


def _env_database_url() -> str:
    return database_url().render_as_string(hide_password=False)


class _StartupFailedError(Exception):
    pass


class PromptLibraryApp:
    """An ASGI app: the runtime's, with the database's life cycle hooked to its lifespan."""

    def __init__(self, inner: ASGIApp, service: PromptLibraryService) -> None:
        self.inner = inner
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.inner(scope, receive, send)
            return

        async def receive_hooked() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.service.store.migrate()
                except Exception as exc:
                    _log.exception("could not prepare the database")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    raise _StartupFailedError from exc
            return message

        async def send_hooked(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                await self.service.aclose()
            await send(message)

        with contextlib.suppress(_StartupFailedError):
            await self.inner(scope, receive_hooked, send_hooked)


def create_app(
    service: PromptLibraryService | None = None,
    *,
    verifier: Verifier | None = None,
    settings: Settings | None = None,
) -> PromptLibraryApp:
    """The full app. Defaults: the service from `create_service()`, the verifier from
    `PROMPT_LIBRARY_API_KEYS` (see `auth.py`), rate limits from `PROMPT_LIBRARY_RATE_LIMIT`
    and `PROMPT_LIBRARY_REDIS_URL` (see `config.py`), the runtime's default `Settings`."""
    service = service or create_service()
    settings = settings or Settings(rate_limits=rate_limits())
    settings = dataclasses.replace(
        settings,
        verifier=verifier or load_verifier(),
        ready=service.store.ping,
    )
    return PromptLibraryApp(create_generated_app(service, settings=settings), service)
