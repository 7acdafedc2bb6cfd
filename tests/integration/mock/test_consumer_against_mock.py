"""The real consumer, `prompt-cli`, against `ctk mock --stateful` on the reference spec:
what a consumer team does before the provider exists (issue 12 acceptance)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from examples.prompt_cli.cli import cli
from toolkit.load import load_document
from toolkit.mock import MockOptions, build_mock
from toolkit.runtime import running

SPEC = Path(__file__).resolve().parents[3] / "specs" / "prompt-library.yaml"
GREETING = ["--name", "greeting", "--template", "Say hello to {{who}}.", "--variable", "who"]


@pytest.fixture
def base_url() -> Iterator[str]:
    mock = build_mock(load_document(SPEC), MockOptions(stateful=True, access_log=False))
    with running(mock.app) as url:
        yield url


def invoke(base_url: str, *args: str, api_key: str | None = "mock-token") -> Result:
    options = ["--base-url", base_url] + (["--api-key", api_key] if api_key else [])
    return CliRunner().invoke(cli, [*options, *args], env={"PROMPT_CLI_API_KEY": None})


def output(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_consumer_works_against_the_mock(base_url: str) -> None:
    created = output(invoke(base_url, "create", *GREETING, "--idempotency-key", "key-00000001"))
    prompt = created["prompt"]
    assert prompt["name"] == "greeting" and prompt["template"] == "Say hello to {{who}}."
    assert prompt["variables"][0]["name"] == "who"
    assert created["location"] == f"/prompts/{prompt['id']}" and created["etag"]
    assert created["replayed"] is False
    again = output(invoke(base_url, "create", *GREETING, "--idempotency-key", "key-00000001"))
    assert again["replayed"] is True and again["prompt"] == prompt

    fetched = output(invoke(base_url, "get", prompt["id"]))
    assert fetched["prompt"] == prompt
    page = output(invoke(base_url, "list", "--limit", "1"))
    assert page == {"items": [prompt], "next_cursor": None}

    etag = fetched["etag"]
    updated = output(invoke(base_url, "update", prompt["id"], "--if-match", etag, "--tag", "hi"))
    assert updated["prompt"]["tags"] == ["hi"]

    assert output(invoke(base_url, "delete", prompt["id"])) == {"deleted": prompt["id"]}
    missing = invoke(base_url, "get", prompt["id"])
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr.startswith("Error: 404")


def test_the_consumer_sees_the_mocks_401(base_url: str) -> None:
    refused = invoke(base_url, "list", api_key="not-the-mock-token")
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: 401")
