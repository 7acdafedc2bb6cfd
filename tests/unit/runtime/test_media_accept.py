"""The one Accept parser: 406 checks and error-body negotiation read a header alike."""

from __future__ import annotations

import pytest

from toolkit.runtime._media import Acceptable, accept_ranges


@pytest.mark.parametrize(
    ("header", "ranges"),
    [
        ("application/json", [("application/json", 1.0)]),
        ("Text/HTML;q=0.5, */*; q=0.1", [("text/html", 0.5), ("*/*", 0.1)]),
        ("application/json;q= 0 ,", [("application/json", 0.0)]),  # spaces, empty item
        ("text/plain;q=high", [("text/plain", 1.0)]),  # malformed weight counts as 1
        ("", []),
    ],
)
def test_accept_ranges(header: str, ranges: list[tuple[str, float]]) -> None:
    assert accept_ranges(header) == ranges


def test_a_zero_weight_refuses_the_type() -> None:
    acceptable = Acceptable(["application/json"])
    assert acceptable("application/json")
    assert acceptable("application/*;q=0.2")
    assert not acceptable("application/json;q=0, text/html")
    assert acceptable("")  # no preference
