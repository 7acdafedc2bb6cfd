"""`prompt-cli` (click's `CliRunner`) against the real reference service on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from examples.prompt_cli.cli import cli
from examples.prompt_library import create_app, create_service
from examples.prompt_library.auth import DEV_KEYS, load_verifier
from toolkit.runtime import Settings, running

GREETING = ["--name", "greeting", "--template", "Say hello to {{who}}.", "--variable", "who"]


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    app = create_app(
        create_service(f"sqlite+aiosqlite:///{tmp_path / 'prompts.sqlite3'}"),
        verifier=load_verifier({"PROMPT_LIBRARY_API_KEYS": DEV_KEYS}),
        settings=Settings(validate_responses=True, access_log=False, metrics=False),
    )
    with running(app) as url:
        yield url


def invoke(base_url: str, *args: str, api_key: str | None = "dev-key") -> Result:
    options = ["--base-url", base_url] + (["--api-key", api_key] if api_key else [])
    return CliRunner().invoke(cli, [*options, *args], env={"PROMPT_CLI_API_KEY": None})


def output(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_create_get_list(base_url: str) -> None:
    created = output(invoke(base_url, "create", *GREETING, "--idempotency-key", "key-00000001"))
    prompt = created["prompt"]
    assert created["etag"] == f'"{prompt["id"]}-1"'
    assert created["location"] == f"/prompts/{prompt['id']}"
    assert created["replayed"] is False
    assert prompt["variables"] == [
        {"name": "who", "description": None, "required": True, "default": None}
    ]

    again = output(invoke(base_url, "create", *GREETING, "--idempotency-key", "key-00000001"))
    assert again["replayed"] is True
    assert again["prompt"] == prompt

    fetched = output(invoke(base_url, "get", prompt["id"]))
    assert fetched == {"etag": created["etag"], "prompt": prompt}

    page = output(invoke(base_url, "list", "--limit", "1"))
    assert page == {"items": [prompt], "next_cursor": None}


def test_optional_variables_and_tags(base_url: str) -> None:
    args = ["--template", "Hi {{who}}{{mark}}", "--variable", "who", "--variable", "mark=!"]
    prompt = output(invoke(base_url, "create", "--name", "hi", *args, "--tag", "smalltalk"))[
        "prompt"
    ]
    assert prompt["variables"][1] == {
        "name": "mark",
        "description": None,
        "required": False,
        "default": "!",
    }
    assert prompt["tags"] == ["smalltalk"]


def test_pages_follow_the_cursor(base_url: str) -> None:
    for name in ("one", "two", "three"):
        output(invoke(base_url, "create", "--name", name, "--template", "x"))
    first = output(invoke(base_url, "list", "--limit", "2"))
    assert [item["name"] for item in first["items"]] == ["three", "two"]
    rest = output(invoke(base_url, "list", "--limit", "2", "--cursor", first["next_cursor"]))
    assert ([item["name"] for item in rest["items"]], rest["next_cursor"]) == (["one"], None)


def test_update_is_conditional(base_url: str) -> None:
    created = output(invoke(base_url, "create", *GREETING))
    prompt_id, etag = created["prompt"]["id"], created["etag"]

    updated = output(
        invoke(base_url, "update", prompt_id, "--if-match", etag, "--description", "Greets.")
    )
    assert updated["prompt"]["description"] == "Greets."
    assert updated["etag"] == f'"{prompt_id}-2"'

    stale = invoke(base_url, "update", prompt_id, "--if-match", etag, "--tag", "late")
    assert (stale.exit_code, stale.stdout) == (1, "")
    assert "412 Precondition failed" in stale.stderr


def test_delete_then_get_is_not_found(base_url: str) -> None:
    prompt_id = output(invoke(base_url, "create", *GREETING))["prompt"]["id"]
    assert output(invoke(base_url, "delete", prompt_id)) == {"deleted": prompt_id}

    missing = invoke(base_url, "get", prompt_id)
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == f"Error: 404 Not found: Prompt {prompt_id} does not exist.\n"


def test_the_key_can_come_from_the_environment(base_url: str) -> None:
    refused = invoke(base_url, "list", api_key=None)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: 401 Unauthorized")

    result = CliRunner().invoke(
        cli, ["--base-url", base_url, "list"], env={"PROMPT_CLI_API_KEY": "dev-key"}
    )
    assert output(result) == {"items": [], "next_cursor": None}


def test_usage_errors_exit_2(base_url: str) -> None:
    assert (
        invoke(base_url, "update", "01JD8Y3K5V9Q2W7XH4M6N0PZRS", "--if-match", "*").exit_code == 2
    )
    assert invoke(base_url, "create", "--name", "x").exit_code == 2
    assert invoke(base_url, "list", "--limit", "0").exit_code == 2


def test_an_unreachable_service_exits_1() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = invoke(url, "list")  # the port was free a moment ago: nothing listens there
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: could not reach {url}")


def test_a_request_the_spec_refuses_is_not_sent(base_url: str) -> None:
    refused = invoke(base_url, "create", "--name", "Not URL-safe", "--template", "x")
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr.startswith("Error: name: String should match pattern")
    assert output(invoke(base_url, "list")) == {"items": [], "next_cursor": None}  # none made
