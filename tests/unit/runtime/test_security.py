"""Security schemes: apiKey (header, query, cookie), http bearer and basic, oauth2 scopes,
alternatives and combinations; 401 with challenges, 403 naming the missing scopes."""

from __future__ import annotations

import base64

import pytest

from toolkit.runtime import Principal, Settings, StaticKeys

from .conftest import Client, MakeClient, Service, assert_problem

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("url", "kwargs", "subject", "scheme"),
    [
        ("/secure/header", {"headers": {"X-API-Key": "k-123"}}, "alice", "key_header"),
        ("/secure/query?api_key=q-123", {}, "quinn", "key_query"),
        ("/secure/cookie", {"headers": {"Cookie": "sid=c-123"}}, "carol", "key_cookie"),
        ("/secure/bearer", {"headers": {"Authorization": "Bearer tok-rw"}}, "bob", "bearer"),
        ("/secure/bearer", {"headers": {"Authorization": "bearer tok-rw"}}, "bob", "bearer"),
        (
            "/secure/basic",
            {"headers": {"Authorization": "Basic " + base64.b64encode(b"dave:pa55").decode()}},
            "dave",
            "basic",
        ),
        ("/secure/oauth", {"headers": {"Authorization": "Bearer tok-rw"}}, "bob", "oauth"),
        ("/secure/either", {"headers": {"Authorization": "Bearer tok-r"}}, "rita", "bearer"),
        ("/secure/either", {"headers": {"X-API-Key": "k-123"}}, "alice", "key_header"),
        (
            "/secure/both",
            {"headers": {"X-API-Key": "k-123", "Authorization": "Bearer tok-r"}},
            "alice",
            "key_header",
        ),
        ("/secure/optional", {}, None, None),
        ("/secure/optional", {"headers": {"Authorization": "Bearer tok-r"}}, "rita", "bearer"),
        ("/public", {}, None, None),
    ],
)
async def test_accepted_credentials(
    client: Client, url: str, kwargs: dict[str, object], subject: object, scheme: object
) -> None:
    response = await client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert (response.json()["principal"], response.json()["scheme"]) == (subject, scheme)


@pytest.mark.parametrize(
    ("url", "challenge"),
    [
        ("/secure/header", 'ApiKey realm="api", in="header", name="x-api-key"'),
        ("/secure/query", 'ApiKey realm="api", in="query", name="api_key"'),
        ("/secure/cookie", 'ApiKey realm="api", in="cookie", name="sid"'),
        ("/secure/bearer", 'Bearer realm="api"'),
        ("/secure/basic", 'Basic realm="api", charset="UTF-8"'),
        ("/secure/oauth", 'Bearer realm="api"'),
    ],
)
async def test_missing_credentials_are_401_with_a_challenge(
    client: Client, service: Service, url: str, challenge: str
) -> None:
    response = await client.get(url)
    body = assert_problem(response, 401)
    assert body["detail"] == "authentication required"
    assert response.headers["www-authenticate"] == challenge
    assert service.calls == []


async def test_alternatives_list_every_challenge(client: Client) -> None:
    response = await client.get("/secure/either")
    assert_problem(response, 401)
    assert "ApiKey" in response.headers["www-authenticate"]
    assert "Bearer" in response.headers["www-authenticate"]


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/secure/header", {"X-API-Key": "wrong"}),
        ("/secure/bearer", {"Authorization": "Bearer wrong"}),
        ("/secure/bearer", {"Authorization": "Basic tok-rw"}),  # wrong scheme: no credential
        ("/secure/basic", {"Authorization": "Basic !!!not-base64"}),
        ("/secure/basic", {"Authorization": "Basic " + base64.b64encode(b"dave:nope").decode()}),
        ("/secure/header", {"Authorization": "Bearer tok-rw"}),  # key bound to another scheme
        ("/secure/both", {"X-API-Key": "k-123"}),  # AND: both needed
        (
            "/secure/optional",
            {"Authorization": "Bearer wrong"},
        ),  # bad credentials are not anonymous
    ],
)
async def test_refused_credentials_are_401(
    client: Client, url: str, headers: dict[str, str]
) -> None:
    assert_problem(await client.get(url, headers=headers), 401)


async def test_key_bound_to_a_scheme_is_refused_under_another(client: Client) -> None:
    assert_problem(
        await client.get("/secure/bearer", headers={"Authorization": "Bearer k-123"}), 401
    )


async def test_missing_scope_is_403_naming_it(client: Client, service: Service) -> None:
    response = await client.get("/secure/oauth", headers={"Authorization": "Bearer tok-r"})
    body = assert_problem(response, 403)
    assert body["missing_scopes"] == ["items:write"]
    assert "items:write" in body["detail"]
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert service.calls == []


async def test_no_verifier_rejects_every_credential(make_client: MakeClient) -> None:
    client = make_client(Settings())
    assert_problem(await client.get("/secure/header", headers={"X-API-Key": "k-123"}), 401)
    assert (await client.get("/public")).status_code == 200


async def test_security_runs_before_the_body_is_read(make_client: MakeClient) -> None:
    spec_path = "/secure/header"
    from .conftest import SPEC

    spec = {**SPEC, "paths": {**SPEC["paths"]}}
    spec["paths"][spec_path] = {
        "post": {
            "operationId": "secure_header",
            "security": [{"key_header": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {"200": {"description": "ok"}},
        }
    }
    client = make_client(spec=spec)
    response = await client.post(
        spec_path, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 401)  # not 400: the body is never looked at


async def test_static_keys_compare_whole_values() -> None:
    keys = StaticKeys({"abc": Principal("a", frozenset(), "")})
    assert await keys.verify("s", {}, "abc", {}) == Principal("a", frozenset(), "s")
    assert await keys.verify("s", {}, "ab", {}) is None
    assert await keys.verify("s", {}, "abcd", {}) is None
