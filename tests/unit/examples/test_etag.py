"""`If-Match` evaluation (RFC 9110 strong comparison)."""

from __future__ import annotations

import pytest

from examples.prompt_library.etag import if_match_allows, prompt_etag, version_etag

CURRENT = prompt_etag("01JD8Y3K5V9Q2W7XH4M6N0PZRS", 3)


def test_etag_shapes() -> None:
    assert CURRENT == '"01JD8Y3K5V9Q2W7XH4M6N0PZRS-3"'
    assert version_etag("01JD8Y3K5V9Q2W7XH4M6N0PZRS", 2) == '"01JD8Y3K5V9Q2W7XH4M6N0PZRS-v2"'


@pytest.mark.parametrize(
    "header",
    [
        "*",
        " * ",
        CURRENT,
        f'"other", {CURRENT}',
        f'{CURRENT},"other"',
        f", ,{CURRENT} ,",
        f'"a,b", {CURRENT}',
    ],
)
def test_matches(header: str) -> None:
    assert if_match_allows(header, CURRENT)


@pytest.mark.parametrize(
    "header",
    [
        f"W/{CURRENT}",  # weak tags never match strongly
        CURRENT.strip('"'),  # unquoted
        f"{CURRENT} {CURRENT}",  # no comma
        f"{CURRENT}, *",
        '"other"',
        "",
        "garbage",
        "0" * 1024,
    ],
)
def test_does_not_match(header: str) -> None:
    assert not if_match_allows(header, CURRENT)


def test_long_pathological_lists_are_cheap() -> None:
    assert not if_match_allows('"a"' + " ," * 500 + "x", CURRENT)
