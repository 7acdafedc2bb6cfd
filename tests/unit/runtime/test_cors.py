"""CORS (issue 11 item 11): off by default; an allow-list policy; the runtime answers the
preflight of every path in the spec from what the path documents."""

from __future__ import annotations

import pytest

from toolkit.runtime import CorsPolicy, Settings

from .conftest import KEYS, MakeClient, assert_problem

pytestmark = pytest.mark.anyio

APP = "https://app.example.com"
POLICY = CorsPolicy(origins=(APP,), credentials=True, max_age=120)


def _preflight(method: str, headers: str = "", origin: str = APP) -> dict[str, str]:
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return asked


async def test_off_by_default_no_cors_headers(make_client: MakeClient) -> None:
    client = make_client()
    response = await client.get("/items", headers={"Origin": APP})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = await client.options("/items", headers=_preflight("POST"))
    assert preflight.status_code == 405


async def test_an_allowed_origin_gets_the_headers(make_client: MakeClient) -> None:
    client = make_client(Settings(verifier=KEYS, cors=POLICY))
    response = await client.get("/items", headers={"Origin": APP})
    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["vary"] == "Origin"
    assert "X-Request-ID" in response.headers["access-control-expose-headers"]
    other = await client.get("/items", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers


async def test_the_preflight_is_answered_from_the_spec(make_client: MakeClient) -> None:
    client = make_client(Settings(verifier=KEYS, cors=POLICY))
    response = await client.options(
        "/items/7", headers=_preflight("DELETE", "X-Trace, Content-Type")
    )
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-allow-methods"] == "DELETE, GET, HEAD"
    assert response.headers["access-control-allow-headers"] == "x-trace, content-type"
    assert response.headers["access-control-max-age"] == "120"


@pytest.mark.parametrize(
    ("path", "asked", "why"),
    [
        ("/items/7", _preflight("PATCH"), "PATCH is not allowed here"),
        ("/items/7", _preflight("GET", "X-Secret"), "'x-secret' is not allowed"),
        ("/items/7", _preflight("GET", origin="https://evil.example"), "is not allowed"),
    ],
)
async def test_a_refused_preflight_says_why(
    make_client: MakeClient, path: str, asked: dict[str, str], why: str
) -> None:
    client = make_client(Settings(verifier=KEYS, cors=POLICY))
    body = assert_problem(await client.options(path, headers=asked), 403)
    assert why in body["detail"]


def test_credentials_for_any_origin_are_refused() -> None:
    with pytest.raises(ValueError, match="credentials cannot be allowed for any origin"):
        CorsPolicy(origins=("*",), credentials=True)


async def test_any_origin_without_credentials(make_client: MakeClient) -> None:
    client = make_client(Settings(verifier=KEYS, cors=CorsPolicy(origins=("*",))))
    response = await client.get("/items", headers={"Origin": "https://anyone.example"})
    assert response.headers["access-control-allow-origin"] == "*"
