"""Which credentials the mock accepts.

A mock that takes any credential teaches a consumer nothing about auth, and fails every
fuzzer's "junk credentials accepted" check (Prism does). So by default it accepts one
known credential, `mock-token`, under every scheme (an API key's value, a bearer token,
the password of HTTP basic), printed at startup; `--credential` names others, and
`--any-credential` takes every credential of the scheme's form (Prism's behaviour). The
principal holds every scope the document names: scopes are the provider's business.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from toolkit.runtime import Principal

DEFAULT = "mock-token"


class MockCredentials:
    """A `toolkit.runtime.Verifier`: `accepted` credentials, or (None) any well-formed one."""

    def __init__(self, accepted: frozenset[str] | None, scopes: frozenset[str]) -> None:
        self.accepted = accepted
        self.scopes = scopes

    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Principal | None:
        basic = str(scheme.get("scheme", "")).lower() == "basic"
        user, secret = credential.partition(":")[::2] if basic else ("mock", credential)
        if not user or not secret:
            return None
        if self.accepted is None:
            if not well_formed(scheme, secret):
                return None
        elif secret not in self.accepted:
            return None
        return Principal(subject=user, scopes=self.scopes, scheme=scheme_name)


def well_formed(scheme: Mapping[str, Any], secret: str) -> bool:
    """A bearer token declared as a JWT has three base64url segments; others any text."""
    if str(scheme.get("bearerFormat", "")).upper() != "JWT":
        return True
    parts = secret.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return False
    try:
        for part in parts[:2]:
            base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        return False
    return True


def all_scopes(document: Mapping[str, Any]) -> frozenset[str]:
    """Every scope the document names: in OAuth flows and in security requirements."""
    found: set[str] = set()
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for scheme in schemes.values() if isinstance(schemes, dict) else []:
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        for flow in flows.values() if isinstance(flows, dict) else []:
            scopes = flow.get("scopes") if isinstance(flow, dict) else None
            found.update(str(s) for s in (scopes if isinstance(scopes, dict) else {}))
    requirements: list[Any] = [document.get("security")]
    for item in (document.get("paths") or {}).values():
        for op in item.values() if isinstance(item, dict) else []:
            if isinstance(op, dict):
                requirements.append(op.get("security"))
    for listed in requirements:
        for requirement in listed if isinstance(listed, list) else []:
            for scopes in requirement.values() if isinstance(requirement, dict) else []:
                found.update(str(s) for s in (scopes if isinstance(scopes, list) else []))
    return frozenset(found)


def credential_headers(document: Mapping[str, Any], credential: str = DEFAULT) -> tuple[str, ...]:
    """`Name: value` headers carrying `credential` for every header-borne scheme the document
    declares (API keys in headers or cookies, bearer, basic): what `ctk fuzz --mock` sends."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for scheme in schemes.values() if isinstance(schemes, dict) else []:
        if not isinstance(scheme, dict):
            continue
        kind, name = scheme.get("type"), str(scheme.get("name") or "")
        http = str(scheme.get("scheme", "")).lower()
        if kind == "apiKey" and scheme.get("in") == "header" and name:
            headers.setdefault(name, credential)
        elif kind == "apiKey" and scheme.get("in") == "cookie" and name:
            cookies.append(f"{name}={credential}")
        elif kind == "http" and http == "basic":
            token = base64.b64encode(f"mock:{credential}".encode()).decode("ascii")
            headers.setdefault("Authorization", f"Basic {token}")
        elif kind in ("oauth2", "openIdConnect") or (kind == "http" and http == "bearer"):
            headers.setdefault("Authorization", f"Bearer {credential}")
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    return tuple(f"{name}: {value}" for name, value in headers.items())
