"""CORS: an allow-list policy the runtime applies to every route of the spec (off by default).

A browser sends `Origin` with cross-origin requests and, before a non-simple one, an
`OPTIONS` preflight with `Access-Control-Request-Method` (and `-Headers`). The runtime
answers the preflight itself for every path the spec declares (unless the spec documents
OPTIONS there): the methods are the path's documented ones, the headers those its
operations read (header parameters, header API keys) plus `Authorization`, `Content-Type`,
`Accept` and the request id header, and any the policy adds. A request from an origin not
on the list gets no CORS headers (the browser then refuses it); its preflight is a 403
problem naming the origin, so the refusal is visible in the network log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_ALWAYS = ("accept", "authorization", "content-type")


@dataclass(frozen=True, slots=True)
class CorsPolicy:
    # exact origins (`https://app.example.com`), or `*` for any (never with credentials)
    origins: tuple[str, ...]
    # methods allowed across origins; empty: every method the path documents
    methods: tuple[str, ...] = ()
    # request headers allowed beyond the ones the spec's operations read
    headers: tuple[str, ...] = ()
    # response headers a browser script may read
    expose: tuple[str, ...] = ("X-Request-ID",)
    credentials: bool = False  # cookies and Authorization across origins
    max_age: int = 600  # seconds a browser may cache a preflight

    def __post_init__(self) -> None:
        if self.credentials and "*" in self.origins:
            raise ValueError("CORS: credentials cannot be allowed for any origin ('*')")


class Cors:
    """A policy compiled once: header lines for answers and preflights."""

    __slots__ = ("_any", "_base", "_extra", "_max_age", "_methods", "_origins")

    def __init__(self, policy: CorsPolicy, request_id_header: str) -> None:
        self._any = "*" in policy.origins
        self._origins = frozenset(o.rstrip("/") for o in policy.origins if o != "*")
        self._methods = frozenset(m.upper() for m in policy.methods)
        self._extra = frozenset(h.lower() for h in (*policy.headers, request_id_header))
        base = [(b"vary", b"Origin")]
        if policy.credentials:
            base.append((b"access-control-allow-credentials", b"true"))
        if policy.expose:
            base.append((b"access-control-expose-headers", ", ".join(policy.expose).encode()))
        self._base = tuple(base)
        self._max_age = str(policy.max_age).encode()

    def allows(self, origin: str) -> bool:
        return self._any or origin.rstrip("/") in self._origins

    def answer_headers(self, origin: str) -> list[tuple[bytes, bytes]]:
        """The headers every answer to an allowed `origin` carries."""
        allowed = b"*" if self._any and not self._origins else origin.encode("latin-1")
        return [(b"access-control-allow-origin", allowed), *self._base]

    def preflight(
        self, origin: str, method: str, asked: str, documented: Iterable[str], read: Iterable[str]
    ) -> tuple[list[tuple[bytes, bytes]], str]:
        """(headers, "") for an allowed preflight, else ([], why it is refused). `documented`
        are the path's methods, `read` the request headers its operations read."""
        if not self.allows(origin):
            return [], f"the origin {origin!r} is not allowed"
        methods = {m.upper() for m in documented}
        if self._methods:
            methods &= self._methods
        if method.upper() not in methods:
            return [], f"{method} is not allowed here from {origin!r}"
        allowed_headers = {*_ALWAYS, *self._extra, *(h.lower() for h in read)}
        wanted = [h.strip().lower() for h in asked.split(",") if h.strip()]
        refused = [h for h in wanted if h not in allowed_headers]
        if refused:
            return [], f"the request header {refused[0]!r} is not allowed from {origin!r}"
        headers = self.answer_headers(origin)
        headers.append((b"access-control-allow-methods", ", ".join(sorted(methods)).encode()))
        if wanted:
            headers.append((b"access-control-allow-headers", ", ".join(wanted).encode()))
        headers.append((b"access-control-max-age", self._max_age))
        return headers, ""
