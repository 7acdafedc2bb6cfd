"""The ready verifiers (issue 11 item 6): keys from the environment, and JWTs checked by
PyJWT against a local JWKS file (signature, expiry, issuer, audience, scopes)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from toolkit.runtime import OperationError
from toolkit.runtime.verifiers import EnvironmentKeys, JwtVerifier, from_environment

SECRET = "a-shared-secret-of-at-least-32-bytes!!"


def _verify(verifier: Any, token: str, scheme: str = "bearer") -> Any:
    return asyncio.run(verifier.verify(scheme, {"type": "http"}, token, {}))


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    entries = []
    for kid, alg, public in (
        ("r1", "RS256", rsa_key.public_key()),
        ("e1", "ES256", ec_key.public_key()),
    ):
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(public))
        entries.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
    hmac = json.loads(jwt.algorithms.HMACAlgorithm.to_jwk(SECRET.encode()))
    entries.append({**hmac, "kid": "h1", "alg": "HS256"})
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps({"keys": entries}), encoding="utf-8")
    return {"path": path, "RS256": rsa_key, "ES256": ec_key, "HS256": SECRET}


def _token(keys: dict[str, Any], alg: str = "RS256", kid: str = "r1", **claims: Any) -> str:
    body = {"sub": "ada", "exp": int(time.time()) + 60, "scope": "items:read items:write"}
    body.update(claims)
    return jwt.encode(body, keys[alg], algorithm=alg, headers={"kid": kid})


@pytest.mark.parametrize(("alg", "kid"), [("RS256", "r1"), ("ES256", "e1"), ("HS256", "h1")])
def test_a_valid_token_is_a_principal_with_its_scopes(
    keys: dict[str, Any], alg: str, kid: str
) -> None:
    verifier = JwtVerifier(keys["path"], issuer="https://idp", audience="api")
    token = _token(keys, alg, kid, iss="https://idp", aud="api")
    principal = _verify(verifier, token)
    assert principal is not None
    assert principal.subject == "ada" and principal.scheme == "bearer"
    assert principal.scopes == {"items:read", "items:write"}


def test_scopes_may_come_as_a_list(keys: dict[str, Any]) -> None:
    token = _token(keys, scope=None, scp=["a", "b"])
    assert _verify(JwtVerifier(keys["path"]), token).scopes == {"a", "b"}


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 3600},  # expired
        {"iss": "https://other"},  # another issuer
        {"aud": "other-api"},  # another audience
        {"nbf": int(time.time()) + 3600},  # not yet valid
    ],
    ids=["expired", "issuer", "audience", "not-before"],
)
def test_a_token_failing_a_check_is_refused(keys: dict[str, Any], claims: dict[str, Any]) -> None:
    verifier = JwtVerifier(keys["path"], issuer="https://idp", audience="api")
    token = _token(keys, **{"iss": "https://idp", "aud": "api", **claims})
    assert _verify(verifier, token) is None


def test_a_forged_or_unknown_token_is_refused(keys: dict[str, Any]) -> None:
    verifier = JwtVerifier(keys["path"])
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, other, "RS256", {"kid": "r1"})
    assert _verify(verifier, forged) is None
    assert _verify(verifier, _token(keys, kid="nope")) is None
    unsigned = jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, None, "none")
    assert _verify(verifier, unsigned) is None
    assert _verify(verifier, "not.a.jwt") is None
    # HS256 signed with the RSA public key as secret: the classic algorithm confusion
    assert (
        _verify(JwtVerifier(keys["path"], algorithms=("RS256",)), _token(keys, "HS256", "h1"))
        is None
    )


def test_a_bad_jwks_file_is_a_startup_error(tmp_path: Path) -> None:
    bad = tmp_path / "jwks.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(OperationError, match="JWKS file"):
        JwtVerifier(bad)


def test_environment_keys() -> None:
    verifier = EnvironmentKeys(environ={"CTK_API_KEYS": "k1=items:read;k2=items:read items:write"})
    assert verifier.count == 2
    principal = _verify(verifier, "k2", scheme="apiKey")
    assert principal.scopes == {"items:read", "items:write"} and principal.scheme == "apiKey"
    assert _verify(verifier, "k3") is None


def test_from_environment(monkeypatch: pytest.MonkeyPatch, keys: dict[str, Any]) -> None:
    monkeypatch.delenv("CTK_API_KEYS", raising=False)
    monkeypatch.delenv("CTK_JWKS_FILE", raising=False)
    with pytest.raises(OperationError, match="no verifier configured"):
        from_environment()
    monkeypatch.setenv("CTK_API_KEYS", "k1=a")
    monkeypatch.setenv("CTK_JWKS_FILE", str(keys["path"]))
    both = from_environment()
    assert _verify(both, "k1").scopes == {"a"}
    assert _verify(both, _token(keys)).subject == "ada"
