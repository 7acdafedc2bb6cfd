"""Pagination cursors: round trip, tamper evidence, scope binding, malformed input."""

from __future__ import annotations

import base64
import re

import pytest

from examples.prompt_library.cursor import CursorCodec, CursorError

CODEC = CursorCodec(b"secret")
SHAPE = (int, str)


def test_round_trip() -> None:
    key = (1_732_000_000_123_456, "01JD8Y3K5V9Q2W7XH4M6N0PZRS")
    token = CODEC.encode("prompts", key)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)  # the spec's pattern
    assert len(token) <= 512
    assert CODEC.decode("prompts", token, SHAPE) == key


def test_another_scope_or_secret_refuses_the_cursor() -> None:
    token = CODEC.encode("prompts?tag=a", [1, "x"])
    with pytest.raises(CursorError, match="another listing"):
        CODEC.decode("prompts?tag=b", token, SHAPE)
    with pytest.raises(CursorError):
        CursorCodec(b"other").decode("prompts?tag=a", token, SHAPE)


def test_every_single_character_edit_is_detected() -> None:
    token = CODEC.encode("s", [123456789, "01JD8Y3K5V9Q2W7XH4M6N0PZRS"])
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # The last character may carry padding bits base64 ignores, so leave it out.
    for index in range(len(token) - 1):
        for replacement in alphabet:
            if replacement == token[index]:
                continue
            edited = token[:index] + replacement + token[index + 1 :]
            with pytest.raises(CursorError):
                CODEC.decode("s", edited, SHAPE)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "!!!",
        "A",  # not a base64 length
        "AAAA",
        "eyJpZCI6IjAxSkQ4WTNLNVY5UTJXN1hINE02TjBQWlJTIn0",  # the spec's example
        "A" * 513,
    ],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(CursorError):
        CODEC.decode("s", token, SHAPE)


@pytest.mark.parametrize("key", [[1], [1, 2], ["1", "x"], [True, "x"], [1, "x", 3]])
def test_keys_of_the_wrong_shape_are_refused(key: list[object]) -> None:
    # Signed with the right secret, so only the shape check can refuse them.
    token = CODEC.encode("s", key)  # type: ignore[arg-type]
    with pytest.raises(CursorError):
        CODEC.decode("s", token, SHAPE)


def test_a_signed_non_json_payload_is_refused() -> None:
    payload = b"not json"
    raw = bytes([1]) + CODEC._tag("s", payload) + payload
    token = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    with pytest.raises(CursorError):
        CODEC.decode("s", token, SHAPE)
