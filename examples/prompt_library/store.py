"""Data access: prompts, their tags and versions, and idempotency records.

`PromptStore.read()` / `.write()` open one transaction each and hand out a `Tx`, the only
object that runs SQL. The store knows nothing about HTTP: conditional requests, problem
documents and cursors are the service's business.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .db import (
    WRITE,
    idempotency_keys,
    is_memory_sqlite,
    migrate,
    prompt_tags,
    prompt_versions,
    prompts,
)
from .idempotency import StoredResponse
from .problems import busy
from .records import (
    KeyTakenError,
    ListFilter,
    MetadataChanges,
    NameTakenError,
    PromptRecord,
    VersionRecord,
)

__all__ = ["PromptStore", "Tx"]

_log = logging.getLogger(__name__)


class PromptStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._ready = False
        self._migrating = asyncio.Lock()
        # A `:memory:` database lives in one connection that every task shares, so units of
        # work take turns instead of interleaving on it.
        self._serial = asyncio.Lock() if is_memory_sqlite(engine.url) else None
        # SQLite has one write lock and its busy retry is not fair: pooled connections racing
        # for it starved some writers past the busy timeout (`database is locked`, a 500 for
        # 0.05-0.6 % of creates at 50 clients). Writers of this process queue here instead,
        # first come first served (asyncio.Lock is FIFO); readers never wait (WAL).
        sqlite_file = engine.dialect.name == "sqlite" and self._serial is None
        self._writers = asyncio.Lock() if sqlite_file else None

    async def migrate(self) -> None:
        async with self._migrating:
            if not self._ready:
                await migrate(self.engine)
                self._ready = True

    async def ping(self) -> bool:
        """Readiness: the schema is in place and the database answers."""
        try:
            await self.migrate()
            async with self.read() as tx:
                await tx.connection.scalar(select(1))
        except Exception:  # any failure means "not ready"
            _log.warning("the database is not ready", exc_info=True)
            return False
        return True

    async def aclose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        async with self._unit(write=False) as tx:
            yield tx

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        async with self._unit(write=True) as tx:
            yield tx

    @asynccontextmanager
    async def _unit(self, *, write: bool) -> AsyncIterator[Tx]:
        if not self._ready:
            await self.migrate()
        queue = self._writers if write else None
        try:
            async with (
                self._serial or nullcontext(),
                queue or nullcontext(),
                self.engine.connect() as connection,
            ):
                connection = await connection.execution_options(**{WRITE: write})
                async with connection.begin():
                    yield Tx(connection)
        except OperationalError as error:
            # still locked after the busy timeout (another process holds the lock): the
            # unit was rolled back, so a retry is safe
            if "locked" in str(error.orig).lower() or "busy" in str(error.orig).lower():
                _log.warning("the database stayed locked past its busy timeout: answering 503")
                raise busy() from None
            raise


class Tx:
    """One transaction: every method runs in it; commit or rollback is the caller's `with`."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._postgres = connection.dialect.name == "postgresql"

    # -- prompts --------------------------------------------------------------------------

    async def list_prompts(
        self, where: ListFilter, after: tuple[datetime, str] | None, limit: int
    ) -> list[PromptRecord]:
        """Prompts newest first, strictly after the (created_at, id) key `after`."""
        query = self._prompt_query()
        conditions: list[ColumnElement[bool]] = []
        if where.name is not None:
            conditions.append(prompts.c.name == where.name)
        if where.tag is not None:
            conditions.append(
                exists().where(
                    prompt_tags.c.prompt_id == prompts.c.id, prompt_tags.c.tag == where.tag
                )
            )
        if where.q is not None:
            conditions.append(self._contains(where.q))
        if after is not None:
            created_at, prompt_id = after
            conditions.append(
                or_(
                    prompts.c.created_at < created_at,
                    and_(prompts.c.created_at == created_at, prompts.c.id < prompt_id),
                )
            )
        query = query.where(*conditions).order_by(prompts.c.created_at.desc(), prompts.c.id.desc())
        rows = (await self.connection.execute(query.limit(limit))).all()
        return await self._records(rows)

    async def get_prompt(self, prompt_id: str, *, for_update: bool = False) -> PromptRecord | None:
        """The prompt; `for_update` first locks its row until the transaction ends.

        The lock is taken by a query of its own: locking the joined query instead would make
        PostgreSQL re-check the join against a row a concurrent writer just committed, and a
        new `latest_version` no longer joins the version row read before the wait.
        """
        if for_update and self._postgres:  # SQLite: BEGIN IMMEDIATE holds the write lock
            lock = select(prompts.c.id).where(prompts.c.id == prompt_id).with_for_update()
            if await self.connection.scalar(lock) is None:
                return None
        query = self._prompt_query().where(prompts.c.id == prompt_id)
        row = (await self.connection.execute(query)).first()
        if row is None:
            return None
        return (await self._records([row]))[0]

    async def create_prompt(
        self,
        *,
        prompt_id: str,
        name: str,
        description: str | None,
        tags: Sequence[str],
        first: VersionRecord,
    ) -> PromptRecord:
        await self._claim_name(name)
        try:
            await self.connection.execute(
                insert(prompts).values(
                    id=prompt_id,
                    name=name,
                    description=description,
                    latest_version=1,
                    revision=1,
                    created_at=first.created_at,
                    updated_at=first.created_at,
                )
            )
        except IntegrityError as exc:  # a concurrent create won the name (PostgreSQL)
            raise NameTakenError(name) from exc
        await self._set_tags(prompt_id, tags)
        await self._insert_version(first)
        record = await self.get_prompt(prompt_id)
        assert record is not None
        return record

    async def update_metadata(
        self, current: PromptRecord, changes: MetadataChanges, now: datetime
    ) -> PromptRecord:
        values: dict[str, Any] = {}
        if "name" in changes.set_fields and changes.name != current.name:
            await self._claim_name(changes.name)
            values["name"] = changes.name
        if "description" in changes.set_fields and changes.description != current.description:
            values["description"] = changes.description
        retag = "tags" in changes.set_fields and changes.tags != current.tags
        if not values and not retag:
            return current  # nothing changes, so neither do the revision and the ETag
        values.update(revision=current.revision + 1, updated_at=now)
        try:
            await self.connection.execute(
                update(prompts).where(prompts.c.id == current.id).values(**values)
            )
        except IntegrityError as exc:
            raise NameTakenError(changes.name) from exc
        if retag:
            await self.connection.execute(
                delete(prompt_tags).where(prompt_tags.c.prompt_id == current.id)
            )
            await self._set_tags(current.id, changes.tags)
        record = await self.get_prompt(current.id)
        assert record is not None
        return record

    async def delete_prompt(self, prompt_id: str) -> None:
        # Versions and tags go with it (ON DELETE CASCADE); deleted explicitly as well so a
        # database whose foreign keys are off cannot keep orphans.
        for table in (prompt_tags, prompt_versions):
            await self.connection.execute(delete(table).where(table.c.prompt_id == prompt_id))
        await self.connection.execute(delete(prompts).where(prompts.c.id == prompt_id))

    # -- versions -------------------------------------------------------------------------

    async def add_version(self, current: PromptRecord, version: VersionRecord) -> PromptRecord:
        await self._insert_version(version)
        await self.connection.execute(
            update(prompts)
            .where(prompts.c.id == current.id)
            .values(
                latest_version=version.version,
                revision=current.revision + 1,
                updated_at=version.created_at,
            )
        )
        record = await self.get_prompt(current.id)
        assert record is not None
        return record

    async def list_versions(
        self, prompt_id: str, before: int | None, limit: int
    ) -> list[VersionRecord]:
        """Versions newest first, strictly below version `before`."""
        query = select(prompt_versions).where(prompt_versions.c.prompt_id == prompt_id)
        if before is not None:
            query = query.where(prompt_versions.c.version < before)
        query = query.order_by(prompt_versions.c.version.desc()).limit(limit)
        return [_version(row) for row in (await self.connection.execute(query)).all()]

    async def get_version(self, prompt_id: str, version: int) -> VersionRecord | None:
        query = select(prompt_versions).where(
            prompt_versions.c.prompt_id == prompt_id, prompt_versions.c.version == version
        )
        row = (await self.connection.execute(query)).first()
        return None if row is None else _version(row)

    # -- idempotency ----------------------------------------------------------------------

    async def recall(
        self, principal: str, key: str, since: datetime
    ) -> tuple[str, StoredResponse] | None:
        """The fingerprint and response stored for (principal, key), unless older than `since`."""
        where = and_(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
        row = (await self.connection.execute(select(idempotency_keys).where(where))).first()
        if row is None:
            return None
        if row.created_at < since:
            await self.connection.execute(delete(idempotency_keys).where(where))
            return None
        return row.fingerprint, StoredResponse(row.status, row.body, dict(row.headers))

    async def remember(
        self,
        principal: str,
        key: str,
        fingerprint: str,
        response: StoredResponse,
        now: datetime,
        since: datetime,
    ) -> None:
        """Store the response for (principal, key); drops every record older than `since`."""
        await self.connection.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < since)
        )
        try:
            await self.connection.execute(
                insert(idempotency_keys).values(
                    principal=principal,
                    key=key,
                    fingerprint=fingerprint,
                    status=response.status,
                    body=response.body,
                    headers=dict(response.headers),
                    created_at=now,
                )
            )
        except IntegrityError as exc:  # the transaction is spoiled; the caller retries
            raise KeyTakenError(key) from exc

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _prompt_query() -> Select[Any]:
        return select(
            prompts,
            prompt_versions.c.template,
            prompt_versions.c.variables,
        ).join(
            prompt_versions,
            and_(
                prompt_versions.c.prompt_id == prompts.c.id,
                prompt_versions.c.version == prompts.c.latest_version,
            ),
        )

    def _contains(self, needle: str) -> ColumnElement[bool]:
        """Case-insensitive substring of name or description (Unicode lower case)."""
        if "\x00" in needle:  # stored text never holds NUL (PostgreSQL cannot even bind it)
            return false()
        if self._postgres:  # ILIKE; Unicode-aware in a UTF-8 locale (LC_CTYPE)
            return or_(
                prompts.c.name.icontains(needle, autoescape=True),
                prompts.c.description.icontains(needle, autoescape=True),
            )
        lowered = needle.lower()
        return or_(
            func.unicode_lower(prompts.c.name).contains(lowered, autoescape=True),
            func.unicode_lower(prompts.c.description).contains(lowered, autoescape=True),
        )

    async def _claim_name(self, name: str) -> None:
        taken = await self.connection.scalar(select(prompts.c.id).where(prompts.c.name == name))
        if taken is not None:
            raise NameTakenError(name)

    async def _set_tags(self, prompt_id: str, tags: Iterable[str]) -> None:
        rows = [{"prompt_id": prompt_id, "tag": tag, "position": i} for i, tag in enumerate(tags)]
        if rows:
            await self.connection.execute(insert(prompt_tags), rows)

    async def _insert_version(self, version: VersionRecord) -> None:
        await self.connection.execute(
            insert(prompt_versions).values(
                prompt_id=version.prompt_id,
                version=version.version,
                template=version.template,
                variables=[dict(v) for v in version.variables],
                changelog=version.changelog,
                created_at=version.created_at,
                created_by=version.created_by,
            )
        )

    async def _records(self, rows: Sequence[Row[Any]]) -> list[PromptRecord]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        tag_rows = await self.connection.execute(
            select(prompt_tags.c.prompt_id, prompt_tags.c.tag)
            .where(prompt_tags.c.prompt_id.in_(ids))
            .order_by(prompt_tags.c.prompt_id, prompt_tags.c.position)
        )
        tags: dict[str, list[str]] = {}
        for prompt_id, tag in tag_rows:
            tags.setdefault(prompt_id, []).append(tag)
        return [
            PromptRecord(
                id=row.id,
                name=row.name,
                description=row.description,
                tags=tuple(tags.get(row.id, ())),
                latest_version=row.latest_version,
                revision=row.revision,
                created_at=row.created_at,
                updated_at=row.updated_at,
                template=row.template,
                variables=tuple(row.variables),
            )
            for row in rows
        ]


def _version(row: Row[Any]) -> VersionRecord:
    return VersionRecord(
        prompt_id=row.prompt_id,
        version=row.version,
        template=row.template,
        variables=tuple(row.variables),
        changelog=row.changelog,
        created_at=row.created_at,
        created_by=row.created_by,
    )
