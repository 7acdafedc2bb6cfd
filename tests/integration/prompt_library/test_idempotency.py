"""`Idempotency-Key` on POST /prompts and POST /prompts/{id}/versions."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from .conftest import RW, WO

pytestmark = pytest.mark.anyio

PROBLEMS = "https://prompts.example.com/problems/"
BODY = {"name": "greeting", "template": "Say hello."}


def keyed(key: str, credentials: dict[str, str] = RW) -> dict[str, str]:
    return {**credentials, "Idempotency-Key": key}


async def test_a_retry_gets_the_stored_response(client: httpx.AsyncClient) -> None:
    first = await client.post("/prompts", json=BODY, headers=keyed("key-00000001"))
    assert first.status_code == 201
    # Same body, other formatting and spelled-out defaults: still the same request.
    retry = await client.post(
        "/prompts",
        json={"template": "Say hello.", "variables": [], "name": "greeting"},
        headers=keyed("key-00000001"),
    )
    assert retry.status_code == 201
    assert retry.content == first.content
    for header in ("etag", "location", "content-type"):
        assert retry.headers[header] == first.headers[header]
    assert retry.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    page = (await client.get("/prompts", headers=RW)).json()
    assert len(page["items"]) == 1


async def test_a_reused_key_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/prompts", json=BODY, headers=keyed("key-00000002"))
    ).status_code == 201
    other = {**BODY, "name": "farewell"}
    reused = await client.post("/prompts", json=other, headers=keyed("key-00000002"))
    assert reused.status_code == 422
    assert reused.json()["type"] == PROBLEMS + "idempotency-key-reused"
    # On another operation the key is another request too.
    prompt_id = (await client.get("/prompts", headers=RW)).json()["items"][0]["id"]
    elsewhere = await client.post(
        f"/prompts/{prompt_id}/versions", json={"template": "x"}, headers=keyed("key-00000002")
    )
    assert elsewhere.status_code == 422


async def test_keys_belong_to_one_principal(client: httpx.AsyncClient) -> None:
    assert (
        await client.post("/prompts", json=BODY, headers=keyed("key-00000003"))
    ).status_code == 201
    other = {**BODY, "name": "farewell"}
    mine = await client.post("/prompts", json=other, headers=keyed("key-00000003", WO))
    assert mine.status_code == 201


async def test_failed_requests_are_not_stored(client: httpx.AsyncClient) -> None:
    assert (await client.post("/prompts", json=BODY, headers=RW)).status_code == 201
    conflict = await client.post("/prompts", json=BODY, headers=keyed("key-00000004"))
    assert conflict.status_code == 409
    fixed = await client.post(
        "/prompts", json={**BODY, "name": "other"}, headers=keyed("key-00000004")
    )
    assert fixed.status_code == 201


async def test_version_retries_do_not_add_versions(client: httpx.AsyncClient) -> None:
    created = await client.post("/prompts", json=BODY, headers=RW)
    prompt_id, etag = created.json()["id"], created.headers["etag"]
    headers = {**keyed("key-00000005"), "If-Match": etag}
    first = await client.post(
        f"/prompts/{prompt_id}/versions", json={"template": "v2"}, headers=headers
    )
    # The ETag is stale now, but a retry is answered from the store, not re-evaluated.
    retry = await client.post(
        f"/prompts/{prompt_id}/versions", json={"template": "v2"}, headers=headers
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    prompt = (await client.get(f"/prompts/{prompt_id}", headers=RW)).json()
    assert prompt["latest_version"] == 2


async def test_concurrent_retries_create_once(client: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *(client.post("/prompts", json=BODY, headers=keyed("key-00000006")) for _ in range(6))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum("idempotent-replayed" in r.headers for r in responses) == 5
