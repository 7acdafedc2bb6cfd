"""Ready verifiers (issue 11 item 6): keys and static tokens from the environment, and JWTs.

`ctk serve --verifier toolkit.runtime.verifiers:from_environment` (or your own `Verifier`)
turns credentials into principals; without one, every secured operation answers 401.

- `EnvironmentKeys`: API keys and static bearer tokens listed in an environment variable,
  `key=scope scope;other-key=scope` (compared in constant time, as `StaticKeys`).
- `JwtVerifier`: signed JWTs (RS256, ES256, HS256 by default) checked with PyJWT, the
  field's library: signature against a key of a local JWKS file (by `kid`), expiry and
  not-before (with leeway), issuer and audience when configured. The principal's subject is
  `sub`, its scopes the `scope` (space-separated) or `scp` (list) claim. PyJWT is the `jwt`
  extra (`pip install contract-toolkit[jwt]`); only this verifier imports it.
- `from_environment()`: whichever the environment configures (`CTK_JWKS_FILE` for JWTs,
  `CTK_API_KEYS` for keys), both when both are set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .operation import OperationError
from .security import Principal, StaticKeys, Verifier

KEYS_VARIABLE = "CTK_API_KEYS"
JWKS_VARIABLE = "CTK_JWKS_FILE"
ISSUER_VARIABLE = "CTK_JWT_ISSUER"
AUDIENCE_VARIABLE = "CTK_JWT_AUDIENCE"
_ALGORITHMS = ("RS256", "ES256", "HS256")


class EnvironmentKeys(StaticKeys):
    """API keys and static bearer tokens from `variable`: `key=scope scope;key2=scope`."""

    def __init__(self, variable: str = KEYS_VARIABLE, environ: Mapping[str, str] | None = None):
        text = (os.environ if environ is None else environ).get(variable, "")
        keys: dict[str, Principal] = {}
        for index, entry in enumerate(part for part in text.split(";") if part.strip()):
            key, _, scopes = entry.strip().partition("=")
            if not key:
                raise OperationError(f"{variable}: entry {index + 1} has no key")
            keys[key] = Principal(f"key-{index + 1}", frozenset(scopes.split()), scheme="")
        super().__init__(keys)
        self.count = len(keys)


class JwtVerifier:
    """Bearer JWTs checked against a local JWKS file; see the module docstring."""

    def __init__(
        self,
        jwks_file: str | Path,
        *,
        issuer: str | None = None,
        audience: str | Sequence[str] | None = None,
        algorithms: Sequence[str] = _ALGORITHMS,
        leeway: float = 30.0,
    ) -> None:
        try:
            import jwt  # the `jwt` extra
        except ImportError:  # pragma: no cover - depends on the installation
            raise OperationError(
                "the JWT verifier needs PyJWT", hint="pip install 'contract-toolkit[jwt]'"
            ) from None
        self._jwt = jwt
        path = Path(jwks_file)
        try:
            jwks = json.loads(path.read_text(encoding="utf-8"))
            keyset = jwt.PyJWKSet.from_dict(jwks)
        except (OSError, ValueError, jwt.PyJWKSetError, jwt.InvalidKeyError) as error:
            raise OperationError(f"JWKS file {path}: {error}") from None
        self._keys = {key.key_id: key for key in keyset.keys}
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._leeway = leeway

    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Principal | None:
        jwt = self._jwt
        try:
            header = jwt.get_unverified_header(credential)
            key = self._keys.get(header.get("kid"))
            if key is None and len(self._keys) == 1 and header.get("kid") is None:
                key = next(iter(self._keys.values()))
            if key is None or header.get("alg") not in self._algorithms:
                return None
            options = {"require": ["exp", "sub"]}
            claims = jwt.decode(
                credential,
                key.key,
                algorithms=[header["alg"]],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={**options, "verify_aud": self._audience is not None},
            )
        except jwt.PyJWTError:
            return None
        return Principal(str(claims["sub"]), _scopes(claims), scheme=scheme_name, claims=claims)


def _scopes(claims: Mapping[str, Any]) -> frozenset[str]:
    scope = claims.get("scope")
    if isinstance(scope, str):
        return frozenset(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list):
        return frozenset(str(s) for s in scp)
    return frozenset()


class AnyOf:
    """The first verifier that accepts the credential."""

    def __init__(self, *verifiers: Verifier) -> None:
        self._verifiers = verifiers

    async def verify(
        self,
        scheme_name: str,
        scheme: Mapping[str, Any],
        credential: str,
        request_headers: Mapping[str, str],
    ) -> Principal | None:
        for verifier in self._verifiers:
            found = await verifier.verify(scheme_name, scheme, credential, request_headers)
            if found is not None:
                return found
        return None


def from_environment() -> Verifier:
    """A verifier from `CTK_JWKS_FILE` (+ `CTK_JWT_ISSUER`, `CTK_JWT_AUDIENCE`) and/or
    `CTK_API_KEYS`; OperationError when neither is set."""
    found: list[Verifier] = []
    jwks = os.environ.get(JWKS_VARIABLE)
    if jwks:
        found.append(
            JwtVerifier(
                jwks,
                issuer=os.environ.get(ISSUER_VARIABLE) or None,
                audience=os.environ.get(AUDIENCE_VARIABLE) or None,
            )
        )
    if os.environ.get(KEYS_VARIABLE):
        found.append(EnvironmentKeys())
    if not found:
        raise OperationError(
            f"no verifier configured: set {JWKS_VARIABLE} (a JWKS file) or {KEYS_VARIABLE}",
            hint=f"e.g. {KEYS_VARIABLE}='dev-key=items:read items:write'",
        )
    return found[0] if len(found) == 1 else AnyOf(*found)
