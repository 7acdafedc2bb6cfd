"""An in-memory implementation of the bookmarks spec's generated protocol, as a user writes it
(served by `ctk serve --impl` in test_bookmarks_session.py, from a package generated there)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from bookmarks_api import models  # type: ignore[import-not-found]

from toolkit.runtime import HTTPProblem, RequestContext


class Bookmarks:
    def __init__(self) -> None:
        self._items: dict[str, models.Bookmark] = {}
        self._ids = itertools.count(1)

    async def list_bookmarks(self, *, context: RequestContext) -> models.ListBookmarks200Response:
        return models.ListBookmarks200Response(list(self._items.values()))

    async def create_bookmark(
        self, *, body: models.Bookmark, context: RequestContext
    ) -> models.Bookmark:
        stored = body.model_copy(
            update={"id": f"b{next(self._ids)}", "created_at": datetime.now(UTC)}
        )
        self._items[stored.id] = stored
        return stored

    async def get_bookmark(self, *, bookmark_id: str, context: RequestContext) -> models.Bookmark:
        found = self._items.get(bookmark_id)
        if found is None:
            raise HTTPProblem(404, detail=f"no bookmark {bookmark_id}")
        return found
