"""Media types: which Content-Types an operation accepts (415) and whether a request's Accept
header leaves any documented response type (406). Both answers are cached per header value,
since clients repeat the same few."""

from __future__ import annotations

from collections.abc import Iterable

_CACHE_LIMIT = 256


def essence(header: str) -> str:
    """`Application/JSON; charset=utf-8` → `application/json`."""
    return header.split(";", 1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    """application/json, the `+json` types, and text/json (common in Azure's documents)."""
    return media_type in ("application/json", "text/json") or media_type.endswith("+json")


def _matches(pattern: str, actual: str) -> bool:
    """Does a (possibly wildcard) type cover a concrete one? `+json` types and
    application/json stand for one another, so a client asking for JSON gets JSON."""
    if pattern in ("*/*", "*") or pattern == actual:
        return True
    if pattern.endswith("/*"):
        return actual.startswith(pattern[:-1])
    return is_json(pattern) and is_json(actual)


class ContentTypes:
    """The request Content-Types an operation accepts (documented types may be wildcards)."""

    __slots__ = ("_cache", "documented")

    def __init__(self, documented: Iterable[str]) -> None:
        self.documented = tuple(essence(t) for t in documented)
        self._cache: dict[str, str | None] = {}

    def match(self, header: str) -> str | None:
        """The request's media type when accepted, else None."""
        try:
            return self._cache[header]
        except KeyError:
            pass
        actual = essence(header)
        ok = any(
            doc == actual
            or doc in ("*/*", "*")
            or (doc.endswith("/*") and actual.startswith(doc[:-1]))
            for doc in self.documented
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[header] = result = actual if ok and "/" in actual else None
        return result


def accept_ranges(header: str) -> list[tuple[str, float]]:
    """An Accept header's media ranges, lower-cased, each with its weight (RFC 9110 12.5.1;
    a missing or malformed `q` counts as 1). The one parser: 406 checks and error-body
    negotiation read the header alike."""
    ranges = []
    for item in header.split(","):
        kind, *params = item.split(";")
        kind = kind.strip().lower()
        if not kind:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 1.0
        ranges.append((kind, quality))
    return ranges


class Acceptable:
    """Does an Accept header admit at least one of the documented response types?"""

    __slots__ = ("_cache", "_documented")

    def __init__(self, documented: Iterable[str]) -> None:
        self._documented = tuple(dict.fromkeys(essence(t) for t in documented))
        self._cache: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self._documented)

    def __call__(self, header: str) -> bool:
        try:
            return self._cache[header]
        except KeyError:
            pass
        ranges = [kind for kind, quality in accept_ranges(header) if quality > 0]
        ok = not header.strip() or any(
            _matches(r, d) or _matches(d, r) for r in ranges for d in self._documented
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[header] = ok
        return ok
