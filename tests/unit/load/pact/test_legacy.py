"""Pact V1.1's Ruby `json_class` matchers become example values plus V3-shaped rules."""

from __future__ import annotations

import pytest

from toolkit.load.pact.legacy import has_legacy, unwrap
from toolkit.load.pact.rules import WILDCARD, RuleError

BODY = {
    "name": {"json_class": "Pact::SomethingLike", "contents": "Mary"},
    "id": {
        "json_class": "Pact::Term",
        "data": {"generate": "42", "matcher": {"json_class": "Regexp", "o": 0, "s": "^\\d+$"}},
    },
    "tags": {
        "json_class": "Pact::ArrayLike",
        "contents": {"label": {"json_class": "Pact::SomethingLike", "contents": "x"}},
        "min": 2,
    },
    "plain": True,
}


def test_unwrap_replaces_matchers_by_examples_and_returns_their_rules() -> None:
    assert has_legacy(BODY)
    example, rules = unwrap(BODY)
    assert example == {"name": "Mary", "id": "42", "tags": [{"label": "x"}] * 2, "plain": True}
    found = {r.path: (r.matchers[0].kind, r.matchers[0].attrs) for r in rules.by_category["body"]}
    assert found == {
        ("name",): ("type", {}),
        ("id",): ("regex", {"regex": "^\\d+$"}),
        ("tags",): ("type", {"min": 2}),
        ("tags", WILDCARD, "label"): ("type", {}),
    }


def test_a_term_without_its_regex_is_an_error() -> None:
    with pytest.raises(RuleError, match=r"data\.matcher\.s"):
        unwrap({"id": {"json_class": "Pact::Term", "data": {"generate": "1"}}})


def test_plain_bodies_are_not_legacy() -> None:
    assert not has_legacy({"json_class": "SomethingElse", "a": [1, {"b": 2}]})
