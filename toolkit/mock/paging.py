"""`--stateful` lists: which page the request asks for, and the page's members in the body.

APIs page in three ways, told apart by the list operation's query parameters (names compared
without case, `_` or `-`): an opaque cursor (`cursor`, `after`, `page_token`…: the mock
spells the next offset as its cursor), an offset (`offset`, `skip`, `start`) or a page number
(`page`, 1-based), each with a page size (`limit`, `page_size`, `per_page`…; its schema's
default applies when absent, the runtime fills it in). The list body's own members then say
where the page is: the next cursor, the total, the offset, the size, the page number, the
page count, whether there is more, at the top level or in one nested object (`meta`,
`pagination`). Each is written only where the document declares it and only when the body
stays valid, so a shape the mock does not know keeps its generated value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


_LIMIT = ("limit", "pagesize", "perpage", "size", "maxresults", "first")
_CURSOR = ("cursor", "after", "pagetoken", "nexttoken", "continuationtoken", "starting_after")
_OFFSET = ("offset", "skip", "start")
_PAGE = ("page", "pagenumber", "pagenum")

_MEMBERS: dict[str, tuple[str, ...]] = {
    "next": ("nextcursor", "next", "cursor", "nextpagetoken", "nexttoken", "endcursor"),
    "total": ("total", "totalcount", "totalitems", "totalelements", "totalresults", "count"),
    "offset": ("offset", "skip", "start"),
    "limit": ("limit", "pagesize", "perpage", "size"),
    "page": ("page", "pagenumber", "currentpage"),
    "pages": ("totalpages", "pagecount", "lastpage"),
    "more": ("hasmore", "hasnext", "hasnextpage", "more"),
}


@dataclass(frozen=True)
class Paging:
    """The list operation's paging parameters, by the handler argument each one fills."""

    limit: str | None = None
    cursor: str | None = None
    offset: str | None = None
    page: str | None = None

    @classmethod
    def of(cls, query: Mapping[str, str]) -> Paging:
        """`query`: the operation's query parameter names → their handler arguments."""
        by_norm = {_norm(name): arg for name, arg in query.items()}

        def first(names: Iterable[str]) -> str | None:
            return next((by_norm[_norm(n)] for n in names if _norm(n) in by_norm), None)

        return cls(first(_LIMIT), first(_CURSOR), first(_OFFSET), first(_PAGE))

    def window(self, arguments: Mapping[str, Any], total: int) -> Window:
        """The slice of `total` items the request asks for."""
        limit = _int(arguments.get(self.limit)) if self.limit else 0
        size = limit or None
        number = None
        if self.cursor and arguments.get(self.cursor) not in (None, ""):
            start = _int(arguments.get(self.cursor))
        elif self.offset:
            start = _int(arguments.get(self.offset))
        elif self.page:
            number = max(_int(arguments.get(self.page)), 1)
            start = (number - 1) * limit if limit else (0 if number == 1 else total)
        else:
            start = 0
        end = total if size is None else min(start + size, total)
        return Window(min(start, total), max(end, min(start, total)), size, total, number)


@dataclass(frozen=True)
class Window:
    """Items [start, end) of `total`; `size` None = everything left; `page` when asked by
    number."""

    start: int
    end: int
    size: int | None
    total: int
    page: int | None

    @property
    def more(self) -> bool:
        return self.end < self.total

    def members(self) -> dict[str, Any]:
        """Each member kind's value for this page."""
        size = self.size or max(self.end - self.start, 1)
        return {
            "next": str(self.end) if self.more else None,
            "total": self.total,
            "offset": self.start,
            "limit": self.size if self.size is not None else self.end - self.start,
            "page": self.page if self.page is not None else self.start // size + 1,
            "pages": math.ceil(self.total / size) if self.total else 0,
            "more": self.more,
        }


def annotate(body: dict[str, Any], window: Window, valid: Callable[[Any], bool]) -> dict[str, Any]:
    """`body` with its paging members set for `window`, each kept only if `body` stays
    valid; a `null` next cursor where the schema forbids one removes the member."""
    values = window.members()
    kinds = {norm: kind for kind, names in _MEMBERS.items() for norm in names}
    places: list[tuple[str, ...]] = [()]
    places += [(k,) for k, v in body.items() if isinstance(v, dict) and _norm(k) in _NESTED]
    current = body
    for path in places:
        for name in list(current[path[0]] if path else current):
            kind = kinds.get(_norm(name))
            if kind is None:
                continue
            trial = _set(current, (*path, name), values[kind])
            if valid(trial):
                current = trial
            elif kind == "next" and values[kind] is None:
                dropped = _set(current, (*path, name), _DROP)
                current = dropped if valid(dropped) else current
    return current


_NESTED = ("meta", "pagination", "paging", "pageinfo", "page")


_DROP = object()


def _set(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of `body` with the member at `path` set (or removed for `_DROP`)."""
    head, *rest = path
    out = dict(body)
    if rest:
        out[head] = _set(dict(out.get(head) or {}), tuple(rest), value)
    elif value is _DROP:
        out.pop(head, None)
    else:
        out[head] = value
    return out


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
