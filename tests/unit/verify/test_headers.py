from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.verify.fuzz.headers import parse_headers


def test_values_come_from_the_environment() -> None:
    env = {"TOKEN": "s3cret", "TENANT": "t1"}
    headers = parse_headers(["Authorization: Bearer ${TOKEN}", "X-Tenant:${TENANT}-x"], env)
    assert headers == {"Authorization": "Bearer s3cret", "X-Tenant": "t1-x"}


def test_a_missing_variable_names_it() -> None:
    with pytest.raises(UsageError, match=r"\$\{TOKEN\} is not set"):
        parse_headers(["Authorization: Bearer ${TOKEN}"], {})


@pytest.mark.parametrize("raw", ["no colon", ": empty name", "Bad Name: x", "X: a\nb"])
def test_malformed_headers_are_refused(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_headers([raw], {})


def test_a_line_break_from_the_environment_is_refused() -> None:
    with pytest.raises(UsageError, match="line break"):
        parse_headers(["X-A: ${V}"], {"V": "a\r\nInjected: yes"})
