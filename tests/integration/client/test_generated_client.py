"""The generated client (`ctk generate --client`) over loopback, against the reference
service and against `ctk mock`: typed results and errors, pagination, retries (503 and 429
with Retry-After, idempotency keys reused, POST without one never retried), the retry
budget, and timeouts. Faults are injected by a wrapper app in front of the real one."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from tests.integration.prompt_library.conftest import build_app
from toolkit.cli import cli
from toolkit.client import (
    NotFoundError,
    RetryPolicy,
    ServerError,
    Timeouts,
    TransportError,
    UnauthorizedError,
    UnexpectedResponseError,
)
from toolkit.load import load_document
from toolkit.mock import MockOptions, build_mock
from toolkit.runtime import running

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "prompt-library.yaml"
FAST = RetryPolicy(base=0.01, cap=0.05)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("client") / "plc_client"
    result = CliRunner().invoke(cli, ["generate", str(SPEC), "--out", str(out), "--client"])
    assert result.exit_code == 0, result.output
    sys.path.insert(0, str(out.parent))
    try:
        yield importlib.import_module("plc_client.client")
    finally:
        sys.path.remove(str(out.parent))


class Faults:
    """An ASGI wrapper: the next `count` requests matching (method, path) get `status` with
    `headers`, or wait `delay` seconds first; every request's headers are recorded."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.plan: list[tuple[str, str, int, dict[str, str], float]] = []
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    def fail(self, method: str, path: str, status: int, count: int, **headers: str) -> None:
        self.plan += [(method, path, status, headers, 0.0)] * count

    def stall(self, method: str, path: str, seconds: float) -> None:
        self.plan.append((method, path, 0, {}, seconds))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
            self.seen.append((scope["method"], scope["path"], headers))
            for index, (method, path, status, extra, delay) in enumerate(self.plan):
                if method == scope["method"] and path == scope["path"]:
                    del self.plan[index]
                    if delay:
                        await asyncio.sleep(delay)
                        break
                    raw = [(k.lower().encode(), v.encode()) for k, v in extra.items()]
                    await send({"type": "http.response.start", "status": status, "headers": raw})
                    await send({"type": "http.response.body", "body": b""})
                    return
        await self.app(scope, receive, send)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[str, Faults]]:
    faults = Faults(build_app(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"))
    with running(faults) as base:
        yield base, faults


def _prompt(client: Any, package: ModuleType, name: str) -> Any:
    models = importlib.import_module("plc_client.models")
    return client.create_prompt(body=models.PromptCreate(name=name, template="Say hello."))


def test_typed_results_errors_and_pagination(package: ModuleType, service: Any) -> None:
    base, _ = service
    with package.PromptLibraryAPIClient(base, api_key="rw-key", retry=FAST) as client:
        created = _prompt(client, package, "greeting")
        assert type(created).__name__ == "Prompt" and created.name == "greeting"
        with client.capture() as seen:
            assert client.get_prompt(prompt_id=created.id) == created
        assert seen.status == 200 and seen.headers["ETag"] == f'"{created.id}-1"'
        for index in range(4):
            _prompt(client, package, f"more-{index}")
        page = client.list_prompts(limit=2)
        assert len(page.items) == 2 and page.next_cursor
        names = [p.name for p in client.iter_list_prompts(limit=2)]
        assert sorted(names) == sorted(["greeting", *(f"more-{i}" for i in range(4))])
        with pytest.raises(NotFoundError) as missing:
            client.get_prompt(prompt_id="01JD8Y3K5V9Q2W7XH4M6N0PZRS")
        error = missing.value
        assert error.status == 404 and error.documented
        assert type(error.body).__name__ == "Problem" and error.problem["status"] == 404
    with (
        package.PromptLibraryAPIClient(base, retry=FAST) as anonymous,
        pytest.raises(UnauthorizedError),
    ):
        anonymous.list_prompts()


def test_503_with_retry_after_is_retried_with_one_idempotency_key(
    package: ModuleType, service: Any
) -> None:
    base, faults = service
    faults.fail("POST", "/prompts", 503, 2, **{"Retry-After": "0"})
    with package.PromptLibraryAPIClient(base, api_key="rw-key", retry=FAST) as client:
        created = _prompt(client, package, "retried")
    posts = [
        headers for method, path, headers in faults.seen if (method, path) == ("POST", "/prompts")
    ]
    assert len(posts) == 3 and created.name == "retried"
    keys = {headers["idempotency-key"] for headers in posts}
    assert len(keys) == 1  # one logical call, one key on every attempt


def test_post_without_an_idempotency_key_is_not_retried(package: ModuleType, service: Any) -> None:
    base, faults = service
    with package.PromptLibraryAPIClient(base, api_key="rw-key", retry=FAST) as client:
        created = _prompt(client, package, "render-me")
        path = f"/prompts/{created.id}/renders"
        faults.fail("POST", path, 503, 1, **{"Retry-After": "0"})
        models = importlib.import_module("plc_client.models")
        with pytest.raises(ServerError) as failed:
            client.render_prompt(prompt_id=created.id, body=models.RenderRequest(variables={}))
    assert failed.value.status == 503 and failed.value.attempts == 1
    assert [p for m, p, _ in faults.seen if m == "POST" and p == path] == [path]


def test_429_waits_for_retry_after(package: ModuleType, service: Any) -> None:
    base, faults = service
    faults.fail("GET", "/prompts", 429, 1, **{"Retry-After": "1"})
    with package.PromptLibraryAPIClient(base, api_key="rw-key", retry=FAST) as client:
        started = time.monotonic()
        client.list_prompts()
        waited = time.monotonic() - started
    assert waited >= 0.95  # the header's second, not the policy's 10 ms backoff


def test_the_retry_budget_stops_retries(package: ModuleType, service: Any) -> None:
    base, faults = service
    faults.fail("GET", "/prompts", 503, 3)
    broke = RetryPolicy(base=0.01, cap=0.05, budget_floor=0, budget_ratio=0.0)
    with (
        package.PromptLibraryAPIClient(base, api_key="rw-key", retry=broke) as client,
        pytest.raises(ServerError) as failed,
    ):
        client.list_prompts()
    assert failed.value.attempts == 1


def test_a_read_timeout_fires(package: ModuleType, service: Any) -> None:
    base, faults = service
    faults.stall("GET", "/prompts", 2.0)
    once = RetryPolicy(attempts=1)
    with package.PromptLibraryAPIClient(
        base, api_key="rw-key", retry=once, timeouts=Timeouts(read=0.2)
    ) as client:
        started = time.monotonic()
        with pytest.raises(TransportError) as failed:
            client.list_prompts()
    assert failed.value.timeout and time.monotonic() - started < 1.5


def test_async_client_against_the_stateful_mock(package: ModuleType) -> None:
    mock = build_mock(load_document(SPEC), MockOptions(stateful=True, access_log=False))
    models = importlib.import_module("plc_client.models")

    async def session(base: str) -> list[str]:
        async with package.AsyncPromptLibraryAPIClient(base, api_key="mock-token") as client:
            for name in ("one", "two", "three"):
                await client.create_prompt(body=models.PromptCreate(name=name, template="t"))
            return [p.name async for p in client.iter_list_prompts(limit=2)]

    with running(mock.app) as base:
        assert sorted(asyncio.run(session(base))) == ["one", "three", "two"]


def test_members_the_provider_added_are_ignored_unless_strict(package: ModuleType) -> None:
    """A tolerant reader: a newer provider's extra members (the generated model is closed by
    `additionalProperties: false`) are dropped; `strict_results=True` refuses them."""
    prompt = {
        "id": "01JD8Y3K5V9Q2W7XH4M6N0PZRS", "name": "greeting", "description": None,
        "template": "Hi {{who}}", "variables": [{"name": "who", "colour": "red"}],
        "tags": [], "latest_version": 1, "rating": 5,
        "created_at": "2024-11-21T08:00:00Z", "updated_at": "2024-11-21T08:00:00Z",
    }  # fmt: skip

    async def newer(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = json.dumps(prompt).encode()
        headers = [(b"content-type", b"application/json"), (b"etag", b'"x-1"')]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    with running(newer) as base:
        with package.PromptLibraryAPIClient(base, retry=FAST) as client:
            got = client.get_prompt(prompt_id=prompt["id"])
            assert got.name == "greeting" and got.variables[0].name == "who"
            assert "rating" not in got.model_dump()
        strict = package.PromptLibraryAPIClient(base, retry=FAST, strict_results=True)
        with strict, pytest.raises(UnexpectedResponseError, match="Extra inputs"):
            strict.get_prompt(prompt_id=prompt["id"])
