"""`PromptLibraryService`: the generated `PromptLibraryAPIService` protocol on a `PromptStore`.

HTTP semantics live here — ETags and `If-Match`, idempotent replays, cursors, problem
documents — while SQL stays in `store.py` and the template language in `template.py`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from generated.prompt_library import models
from toolkit.runtime import Reply, RequestContext

from . import problems
from .content import declared, prompt_json, storable, version_content, version_json
from .cursor import CursorCodec, CursorError, KeyPart
from .etag import if_match_allows, prompt_etag, version_etag
from .idempotency import KEY_LIFETIME, REPLAY_HEADER, StoredResponse, fingerprint
from .ids import new_ulid
from .records import (
    KeyTakenError,
    ListFilter,
    MetadataChanges,
    NameTakenError,
    PromptRecord,
    VersionRecord,
)
from .store import PromptStore, Tx
from .template import TemplateError, render

__all__ = ["PromptLibraryService"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_INT32_MAX = 2**31 - 1  # `format: int32`: larger version numbers cannot exist

Action = Callable[[Tx], Awaitable[StoredResponse]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class PromptLibraryService:
    """Implements `generated.prompt_library.PromptLibraryAPIService`."""

    def __init__(
        self, store: PromptStore, cursors: CursorCodec, clock: Callable[[], datetime] = _utcnow
    ) -> None:
        self.store = store
        self._cursors = cursors
        self._clock = clock

    async def aclose(self) -> None:
        await self.store.aclose()

    # -- prompts --------------------------------------------------------------------------

    async def list_prompts(
        self,
        *,
        cursor: str | None = None,
        limit: int = 20,
        tag: str | None = None,
        q: str | None = None,
        name: str | None = None,
        x_request_id: str | None = None,
        context: RequestContext,
    ) -> models.PromptPage | Reply:
        where = ListFilter(tag=tag, q=q, name=name)
        scope = json.dumps(["prompts", tag, q, name])
        after = None
        if cursor is not None:
            micros, prompt_id = self._decode(scope, cursor, (int, str))
            assert isinstance(micros, int) and isinstance(prompt_id, str)
            try:
                after = (_EPOCH + micros * _MICROSECOND, prompt_id)
            except OverflowError:
                raise problems.invalid_cursor("out of range") from None
        async with self.store.read() as tx:
            rows = await tx.list_prompts(where, after, limit + 1)
        page = rows[:limit]
        next_cursor = None
        if len(rows) > limit:
            last = page[-1]
            next_cursor = self._cursors.encode(scope, [_micros(last.created_at), last.id])
        return models.PromptPage.model_validate(
            {"items": [prompt_json(record) for record in page], "next_cursor": next_cursor}
        )

    async def create_prompt(
        self,
        *,
        x_request_id: str | None = None,
        idempotency_key: str | None = None,
        body: models.PromptCreate,
        context: RequestContext,
    ) -> models.Prompt | Reply:
        data = storable(body.model_dump(mode="json"))
        variables = version_content(data["template"], data["variables"])

        async def create(tx: Tx) -> StoredResponse:
            now = self._clock()
            prompt_id = new_ulid()
            record = await tx.create_prompt(
                prompt_id=prompt_id,
                name=data["name"],
                description=data.get("description"),
                tags=_unique(data["tags"]),
                first=VersionRecord(
                    prompt_id=prompt_id,
                    version=1,
                    template=data["template"],
                    variables=variables,
                    changelog=data.get("changelog"),
                    created_at=now,
                    created_by=_subject(context),
                ),
            )
            headers = {"Location": f"/prompts/{record.id}", "ETag": _etag(record)}
            return StoredResponse(201, prompt_json(record), headers)

        try:
            return await self._idempotent(
                context, idempotency_key, "createPrompt", "/prompts", data, create
            )
        except NameTakenError:
            raise problems.name_taken(data["name"]) from None

    async def get_prompt(
        self, *, prompt_id: str, x_request_id: str | None = None, context: RequestContext
    ) -> models.Prompt | Reply:
        async with self.store.read() as tx:
            record = await _existing(tx, prompt_id)
        return Reply(200, prompt_json(record), {"ETag": _etag(record)})

    async def delete_prompt(
        self,
        *,
        prompt_id: str,
        x_request_id: str | None = None,
        if_match: str | None = None,
        context: RequestContext,
    ) -> Reply | None:
        async with self.store.write() as tx:
            record = await _existing(tx, prompt_id, for_update=True)
            _require_match(if_match, record)
            await tx.delete_prompt(prompt_id)
        return None

    async def update_prompt(
        self,
        *,
        prompt_id: str,
        if_match: str,
        x_request_id: str | None = None,
        body: models.PromptPatch,
        context: RequestContext,
    ) -> models.Prompt | Reply:
        data = storable(body.model_dump(mode="json"))  # only the members the patch holds
        changes = MetadataChanges(
            set_fields=frozenset(data),
            name=data.get("name") or "",
            description=data.get("description"),
            tags=_unique(data.get("tags") or ()),
        )
        try:
            async with self.store.write() as tx:
                current = await _existing(tx, prompt_id, for_update=True)
                _require_match(if_match, current)
                record = await tx.update_metadata(current, changes, self._clock())
        except NameTakenError:
            raise problems.name_taken(changes.name) from None
        return Reply(200, prompt_json(record), {"ETag": _etag(record)})

    # -- versions -------------------------------------------------------------------------

    async def list_prompt_versions(
        self,
        *,
        prompt_id: str,
        cursor: str | None = None,
        limit: int = 20,
        x_request_id: str | None = None,
        context: RequestContext,
    ) -> models.PromptVersionPage | Reply:
        scope = json.dumps(["versions", prompt_id])
        before = None
        if cursor is not None:
            (number,) = self._decode(scope, cursor, (int,))
            assert isinstance(number, int)
            before = number
        async with self.store.read() as tx:
            await _existing(tx, prompt_id)
            rows = await tx.list_versions(prompt_id, before, limit + 1)
        page = rows[:limit]
        next_cursor = self._cursors.encode(scope, [page[-1].version]) if len(rows) > limit else None
        return models.PromptVersionPage.model_validate(
            {"items": [version_json(version) for version in page], "next_cursor": next_cursor}
        )

    async def create_prompt_version(
        self,
        *,
        prompt_id: str,
        x_request_id: str | None = None,
        idempotency_key: str | None = None,
        if_match: str | None = None,
        body: models.PromptVersionCreate,
        context: RequestContext,
    ) -> models.PromptVersion | Reply:
        data = storable(body.model_dump(mode="json"))
        variables = version_content(data["template"], data["variables"])

        async def create(tx: Tx) -> StoredResponse:
            current = await _existing(tx, prompt_id, for_update=True)
            _require_match(if_match, current)
            version = VersionRecord(
                prompt_id=prompt_id,
                version=current.latest_version + 1,
                template=data["template"],
                variables=variables,
                changelog=data.get("changelog"),
                created_at=self._clock(),
                created_by=_subject(context),
            )
            await tx.add_version(current, version)
            headers = {
                "Location": f"/prompts/{prompt_id}/versions/{version.version}",
                "ETag": version_etag(prompt_id, version.version),
            }
            return StoredResponse(201, version_json(version), headers)

        target = f"/prompts/{prompt_id}/versions"
        return await self._idempotent(
            context, idempotency_key, "createPromptVersion", target, data, create
        )

    async def get_prompt_version(
        self,
        *,
        prompt_id: str,
        version: int,
        x_request_id: str | None = None,
        context: RequestContext,
    ) -> models.PromptVersion | Reply:
        async with self.store.read() as tx:
            await _existing(tx, prompt_id)
            found = await _existing_version(tx, prompt_id, version)
        return Reply(200, version_json(found), {"ETag": version_etag(prompt_id, version)})

    # -- rendering ------------------------------------------------------------------------

    async def render_prompt(
        self,
        *,
        prompt_id: str,
        x_request_id: str | None = None,
        body: models.RenderRequest,
        context: RequestContext,
    ) -> models.RenderResult | Reply:
        data = body.model_dump(mode="json")
        async with self.store.read() as tx:
            current = await _existing(tx, prompt_id)
            number = data.get("version", current.latest_version)
            if number == current.latest_version:
                template, variables = current.template, current.variables
            else:
                found = await _existing_version(tx, prompt_id, number)
                template, variables = found.template, found.variables
        try:
            text = render(template, declared(variables), data["variables"])
        except TemplateError as exc:
            raise problems.validation_failed(exc.errors) from None
        return models.RenderResult(prompt_id=prompt_id, version=number, text=text)

    # -- helpers --------------------------------------------------------------------------

    def _decode(
        self, scope: str, cursor: str, shape: Sequence[type[KeyPart]]
    ) -> tuple[KeyPart, ...]:
        try:
            return self._cursors.decode(scope, cursor, shape)
        except CursorError as exc:
            raise problems.invalid_cursor(str(exc)) from None

    async def _idempotent(
        self,
        context: RequestContext,
        key: str | None,
        operation: str,
        target: str,
        body: Any,
        action: Action,
    ) -> Reply:
        """Run `action` in a write transaction, at most once per (principal, key, request)."""
        if key is None:
            async with self.store.write() as tx:
                return _reply(await action(tx))
        request = fingerprint(operation, target, body)
        try:
            return await self._once(_subject(context), key, request, action)
        except (KeyTakenError, NameTakenError):
            # A concurrent request with the same key may have won the race (PostgreSQL runs
            # them side by side); if so its stored response is the answer, else re-raise.
            return await self._once(_subject(context), key, request, action)

    async def _once(self, principal: str, key: str, request: str, action: Action) -> Reply:
        async with self.store.write() as tx:
            now = self._clock()
            since = now - KEY_LIFETIME
            stored = await tx.recall(principal, key, since)
            if stored is not None:
                earlier, response = stored
                if earlier != request:
                    raise problems.idempotency_key_reused()
                return _reply(response, replayed=True)
            response = await action(tx)
            await tx.remember(principal, key, request, response, now, since)
        return _reply(response)


# -- shared by the handlers ----------------------------------------------------------------


async def _existing(tx: Tx, prompt_id: str, *, for_update: bool = False) -> PromptRecord:
    record = await tx.get_prompt(prompt_id, for_update=for_update)
    if record is None:
        raise problems.not_found(f"Prompt {prompt_id} does not exist.")
    return record


async def _existing_version(tx: Tx, prompt_id: str, number: int) -> VersionRecord:
    found = await tx.get_version(prompt_id, number) if number <= _INT32_MAX else None
    if found is None:
        raise problems.not_found(f"Prompt {prompt_id} has no version {number}.")
    return found


def _require_match(if_match: str | None, record: PromptRecord) -> None:
    current = _etag(record)
    if if_match is not None and not if_match_allows(if_match, current):
        raise problems.precondition_failed(current)


def _etag(record: PromptRecord) -> str:
    return prompt_etag(record.id, record.revision)


def _subject(context: RequestContext) -> str:
    return context.principal.subject if context.principal is not None else "anonymous"


def _reply(response: StoredResponse, *, replayed: bool = False) -> Reply:
    headers = dict(response.headers)
    if replayed:
        headers[REPLAY_HEADER] = "true"
    return Reply(response.status, response.body, headers)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
