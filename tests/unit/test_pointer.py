"""RFC 6901 JSON pointers: escaping, splitting and resolving, edge cases first."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit import pointer as jp


@pytest.mark.parametrize(
    ("token", "escaped"),
    [
        ("a", "a"),
        ("a/b", "a~1b"),
        ("m~n", "m~0n"),
        ("~1", "~01"),  # a literal "~1" must not come back as "/"
        ("/~", "~1~0"),
        ("", ""),
        (3, "3"),
        ("/pets/{id}", "~1pets~1{id}"),
    ],
)
def test_escape_and_unescape_round_trip(token: str | int, escaped: str) -> None:
    assert jp.escape(token) == escaped
    assert jp.unescape(escaped) == str(token)


def test_unescape_order_is_the_rfc_one() -> None:
    """~01 is "~1" (unescape ~1 first, then ~0), never "/"."""
    assert jp.unescape("~01") == "~1"
    assert jp.unescape("~00") == "~0"
    assert jp.unescape("~10") == "/0"


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [
        ("", []),
        ("/", [""]),
        ("//", ["", ""]),
        ("/a~1b/c~0d", ["a/b", "c~d"]),
        ("/paths/~1pets~1{id}/get", ["paths", "/pets/{id}", "get"]),
        ("/ /x", [" ", "x"]),
    ],
)
def test_split(pointer: str, tokens: list[str]) -> None:
    assert jp.split(pointer) == tokens
    assert jp.from_tokens(tokens) == pointer


@pytest.mark.parametrize("pointer", ["a", "#/a", "a/b"])
def test_split_refuses_pointers_without_a_leading_slash(pointer: str) -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        jp.split(pointer)


def test_join_and_parent() -> None:
    assert jp.join("", "paths", "/pets", 0) == "/paths/~1pets/0"
    assert jp.join("/a") == "/a"
    assert jp.parent("/a/b~1c") == "/a"
    assert jp.parent("/a") == ""
    assert jp.parent("") == ""


DOC: dict[str, Any] = {
    "": "empty key",
    "a/b": 1,
    "m~n": 2,
    "list": ["zero", "one", {"deep": None}],
    "01": "a mapping key may have leading zeros",
    "null": None,
    "scalar": "text",
}


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("", DOC),
        ("/", "empty key"),
        ("/a~1b", 1),
        ("/m~0n", 2),
        ("/list/0", "zero"),
        ("/list/1", "one"),
        ("/list/2/deep", None),
        ("/01", "a mapping key may have leading zeros"),
        ("/null", None),  # present with a null value is not missing
    ],
)
def test_resolve(pointer: str, value: Any) -> None:
    assert jp.resolve(DOC, pointer) == value
    assert jp.exists(DOC, pointer)


@pytest.mark.parametrize(
    ("pointer", "missing"),
    [
        ("/nope", "nope"),
        ("/nope/deeper", "nope"),  # the first missing token is named
        ("/list/3", "3"),
        ("/list/01", "01"),  # leading zeros are not array indexes
        ("/list/00", "00"),
        ("/list/-", "-"),  # "-" (past the end) never resolves
        ("/list/-1", "-1"),
        ("/list/1.0", "1.0"),
        ("/list/ 1", " 1"),
        ("/list/\u00b2", "\u00b2"),  # "²".isdigit() is True, but it is no index
        ("/list/\u0661", "\u0661"),  # ARABIC-INDIC DIGIT ONE
        ("/scalar/0", "0"),  # into a string
        ("/null/x", "x"),  # into a null
        ("/list/2/deep/x", "x"),
        ("/a~1b/x", "x"),  # into an int
    ],
)
def test_resolve_names_the_first_missing_token(pointer: str, missing: str) -> None:
    with pytest.raises(KeyError) as info:
        jp.resolve(DOC, pointer)
    assert info.value.args == (missing,)
    assert not jp.exists(DOC, pointer)


def test_exists_is_false_for_a_malformed_pointer() -> None:
    assert not jp.exists(DOC, "list/0")


@pytest.mark.parametrize(
    ("token", "index"),
    [("0", True), ("10", True), ("01", False), ("", False), ("-1", False), ("\u00b2", False)],
)
def test_is_index(token: str, index: bool) -> None:
    assert jp.is_index(token) is index


def test_follow_percent_decodes_a_ref_fragment() -> None:
    """A `$ref` is a URI: `~1%7Bid%7D` names the path `/{id}` (DigitalOcean's spec does this)."""
    doc = {"paths": {"/{id}": {"get": {"ok": True}}}, "r": {"$ref": "#/paths/~1%7Bid%7D/get"}}
    assert jp.follow(doc, doc["r"], "/r") == ({"ok": True}, "/paths/~1{id}/get")


def test_follow_reports_a_dangling_ref_by_its_target() -> None:
    doc = {"r": {"$ref": "#/nowhere"}}
    assert jp.follow(doc, doc["r"], "/r") == (None, "/nowhere")
