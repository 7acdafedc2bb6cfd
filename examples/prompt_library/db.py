"""The database: engine set-up, tables and the schema migration that runs at startup.

SQLite (through aiosqlite) is the default and what the tests use; PostgreSQL (through
asyncpg) is chosen by a `postgresql+asyncpg://` URL. On SQLite every connection gets
`foreign_keys=ON`, WAL journaling and a busy timeout, and SQLAlchemy — not the sqlite3
module's legacy mode — emits `BEGIN`: `BEGIN IMMEDIATE` for writing units of work, so a
read-then-write transaction takes the write lock up front instead of failing to upgrade.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

__all__ = [
    "WRITE",
    "create_engine",
    "idempotency_keys",
    "is_memory_sqlite",
    "metadata",
    "migrate",
    "prompt_tags",
    "prompt_versions",
    "prompts",
]

WRITE = "prompt_library_write"  # execution option: this unit of work will write
_SQLITE_BUSY_TIMEOUT_MS = 5_000


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes in and out, on every backend (SQLite stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

prompts = Table(
    "prompts",
    metadata,
    Column("id", String(26), primary_key=True),
    Column("name", String(63), nullable=False, unique=True),
    Column("description", Text, nullable=True),
    Column("latest_version", Integer, nullable=False),
    Column("revision", Integer, nullable=False),  # grows with every change; the ETag
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_prompts_created_at_id", "created_at", "id"),
)

prompt_tags = Table(
    "prompt_tags",
    metadata,
    Column("prompt_id", ForeignKey("prompts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Index("ix_prompt_tags_tag", "tag"),
)

prompt_versions = Table(
    "prompt_versions",
    metadata,
    Column("prompt_id", ForeignKey("prompts.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("template", Text, nullable=False),
    Column("variables", JSON, nullable=False),
    Column("changelog", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=True),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("principal", String(200), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", JSON, nullable=True),
    Column("headers", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False, index=True),
)

_migrations_table = Table(
    "schema_migrations",
    MetaData(),
    Column("version", Integer, primary_key=True),
    Column("applied_at", UTCDateTime, nullable=False),
)


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: str | URL) -> AsyncEngine:
    """An async engine for `url`, with the SQLite connection and transaction set-up."""
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    options: dict[str, Any] = {"poolclass": StaticPool} if is_memory_sqlite(url) else {}
    engine = create_async_engine(url, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")  # a no-op answer for :memory:
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable with WAL, and faster
        finally:
            cursor.close()
        dbapi_connection.create_function("unicode_lower", 1, _lower, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _lower(value: str | None) -> str | None:
    """Unicode lower case for SQLite, whose lower() only knows ASCII; PostgreSQL's lower()
    and ILIKE do the same in a UTF-8 locale."""
    return None if value is None else value.lower()


# Each migration brings the schema from version N-1 to N; append, never edit.
async def _v1_initial(connection: AsyncConnection) -> None:
    await connection.run_sync(metadata.create_all)


_MIGRATIONS = (_v1_initial,)


async def migrate(engine: AsyncEngine) -> int:
    """Apply the pending migrations in one transaction; returns the schema version."""
    async with engine.connect() as connection:
        connection = await connection.execution_options(**{WRITE: True})
        async with connection.begin():
            if engine.dialect.name == "postgresql":  # one migrator at a time across processes
                await connection.execute(text("SELECT pg_advisory_xact_lock(7140)"))
            await connection.run_sync(_migrations_table.create, checkfirst=True)
            current = await connection.scalar(select(func.max(_migrations_table.c.version)))
            applied = current or 0
            for version, step in enumerate(_MIGRATIONS, start=1):
                if version > applied:
                    await step(connection)
                    await connection.execute(
                        insert(_migrations_table).values(
                            version=version, applied_at=datetime.now(UTC)
                        )
                    )
                    applied = version
            return applied
