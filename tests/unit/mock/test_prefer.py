"""The Prefer header as Prism reads it; known preferences with bad values are 400s."""

from __future__ import annotations

import pytest

from toolkit.mock.prefer import NONE, Preference, parse
from toolkit.runtime import HTTPProblem


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, NONE),
        ("", NONE),
        ("code=404", Preference(code=404)),
        ("code=404, example=missing", Preference(code=404, example="missing")),
        ('example="a b"; dynamic=true', Preference(example="a b", dynamic=True)),
        ("dynamic=FALSE", Preference(dynamic=False)),
        ("respond-async, wait=10", NONE),  # RFC 7240: unknown preferences are ignored
        ("code=201, code=500", Preference(code=201)),  # the first of a repeated one
    ],
)
def test_parse(header: str | None, expected: Preference) -> None:
    assert parse(header) == expected


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("code=abc", "'abc' is not an HTTP status code"),
        ("code=99", "'99' is not an HTTP status code"),
        ("code=2000", "'2000' is not an HTTP status code"),
        ("code=", "'' is not an HTTP status code"),
        ("dynamic=yes", "'yes' is not true or false"),
    ],
)
def test_bad_values_are_the_clients_mistake(header: str, detail: str) -> None:
    with pytest.raises(HTTPProblem) as raised:
        parse(header)
    assert raised.value.status == 400
    assert detail in str(raised.value.detail)
