"""Authentication and authorization: credentials are taken from the request as the document's
`securitySchemes` say, turned into a `Principal` by a `Verifier`, and checked for scopes.

Runs before the body is read. No credential → 401 with a `WWW-Authenticate` challenge per
scheme; a credential the verifier refuses → 401; a principal without a required scope → 403
naming the missing scopes.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
from base64 import b64decode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .operation import Operation, OperationError
from .problem import HTTPProblem


@dataclass(frozen=True, slots=True)
class Principal:
    """Who made the request, as the verifier vouches."""

    subject: str
    scopes: frozenset[str]
    scheme: str  # the security scheme name it was verified under
    claims: Mapping[str, Any] = field(default_factory=dict)


class Verifier(Protocol):
    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Principal | None:
        """The principal for `credential` (API key value, bearer token, or `user:password`
        for HTTP basic), or None to refuse it (401)."""
        ...


class StaticKeys:
    """A verifier over a fixed credential → principal table, compared in constant time.

    A principal whose `scheme` is set is only accepted under that scheme name; one with an
    empty `scheme` under any, and is returned with the scheme it was presented under.
    """

    def __init__(self, keys: Mapping[str, Principal]) -> None:
        self._keys = [(_digest(key), principal) for key, principal in keys.items()]

    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Principal | None:
        presented = _digest(credential)
        found: Principal | None = None
        for digest, principal in self._keys:  # no early exit: timing says nothing
            if hmac.compare_digest(digest, presented) and found is None:
                found = principal
        if found is None or found.scheme not in ("", scheme_name):
            return None
        return found if found.scheme else replace(found, scheme=scheme_name)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


# -- extraction ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scheme:
    name: str
    data: Mapping[str, Any]
    source: str  # "header", "query", "cookie" (apiKey) or "authorization"
    key: str  # header/query/cookie name, or the lower-case Authorization scheme
    challenge: str

    def credential(
        self, headers: Mapping[str, str], query: Mapping[str, list[str]], cookies: Mapping[str, str]
    ) -> str | None:
        if self.source == "header":
            return headers.get(self.key) or None
        if self.source == "query":
            values = query.get(self.key)
            return values[0] if values else None
        if self.source == "cookie":
            return cookies.get(self.key) or None
        auth = headers.get("authorization")
        if not auth:
            return None
        kind, _, value = auth.strip().partition(" ")
        value = value.strip()
        if kind.lower() != self.key or not value:
            return None
        if self.key != "basic":
            return value
        try:  # a malformed basic credential is a refused one, not a missing one
            return b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""


def _scheme(name: str, data: Any) -> _Scheme:
    pointer = f"/components/securitySchemes/{name}"
    if not isinstance(data, Mapping):
        raise OperationError.at(pointer, f"security scheme {name!r} is not defined")
    kind = data.get("type")
    if kind == "apiKey":
        where, key = data.get("in"), data.get("name")
        if where not in ("header", "query", "cookie") or not isinstance(key, str) or not key:
            raise OperationError.at(pointer, f"apiKey scheme {name!r} needs `in` and `name`")
        key = key.lower() if where == "header" else key
        return _Scheme(name, data, where, key, f'ApiKey realm="api", in="{where}", name="{key}"')
    if kind == "http":
        http = str(data.get("scheme", "")).lower()
        if not http:
            raise OperationError.at(pointer, f"http scheme {name!r} needs `scheme`")
        if http == "basic":
            return _Scheme(name, data, "authorization", http, 'Basic realm="api", charset="UTF-8"')
        return _Scheme(name, data, "authorization", http, f'{http.capitalize()} realm="api"')
    if kind in ("oauth2", "openIdConnect"):
        return _Scheme(name, data, "authorization", "bearer", 'Bearer realm="api"')
    raise OperationError.at(
        pointer,
        f"security scheme {name!r} has type {kind!r}, which the runtime cannot check",
        hint="supported: apiKey, http (bearer, basic, ...), oauth2, openIdConnect; put "
        "mutualTLS in front of the app (a proxy) and leave it out of the operation's security",
    )


# -- the check -------------------------------------------------------------------------------


class Guard:
    """The compiled security of one operation: alternatives (OR) of requirements (AND)."""

    __slots__ = (
        "_alternatives",
        "_anonymous",
        "_challenges",
        "_verifier",
        "needs_cookies",
        "needs_query",
    )

    def __init__(
        self, op: Operation, schemes: Mapping[str, Any], verifier: Verifier | None
    ) -> None:
        assert op.security
        compiled: dict[str, _Scheme] = {}
        alternatives: list[tuple[tuple[_Scheme, tuple[str, ...]], ...]] = []
        for requirement in op.security:
            alternative = []
            for name, scopes in requirement:
                if name not in compiled:
                    compiled[name] = _scheme(name, schemes.get(name))
                alternative.append((compiled[name], tuple(scopes)))
            alternatives.append(tuple(alternative))
        self._alternatives = [a for a in alternatives if a]
        self._anonymous = len(self._alternatives) < len(alternatives)
        self._challenges = list(dict.fromkeys(s.challenge for s in compiled.values()))
        self._verifier = verifier
        self.needs_query = any(s.source == "query" for s in compiled.values())
        self.needs_cookies = any(s.source == "cookie" for s in compiled.values())

    async def check(
        self, headers: Mapping[str, str], query: Mapping[str, list[str]], cookies: Mapping[str, str]
    ) -> Principal | None:
        verified: dict[str, Principal | None] = {}
        presented = False
        lacking: Sequence[str] = ()
        for alternative in self._alternatives:
            principal: Principal | None = None
            for scheme, scopes in alternative:
                credential = scheme.credential(headers, query, cookies)
                if credential is None:
                    break
                presented = True
                if scheme.name not in verified:
                    verified[scheme.name] = await self._verify(scheme, credential, headers)
                found = verified[scheme.name]
                if found is None:
                    break
                missing = [s for s in scopes if s not in found.scopes]
                if missing:
                    lacking = lacking or missing
                    break
                principal = principal or found
            else:
                return principal
        if self._anonymous and not presented:
            return None
        if lacking:
            raise HTTPProblem(
                403,
                detail="missing required scopes: " + ", ".join(lacking),
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", '
                    f'scope="{" ".join(lacking)}"'
                },
                missing_scopes=list(lacking),
            )
        detail = "invalid credentials" if presented else "authentication required"
        raise HTTPProblem(
            401, detail=detail, headers={"WWW-Authenticate": ", ".join(self._challenges)}
        )

    async def _verify(
        self, scheme: _Scheme, credential: str, headers: Mapping[str, str]
    ) -> Principal | None:
        if self._verifier is None or not credential:
            return None
        return await self._verifier.verify(scheme.name, scheme.data, credential, headers)


def guard_for(
    op: Operation, document: Mapping[str, Any], verifier: Verifier | None
) -> Guard | None:
    """The operation's guard, or None when it is public (`()`) or unsecured (`None`)."""
    if not op.security:
        return None
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    return Guard(op, schemes if isinstance(schemes, Mapping) else {}, verifier)
