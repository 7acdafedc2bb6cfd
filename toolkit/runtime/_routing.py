"""Path templates → routes. Fully literal paths are one dict lookup; templated ones are
matched segment by segment (percent-decoding each segment, so `%2F` inside a parameter stays
inside it), most specific first, segment by segment from the left: a literal segment beats one
mixing literal text and parameters, which beats a bare parameter, so `/users/me` wins over
`/users/{id}` and `/v1/{resource}:getIamPolicy` over `/v1/{name}`; between two mixed segments
the one with more literal characters wins. Templates of the same shape keep the document's
order (the first one declared wins), so routing never depends on anything else."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import unquote

from ._asgi import Scope

T = TypeVar("T")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
# One segment: a literal, a whole-segment parameter, or a regex with parameters inside.
_Segment = tuple[str | None, tuple[str, ...], re.Pattern[str] | None]


class Route(Generic[T]):
    """One path template and its endpoints by method."""

    __slots__ = ("_texts", "allow", "methods", "names", "segments", "template")

    def __init__(self, template: str, methods: Mapping[str, T]) -> None:
        self.template = template
        self.methods = dict(methods)
        self.allow = ", ".join(sorted(self.methods))
        parts = template.split("/")[1:]
        self.segments = tuple(_segment(part) for part in parts)
        self._texts = tuple(_PLACEHOLDER.sub("", part) for part in parts)  # literal text
        self.names = [name for _, names, _ in self.segments for name in names]

    def specificity(self) -> tuple[tuple[int, int], ...]:
        """The sort key: per segment, (0, 0) for a literal, (1, -literal characters) for a
        segment mixing text and parameters, (2, 0) for a bare parameter."""
        return tuple(
            (0, 0) if literal is not None else (2, 0) if regex is None else (1, -len(text))
            for (literal, _, regex), text in zip(self.segments, self._texts, strict=True)
        )

    def match(self, parts: list[str]) -> dict[str, str] | None:
        params: dict[str, str] = {}
        for part, (literal, names, regex) in zip(parts, self.segments, strict=True):
            if literal is not None:
                if part != literal:
                    return None
            elif regex is None:
                if not part:
                    return None
                params[names[0]] = part
            else:
                found = regex.fullmatch(part)
                if found is None:
                    return None
                params.update(zip(names, found.groups(), strict=True))
        return params


def _segment(part: str) -> _Segment:
    names = tuple(_PLACEHOLDER.findall(part))
    if not names:
        return part, (), None
    if len(names) == 1 and part == "{" + names[0] + "}":
        return None, names, None
    pieces = _PLACEHOLDER.split(part)  # literal, name, literal, name, ..., literal
    pattern = "".join(re.escape(piece) if i % 2 == 0 else "(.+)" for i, piece in enumerate(pieces))
    return None, names, re.compile(pattern, re.DOTALL)  # a decoded value may hold a newline


class Router(Generic[T]):
    __slots__ = ("_static", "_templated")

    def __init__(self, routes: list[Route[T]]) -> None:
        self._static: dict[str, Route[T]] = {}
        templated: dict[int, list[Route[T]]] = {}
        for route in routes:
            if not route.names:
                self._static[route.template] = route
            else:
                templated.setdefault(len(route.segments), []).append(route)
        self._templated = {n: sorted(rs, key=Route.specificity) for n, rs in templated.items()}

    def __iter__(self) -> Iterator[Route[T]]:
        yield from self._static.values()
        for routes in self._templated.values():
            yield from routes

    def match(self, scope: Scope) -> tuple[Route[T], dict[str, str]] | None:
        path: str = scope["path"]
        static = self._static.get(path)
        if static is not None:
            return static, {}
        if not self._templated:
            return None
        raw: Any = scope.get("raw_path")
        text = raw.decode("latin-1").split("?", 1)[0] if raw else path
        parts = text.split("/")[1:]
        candidates = self._templated.get(len(parts))
        if not candidates:
            return None
        if raw:
            parts = [unquote(p) if "%" in p else p for p in parts]
        for route in candidates:
            params = route.match(parts)
            if params is not None:
                return route, params
        return None
