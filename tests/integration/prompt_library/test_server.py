"""The module-level app (`uvicorn examples.prompt_library:app`) behind a real uvicorn on
127.0.0.1: configuration from the environment, the dev key, lifespan migration and shutdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import examples.prompt_library as prompt_library
from toolkit.runtime import running


@pytest.fixture
def env_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PROMPT_LIBRARY_API_KEYS", raising=False)  # → the dev key
    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "served.sqlite3"))
    try:
        yield prompt_library.app
    finally:
        for name in ("app", "service"):  # built lazily; forget this test's instances
            vars(prompt_library).pop(name, None)


def test_the_module_app_serves_over_http(env_app: Any, tmp_path: Path) -> None:
    assert prompt_library.service is env_app.service
    assert not (tmp_path / "served.sqlite3").exists()  # nothing happens at import
    with running(env_app) as base:
        assert (tmp_path / "served.sqlite3").exists()  # migrated at startup
        with httpx.Client(base_url=base, headers={"X-API-Key": "dev-key"}, timeout=10) as http:
            assert http.get("/readyz").status_code == 200
            created = http.post("/prompts", json={"name": "served", "template": "Hi."})
            assert created.status_code == 201
            assert http.get(created.headers["location"]).json()["name"] == "served"
            assert http.get("/openapi.json").json()["info"]["title"] == "Prompt Library API"
            assert http.get("/prompts", headers={"X-API-Key": "nope"}).status_code == 401
