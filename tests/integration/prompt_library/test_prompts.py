"""Prompts end to end: create, get (ETag), list (pagination, filters), patch (If-Match),
delete, name conflicts, 404s — against the real app on a temporary SQLite file."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from .conftest import RW

pytestmark = pytest.mark.anyio

PROBLEMS = "https://prompts.example.com/problems/"
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


async def create(client: httpx.AsyncClient, name: str, **fields: Any) -> httpx.Response:
    body = {"name": name, "template": "Say hello.", **fields}
    response = await client.post("/prompts", json=body, headers=RW)
    assert response.status_code == 201, response.text
    return response


async def patch(
    client: httpx.AsyncClient, prompt_id: str, body: dict[str, Any], if_match: str
) -> httpx.Response:
    headers = {**RW, **MERGE_PATCH, "If-Match": if_match}
    return await client.patch(f"/prompts/{prompt_id}", json=body, headers=headers)


async def test_create_then_get_returns_the_same_representation_and_etag(
    client: httpx.AsyncClient,
) -> None:
    created = await create(
        client,
        "summarize-article",
        description="Summarize an article.",
        template="Summarize in {{max_words}} words:\n\n{{article}}",
        variables=[
            {"name": "article", "description": "The text."},
            {"name": "max_words", "required": False, "default": "100"},
        ],
        tags=["summarization", "news"],
        changelog="Initial version.",
    )
    prompt = created.json()
    assert prompt["latest_version"] == 1
    assert prompt["variables"] == [
        {"name": "article", "description": "The text.", "required": True, "default": None},
        {"name": "max_words", "description": None, "required": False, "default": "100"},
    ]
    assert prompt["created_at"] == prompt["updated_at"]
    assert created.headers["location"] == f"/prompts/{prompt['id']}"
    assert created.headers["etag"] == f'"{prompt["id"]}-1"'

    fetched = await client.get(f"/prompts/{prompt['id']}", headers=RW)
    assert fetched.status_code == 200
    assert fetched.json() == prompt
    assert fetched.headers["etag"] == created.headers["etag"]


async def test_duplicate_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    await create(client, "greeting")
    again = await client.post("/prompts", json={"name": "greeting", "template": "x"}, headers=RW)
    assert again.status_code == 409
    assert again.json()["type"] == PROBLEMS + "name-taken"
    assert again.headers["content-type"] == "application/problem+json"


async def test_pagination_walks_every_prompt_once_newest_first(client: httpx.AsyncClient) -> None:
    ids = [(await create(client, f"prompt-{i}")).json()["id"] for i in range(7)]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor is not None:
            params["cursor"] = cursor
        page = (await client.get("/prompts", params=params, headers=RW)).json()
        pages += 1
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))


async def test_a_full_last_page_has_no_cursor(client: httpx.AsyncClient) -> None:
    for i in range(4):
        await create(client, f"prompt-{i}")
    first = (await client.get("/prompts", params={"limit": 2}, headers=RW)).json()
    second = (
        await client.get(
            "/prompts", params={"limit": 2, "cursor": first["next_cursor"]}, headers=RW
        )
    ).json()
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None


async def test_filters_combine_with_and(client: httpx.AsyncClient) -> None:
    await create(client, "alpha", description="Un été à Paris", tags=["maps", "fr"])
    await create(client, "beta", description="100% off", tags=["sales"])
    await create(client, "gamma-alpha", tags=["maps"])

    async def names(**params: Any) -> list[str]:
        page = (await client.get("/prompts", params=params, headers=RW)).json()
        return sorted(item["name"] for item in page["items"])

    assert await names(tag="maps") == ["alpha", "gamma-alpha"]
    assert await names(tag="maps", q="ALPHA") == ["alpha", "gamma-alpha"]
    assert await names(name="alpha") == ["alpha"]
    assert await names(q="ÉTÉ À") == ["alpha"]  # Unicode, not only ASCII
    assert await names(q="%") == ["beta"]  # LIKE wildcards are literal
    assert await names(q="_") == []
    assert await names(tag="maps", name="beta") == []


async def test_cursors_are_tamper_evident_and_bound_to_their_listing(
    client: httpx.AsyncClient,
) -> None:
    for i in range(3):
        await create(client, f"prompt-{i}", tags=["t"])
    cursor = (await client.get("/prompts", params={"limit": 1}, headers=RW)).json()["next_cursor"]
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    for params in (
        {"cursor": tampered},
        {"cursor": "eyJpZCI6IjAxSkQ4WTNLNVY5UTJXN1hINE02TjBQWlJTIn0"},
        {"cursor": cursor, "tag": "t"},  # another listing
    ):
        refused = await client.get("/prompts", params=params, headers=RW)
        assert refused.status_code == 400, params
        assert refused.json()["type"] == PROBLEMS + "invalid-cursor"


async def test_patch_needs_the_current_etag(client: httpx.AsyncClient) -> None:
    created = await create(client, "greeting", description="old", tags=["a"])
    prompt_id, etag = created.json()["id"], created.headers["etag"]

    stale = await patch(client, prompt_id, {"tags": ["b"]}, '"not-the-etag"')
    assert stale.status_code == 412
    assert stale.json()["type"] == PROBLEMS + "precondition-failed"
    assert stale.headers["etag"] == etag

    missing = await client.patch(
        f"/prompts/{prompt_id}", json={"tags": ["b"]}, headers={**RW, **MERGE_PATCH}
    )
    assert missing.status_code == 400

    updated = await patch(client, prompt_id, {"tags": ["b", "c"], "description": None}, etag)
    assert updated.status_code == 200
    body = updated.json()
    assert body["tags"] == ["b", "c"]
    assert body["description"] is None
    assert body["latest_version"] == 1
    assert body["updated_at"] > body["created_at"]
    assert updated.headers["etag"] == f'"{prompt_id}-2"'

    again = await patch(client, prompt_id, {"name": "hello"}, etag)  # the old ETag
    assert again.status_code == 412

    renamed = await patch(client, prompt_id, {"name": "hello", "tags": None}, "*")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "hello"
    assert renamed.json()["tags"] == []


async def test_a_patch_that_changes_nothing_keeps_the_etag(client: httpx.AsyncClient) -> None:
    created = await create(client, "greeting", tags=["a"])
    prompt_id, etag = created.json()["id"], created.headers["etag"]
    same = await patch(client, prompt_id, {"name": "greeting", "tags": ["a"]}, etag)
    assert same.status_code == 200
    assert same.headers["etag"] == etag
    assert same.json() == created.json()


async def test_renaming_onto_a_taken_name_is_a_conflict(client: httpx.AsyncClient) -> None:
    await create(client, "taken")
    created = await create(client, "free")
    conflict = await patch(client, created.json()["id"], {"name": "taken"}, "*")
    assert conflict.status_code == 409
    assert conflict.json()["type"] == PROBLEMS + "name-taken"


async def test_delete_honours_if_match_and_removes_versions(client: httpx.AsyncClient) -> None:
    created = await create(client, "greeting")
    prompt_id, etag = created.json()["id"], created.headers["etag"]
    await client.post(f"/prompts/{prompt_id}/versions", json={"template": "v2"}, headers=RW)

    stale = await client.delete(f"/prompts/{prompt_id}", headers={**RW, "If-Match": etag})
    assert stale.status_code == 412  # a version was added since `etag` was read
    assert (await client.get(f"/prompts/{prompt_id}", headers=RW)).status_code == 200

    deleted = await client.delete(f"/prompts/{prompt_id}", headers=RW)
    assert deleted.status_code == 204
    assert deleted.content == b""
    for path in ("", "/versions", "/versions/1"):
        gone = await client.get(f"/prompts/{prompt_id}{path}", headers=RW)
        assert gone.status_code == 404, path
    assert (await client.delete(f"/prompts/{prompt_id}", headers=RW)).status_code == 404
    # The name is free again.
    await create(client, "greeting")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "", None),
        ("DELETE", "", None),
        ("PATCH", "", {"tags": []}),
        ("GET", "/versions", None),
        ("POST", "/versions", {"template": "x"}),
        ("GET", "/versions/1", None),
        ("POST", "/renders", {"variables": {}}),
    ],
)
async def test_unknown_prompts_are_not_found(
    client: httpx.AsyncClient, method: str, path: str, body: Any
) -> None:
    headers = {**RW, **MERGE_PATCH, "If-Match": "*"} if method == "PATCH" else RW
    response = await client.request(
        method, f"/prompts/01JD8Y3K5V9Q2W7XH4M6N0PZRS{path}", json=body, headers=headers
    )
    assert response.status_code == 404
    problem = response.json()
    assert problem["type"] == PROBLEMS + "not-found"
    assert problem["status"] == 404


async def test_concurrent_creates_with_one_name_make_one_prompt(client: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(
        *(
            client.post("/prompts", json={"name": "race", "template": "x"}, headers=RW)
            for _ in range(8)
        )
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7
    page = (await client.get("/prompts", headers=RW)).json()
    assert [item["name"] for item in page["items"]] == ["race"]


async def test_readiness_checks_the_database(client: httpx.AsyncClient) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_text_holding_nul_is_refused_on_every_backend(client: httpx.AsyncClient) -> None:
    refused = await client.post(
        "/prompts",
        json={"name": "nul", "template": "a\u0000b", "variables": [], "tags": []},
        headers=RW,
    )
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/template"]
    created = await create(client, "nul")
    patched = await patch(client, created.json()["id"], {"description": "\u0000"}, "*")
    assert patched.status_code == 422
    assert [e["pointer"] for e in patched.json()["errors"]] == ["/description"]
    page = await client.get("/prompts", params={"q": "\u0000"}, headers=RW)
    assert page.status_code == 200
    assert page.json()["items"] == []
