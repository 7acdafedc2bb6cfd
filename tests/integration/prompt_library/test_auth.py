"""API keys and bearer tokens with scopes (`examples/prompt_library/auth.py`)."""

from __future__ import annotations

import httpx
import pytest

from .conftest import RO, RW, WO

pytestmark = pytest.mark.anyio


async def test_no_credentials_is_unauthorized(client: httpx.AsyncClient) -> None:
    response = await client.get("/prompts")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "Bearer" in response.headers["www-authenticate"]
    assert "ApiKey" in response.headers["www-authenticate"]


@pytest.mark.parametrize(
    "headers", [{"X-API-Key": "dev-key"}, {"Authorization": "Bearer nope"}, {"X-API-Key": ""}]
)
async def test_unknown_credentials_are_unauthorized(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    # dev-key is only the default when PROMPT_LIBRARY_API_KEYS is unset.
    assert (await client.get("/prompts", headers=headers)).status_code == 401


async def test_scopes_are_enforced(client: httpx.AsyncClient) -> None:
    body = {"name": "greeting", "template": "Hi."}
    denied = await client.post("/prompts", json=body, headers=RO)
    assert denied.status_code == 403
    assert denied.json()["missing_scopes"] == ["prompts:write"]
    created = await client.post("/prompts", json=body, headers=WO)
    assert created.status_code == 201
    assert (await client.get("/prompts", headers=WO)).status_code == 403
    assert (await client.get("/prompts", headers=RO)).status_code == 200
    rendered = await client.post(
        f"/prompts/{created.json()['id']}/renders", json={"variables": {}}, headers=RO
    )
    assert rendered.status_code == 200


async def test_keys_work_as_bearer_tokens(client: httpx.AsyncClient) -> None:
    assert (
        await client.get("/prompts", headers={"Authorization": "Bearer ro-key"})
    ).status_code == 200
    denied = await client.delete(
        "/prompts/01JD8Y3K5V9Q2W7XH4M6N0PZRS", headers={"Authorization": "Bearer ro-key"}
    )
    assert denied.status_code == 403


async def test_the_creator_is_recorded_without_the_key(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/prompts", json={"name": "greeting", "template": "Hi."}, headers=RW
    )
    versions = await client.get(f"/prompts/{created.json()['id']}/versions", headers=RW)
    created_by = versions.json()["items"][0]["created_by"]
    assert created_by.startswith("key-")
    assert "rw-key" not in created_by
