"""Provider states for the consumers' pacts (`ctk contract verify`), on the same service
object the verified app runs: `examples.prompt_library.service`.

    ctk contract verify contracts/ --impl examples.prompt_library:service \\
        --states examples.prompt_library.states \\
        --verifier examples.prompt_library.states:dev_verifier

Every state is set up on an empty database and emptied again at teardown, so each
interaction starts from an empty store. Handlers are async and run on the app's event loop
(they share its connection pool). Verification empties the database: unless
`PROMPT_LIBRARY_DB` or `DATABASE_URL` names one, importing this module points the service
at a throwaway in-memory SQLite database (one connection shared by every unit of work, see
`db.py`), and a handler refuses to run on the default development file.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete

from generated.prompt_library import models
from toolkit.runtime import Principal, RequestContext, StaticKeys
from toolkit.verify.contract import provider_state

from .auth import DEV_KEYS, load_verifier, subject_for
from .config import DEFAULT_SQLITE_PATH
from .content import normalize_variable
from .db import idempotency_keys, prompt_tags, prompt_versions, prompts
from .handlers import PromptLibraryService
from .ids import new_ulid
from .records import VersionRecord

__all__ = ["DEV_KEY", "dev_verifier"]

DEV_KEY = "dev-key"  # the key the consumers' pacts send as X-API-Key
GREETING = "Say hello to {{who}}."
_PREPARED: weakref.WeakSet[PromptLibraryService] = weakref.WeakSet()  # emptied once already

if not (os.environ.get("DATABASE_URL") or os.environ.get("PROMPT_LIBRARY_DB")):
    os.environ["PROMPT_LIBRARY_DB"] = ":memory:"


def dev_verifier() -> StaticKeys:
    """`--verifier`: the development key only, whatever `PROMPT_LIBRARY_API_KEYS` says, so
    the pacts' `X-API-Key: dev-key` is the principal the states create data as."""
    return load_verifier({"PROMPT_LIBRARY_API_KEYS": DEV_KEYS})


@provider_state("prompts exist")
async def prompts_exist(count: int) -> AsyncIterator[dict[str, Any]]:
    """`count` prompts, one second apart; `cursor` is the listing's second page (limit 2)."""
    service = await _service()
    start = datetime.now(UTC) - timedelta(seconds=count)
    for number in range(count):
        at = _with_fraction(start + timedelta(seconds=number))
        await _create(service, new_ulid(), f"prompt-{number + 1}", at)
    page = await service.list_prompts(limit=2, context=_context("listPrompts"))
    assert isinstance(page, models.PromptPage)
    yield {"cursor": page.next_cursor}
    await _empty(service)


@provider_state("a prompt with id {id} exists")
async def prompt_exists(id: str, name: str = "greeting") -> AsyncIterator[None]:
    """Revision 1 of `id`: the greeting template, one required variable, no tags."""
    service = await _service()
    await _create(service, id, name, _with_fraction(datetime.now(UTC)))
    yield
    await _empty(service)


@provider_state("no prompt with id {id} exists")
async def no_prompt(id: str) -> AsyncIterator[None]:
    service = await _service()
    async with service.store.write() as tx:
        await tx.delete_prompt(id)
    yield
    await _empty(service)


@provider_state("a prompt was created with Idempotency-Key {key}")
async def created_with_key(key: str, body: dict[str, Any]) -> AsyncIterator[None]:
    """The create the pact replays, made through the service as the dev key's principal,
    so the replay finds the stored response."""
    service = await _service()
    request = models.PromptCreate.model_validate(body)
    await service.create_prompt(idempotency_key=key, body=request, context=_context("createPrompt"))
    yield
    await _empty(service)


@provider_state("")
async def no_state() -> AsyncIterator[None]:
    """Interactions that name no state start empty and leave nothing behind."""
    service = await _service()
    yield
    await _empty(service)


async def _service() -> PromptLibraryService:
    """The app's service, migrated; emptied the first time (teardowns keep it empty, and
    an interaction with two states must not lose the first one's data to the second)."""
    from examples import prompt_library

    service = prompt_library.service
    database = service.store.engine.url.database
    explicit = os.environ.get("PROMPT_LIBRARY_DB") or os.environ.get("DATABASE_URL")
    if database == DEFAULT_SQLITE_PATH and not explicit:
        raise RuntimeError(
            f"refusing to empty the development database {DEFAULT_SQLITE_PATH}; "
            "set PROMPT_LIBRARY_DB (e.g. :memory:) for verification"
        )
    await service.store.migrate()
    if service not in _PREPARED:
        await _empty(service)
        _PREPARED.add(service)
    return service


def _with_fraction(moment: datetime) -> datetime:
    """The service leaves out a zero fraction of a second; a time a state writes always has
    one, so a pact can match it with one fixed datetime format."""
    return moment if moment.microsecond else moment.replace(microsecond=1)


async def _empty(service: PromptLibraryService) -> None:
    async with service.store.write() as tx:
        for table in (prompt_tags, prompt_versions, idempotency_keys, prompts):
            await tx.connection.execute(delete(table))


async def _create(service: PromptLibraryService, prompt_id: str, name: str, at: datetime) -> None:
    variables = (normalize_variable({"name": "who", "required": True}),)
    first = VersionRecord(
        prompt_id=prompt_id,
        version=1,
        template=GREETING,
        variables=variables,
        changelog=None,
        created_at=at,
        created_by=subject_for(DEV_KEY),
    )
    async with service.store.write() as tx:
        await tx.create_prompt(
            prompt_id=prompt_id, name=name, description=None, tags=(), first=first
        )


def _context(operation_id: str) -> RequestContext:
    principal = Principal(
        subject_for(DEV_KEY), frozenset({"prompts:read", "prompts:write"}), scheme="apiKey"
    )
    return RequestContext(
        principal=principal, request_id="ctk-provider-state", headers={}, operation_id=operation_id
    )
