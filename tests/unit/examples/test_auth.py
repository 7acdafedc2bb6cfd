"""Parsing `PROMPT_LIBRARY_API_KEYS` and the verifier built from it."""

from __future__ import annotations

import pytest

from examples.prompt_library.auth import load_verifier, parse_api_keys, subject_for

SCHEME = {"type": "apiKey", "in": "header", "name": "X-API-Key"}


def test_parse() -> None:
    assert parse_api_keys(" a = prompts:read ;; b=prompts:read  prompts:write; c=") == {
        "a": frozenset({"prompts:read"}),
        "b": frozenset({"prompts:read", "prompts:write"}),
        "c": frozenset(),
    }
    assert parse_api_keys("") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("secret", "entry 1: expected key=scope"),
        ("=prompts:read", "entry 1: expected key=scope"),
        ("a=prompts:read;b=prompts:admin", "entry 2: unknown scopes prompts:admin"),
        ("a=prompts:read;a=prompts:write", "entry 2: the key is listed twice"),
    ],
)
def test_parse_errors_name_the_entry_not_the_key(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_api_keys(text)
    assert "secret" not in str(raised.value)


@pytest.mark.anyio
async def test_the_dev_key_is_the_default_only_when_unset() -> None:
    verifier = load_verifier({})
    principal = await verifier.verify("apiKey", SCHEME, "dev-key", {})
    assert principal is not None
    assert principal.scopes == {"prompts:read", "prompts:write"}
    assert principal.subject == subject_for("dev-key")
    assert (
        await load_verifier({"PROMPT_LIBRARY_API_KEYS": ""}).verify("apiKey", SCHEME, "dev-key", {})
        is None
    )


@pytest.mark.anyio
async def test_a_key_is_also_a_bearer_token() -> None:
    verifier = load_verifier({"PROMPT_LIBRARY_API_KEYS": "tok=prompts:read"})
    principal = await verifier.verify("oauth2", {"type": "oauth2"}, "tok", {})
    assert principal is not None
    assert principal.scheme == "oauth2"
    assert principal.scopes == {"prompts:read"}


def test_subjects_do_not_reveal_keys() -> None:
    assert subject_for("my-secret-key").startswith("key-")
    assert "secret" not in subject_for("my-secret-key")
    assert len(subject_for("x")) == len("key-") + 12


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
