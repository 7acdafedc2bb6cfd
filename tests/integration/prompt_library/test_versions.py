"""Immutable versions and rendering."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from .conftest import RW

pytestmark = pytest.mark.anyio

PROBLEMS = "https://prompts.example.com/problems/"


async def new_prompt(client: httpx.AsyncClient, **fields: Any) -> tuple[str, str]:
    body = {"name": "summarize", "template": "Summarize: {{article}}", **fields}
    body.setdefault("variables", [{"name": "article"}])
    created = await client.post("/prompts", json=body, headers=RW)
    assert created.status_code == 201, created.text
    return created.json()["id"], created.headers["etag"]


async def add_version(
    client: httpx.AsyncClient, prompt_id: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(f"/prompts/{prompt_id}/versions", json=body, headers={**RW, **headers})


async def test_a_new_version_becomes_the_latest_and_old_ones_stay(
    client: httpx.AsyncClient,
) -> None:
    prompt_id, etag = await new_prompt(client)
    v2 = {
        "template": "In {{max_words}} words: {{article}}",
        "variables": [
            {"name": "article"},
            {"name": "max_words", "required": False, "default": "50"},
        ],
        "changelog": "Length limit.",
    }
    created = await add_version(client, prompt_id, v2, **{"If-Match": etag})
    assert created.status_code == 201, created.text
    version = created.json()
    assert version["version"] == 2
    assert version["changelog"] == "Length limit."
    assert version["created_by"].startswith("key-")
    assert "rw-key" not in version["created_by"]
    assert created.headers["location"] == f"/prompts/{prompt_id}/versions/2"
    assert created.headers["etag"] == f'"{prompt_id}-v2"'

    prompt = await client.get(f"/prompts/{prompt_id}", headers=RW)
    assert prompt.json()["latest_version"] == 2
    assert prompt.json()["template"] == v2["template"]
    assert prompt.json()["updated_at"] == version["created_at"]
    assert prompt.headers["etag"] != etag

    first = await client.get(f"/prompts/{prompt_id}/versions/1", headers=RW)
    assert first.status_code == 200
    assert first.json()["template"] == "Summarize: {{article}}"
    assert first.headers["etag"] == f'"{prompt_id}-v1"'

    stale = await add_version(client, prompt_id, v2, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["etag"] == prompt.headers["etag"]

    missing = await client.get(f"/prompts/{prompt_id}/versions/3", headers=RW)
    assert missing.status_code == 404


async def test_versions_are_listed_newest_first_across_pages(client: httpx.AsyncClient) -> None:
    prompt_id, _ = await new_prompt(client)
    for n in range(2, 6):
        assert (await add_version(client, prompt_id, {"template": f"v{n}"})).status_code == 201
    numbers: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(f"/prompts/{prompt_id}/versions", params=params, headers=RW)
        ).json()
        numbers.extend(item["version"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert numbers == [5, 4, 3, 2, 1]


async def test_a_cursor_of_one_prompt_is_refused_for_another(client: httpx.AsyncClient) -> None:
    first, _ = await new_prompt(client)
    second, _ = await new_prompt(client, name="other")
    for prompt_id in (first, second):
        await add_version(client, prompt_id, {"template": "v2"})
    cursor = (
        await client.get(f"/prompts/{first}/versions", params={"limit": 1}, headers=RW)
    ).json()["next_cursor"]
    refused = await client.get(f"/prompts/{second}/versions", params={"cursor": cursor}, headers=RW)
    assert refused.status_code == 400
    assert refused.json()["type"] == PROBLEMS + "invalid-cursor"


async def test_concurrent_versions_get_distinct_numbers(client: httpx.AsyncClient) -> None:
    prompt_id, _ = await new_prompt(client)
    responses = await asyncio.gather(
        *(add_version(client, prompt_id, {"template": f"t{i}"}) for i in range(10))
    )
    assert all(r.status_code == 201 for r in responses), [r.text for r in responses]
    assert sorted(r.json()["version"] for r in responses) == list(range(2, 12))


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"template": "Hi {{name}}", "variables": []}, "/template"),
        ({"template": "Hi", "variables": [{"name": "a"}, {"name": "a"}]}, "/variables/1/name"),
    ],
)
async def test_templates_must_match_their_variables(
    client: httpx.AsyncClient, body: dict[str, Any], pointer: str
) -> None:
    refused = await client.post("/prompts", json={"name": "bad", **body}, headers=RW)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == PROBLEMS + "validation-error"
    assert [e["pointer"] for e in problem["errors"]] == [pointer]
    prompt_id, _ = await new_prompt(client)
    assert (await add_version(client, prompt_id, body)).status_code == 422


async def render(client: httpx.AsyncClient, prompt_id: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"/prompts/{prompt_id}/renders", json=body, headers=RW)


async def test_render_substitutes_values_and_defaults(client: httpx.AsyncClient) -> None:
    prompt_id, _ = await new_prompt(
        client,
        template="{{ greeting }}, {{name}}! {{tone}}|{{greeting}} {{x}} {{ 1 }}",
        variables=[
            {"name": "greeting", "required": False, "default": "Hello"},
            {"name": "name"},
            {"name": "tone", "required": False},
            {"name": "x", "required": False, "default": None},
        ],
    )
    rendered = await render(client, prompt_id, {"variables": {"name": "{{greeting}}"}})
    assert rendered.status_code == 200, rendered.text
    assert rendered.json() == {
        "prompt_id": prompt_id,
        "version": 1,
        "text": "Hello, {{greeting}}! |Hello  {{ 1 }}",
    }


async def test_render_a_pinned_version(client: httpx.AsyncClient) -> None:
    prompt_id, _ = await new_prompt(client)
    await add_version(
        client, prompt_id, {"template": "Shout: {{article}}", "variables": [{"name": "article"}]}
    )
    values = {"variables": {"article": "news"}}
    assert (await render(client, prompt_id, values)).json()["text"] == "Shout: news"
    pinned = await render(client, prompt_id, {**values, "version": 1})
    assert pinned.json() == {"prompt_id": prompt_id, "version": 1, "text": "Summarize: news"}
    assert (await render(client, prompt_id, {**values, "version": 3})).status_code == 404


async def test_render_refuses_missing_and_undeclared_variables(client: httpx.AsyncClient) -> None:
    prompt_id, _ = await new_prompt(client)
    refused = await render(client, prompt_id, {"variables": {"other": "x"}})
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == PROBLEMS + "validation-error"
    assert sorted(e["pointer"] for e in problem["errors"]) == ["/variables", "/variables/other"]
