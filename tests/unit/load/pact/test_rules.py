"""Matching rules: JSON paths, the V2 and V3 shapes, and which rule governs a value."""

from __future__ import annotations

import pytest

from toolkit.load.pact.rules import WILDCARD, RuleError, parse_path, parse_v2, parse_v3


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("$", ()),
        ("$.a.b", ("a", "b")),
        ("$.items[0].id", ("items", 0, "id")),
        ("$.items[*].id", ("items", WILDCARD, "id")),
        ("$['odd key'].x", ("odd key", "x")),
        ("$.a.*", ("a", WILDCARD)),
        ("X-Header", ("X-Header",)),
    ],
)
def test_parse_path(text: str, tokens: tuple[object, ...]) -> None:
    assert parse_path(text) == tokens


def test_an_unreadable_path_is_an_error_with_the_position() -> None:
    with pytest.raises(RuleError, match="character 4"):
        parse_path("$.a[")


def test_v2_rules_split_by_category_and_strip_the_prefix() -> None:
    rules = parse_v2(
        {
            "$.body.items": {"min": 1},
            "$.body.items[*].id": {"regex": "^[0-9]+$"},
            "$.headers.Content-Type": {"match": "regex", "regex": "json"},
            "$.query.q": {"match": "type"},
        },
        "matchingRules",
    )
    assert [r.path for r in rules.by_category["body"]] == [("items",), ("items", WILDCARD, "id")]
    assert rules.by_category["body"][0].matchers[0].kind == "type"  # V2 shorthand
    assert rules.by_category["body"][1].matchers[0].regex == "^[0-9]+$"
    assert [r.path for r in rules.by_category["header"]] == [("content-type",)]
    assert [r.path for r in rules.by_category["query"]] == [("q",)]


def test_v3_rules_and_v2_shaped_rules_in_a_v3_file() -> None:
    v3 = parse_v3(
        {
            "body": {"$.a": {"combine": "AND", "matchers": [{"match": "integer"}]}},
            "header": {"ETag": {"matchers": [{"match": "regex", "regex": "x"}]}},
            "path": {"matchers": [{"match": "regex", "regex": "/p/[0-9]+"}], "combine": "AND"},
        },
        "matchingRules",
    )
    assert v3.by_category["body"][0].matchers[0].kind == "integer"
    assert v3.by_category["header"][0].path == ("etag",)
    assert v3.by_category["path"][0].path == ()
    legacy = parse_v3({"$.body.a": {"match": "type"}}, "matchingRules")
    assert legacy.by_category["body"][0].path == ("a",)


def test_the_deepest_rule_governs_and_rules_cascade_to_children() -> None:
    rules = parse_v3(
        {
            "body": {
                "$": {"matchers": [{"match": "type"}]},
                "$.items[*].id": {"matchers": [{"match": "regex", "regex": "x"}]},
                "$.items[0].id": {"matchers": [{"match": "equality"}]},
            }
        },
        "m",
    )
    rule, exact = rules.find("body", ("items", 1, "id"))
    assert rule is not None and rule.matchers[0].kind == "regex" and exact
    rule, exact = rules.find("body", ("items", 0, "id"))
    assert rule is not None and rule.matchers[0].kind == "equality"
    rule, exact = rules.find("body", ("items", 1, "name"))
    assert rule is not None and rule.matchers[0].kind == "type" and not exact
    assert rules.find("header", ("etag",)) == (None, False)


def test_a_matcher_that_is_not_an_object_is_an_error() -> None:
    with pytest.raises(RuleError, match="a matcher is an object"):
        parse_v3({"body": {"$.a": {"matchers": ["type"]}}}, "matchingRules")
