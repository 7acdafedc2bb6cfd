"""Bytes -> data: YAML 1.2 scalars, JSON strictness, bounds and located errors."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from toolkit.config import LoadOptions
from toolkit.errors import LoadError
from toolkit.load.parse import decode, parse, read_bytes, sniff
from toolkit.load.source import source_from_text


def yaml_value(text: str) -> Any:
    return parse(f"v: {text}\n", "t.yaml", "yaml")["v"]


def refused(text: str, fmt: str = "yaml", **kwargs: Any) -> LoadError:
    with pytest.raises(LoadError) as info:
        parse(text, "t." + fmt, fmt, **kwargs)  # type: ignore[arg-type]
    return info.value


# -- YAML 1.2 core schema --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("yes", "yes"),  # YAML 1.1 booleans are strings in 1.2
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("Yes", "Yes"),
        ("NO", "NO"),
    ],
)
def test_yaml_booleans_are_the_yaml_12_ones(text: str, value: Any) -> None:
    assert yaml_value(text) == value
    assert type(yaml_value(text)) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0755", 755),  # a leading zero is not octal in YAML 1.2
        ("0", 0),
        ("007", 7),
        ("-0755", -755),
        ("+12", 12),
        ("0o17", 15),
        ("0o0", 0),
        ("0x1F", 31),
        ("0xff", 255),
        ("12345678901234567890", 12345678901234567890),
    ],
)
def test_yaml_integers(text: str, value: int) -> None:
    assert yaml_value(text) == value
    assert type(yaml_value(text)) is int


@pytest.mark.parametrize(
    "text",
    ["1_000", "0b101", "0o8", "0x", "1:20", "0755.5.1", "+0x1F", "-0o17", "0O17", "1e"],
)
def test_yaml_11_number_forms_are_strings(text: str) -> None:
    assert yaml_value(text) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.5", 1.5),
        ("-1.5e3", -1500.0),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.", 1.0),
        (".inf", math.inf),
        ("-.inf", -math.inf),
        ("+.Inf", math.inf),
        (".INF", math.inf),
    ],
)
def test_yaml_floats(text: str, value: float) -> None:
    assert yaml_value(text) == value
    assert type(yaml_value(text)) is float


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_yaml_nan(text: str) -> None:
    assert math.isnan(yaml_value(text))


@pytest.mark.parametrize("text", ["", "~", "null", "Null", "NULL"])
def test_yaml_nulls(text: str) -> None:
    assert yaml_value(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2020-01-01",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10 -5",
        "nan",
        "inf",
        "NaN",
        "nULL",
        "tRUE",
        "=",
        "<<x",
    ],
)
def test_yaml_things_that_look_typed_stay_strings(text: str) -> None:
    assert yaml_value(text) == text


def test_explicit_core_tags_still_work() -> None:
    data = parse(
        "a: !!str 12\nb: !!int '12'\nc: !!float '1'\nd: !!bool 'true'\ne: !!null ''\n", "t", "yaml"
    )
    assert data == {"a": "12", "b": 12, "c": 1.0, "d": True, "e": None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!int abc", "'abc' is not a valid integer"),
        ("!!int 1.5", "'1.5' is not a valid integer"),
        ("!!float abc", "'abc' is not a valid number"),
        ("!!bool maybe", "'maybe' is not a valid boolean"),
        ("9" * 5000, "is not a valid integer (Exceeds the limit (4300 digits)"),
    ],
)
def test_bad_scalars_are_located(text: str, message: str) -> None:
    error = refused(f"a: 1\nv: {text}\n")
    assert message in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 4)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['true']",
        "!!python/name:os.system",
        "!!python/tuple [1, 2]",
        "!!binary aGVsbG8=",
        "!!timestamp 2020-01-01",
        "!!set {a}",
        "!!omap [a: 1]",
        "!!pairs [a: 1]",
        "!local {a: 1}",
        "!<tag:example.com,2000:x> 1",
    ],
)
def test_non_json_tags_are_refused(tag: str) -> None:
    error = refused(f"a: 1\nv: {tag}\n")
    assert "is not allowed in an API description" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 4)
    assert "remove the tag" in error.hint


# -- YAML mappings ---------------------------------------------------------------------------


def test_keys_are_always_strings_as_written() -> None:
    data = parse("200: a\n404: b\ntrue: c\n~: d\n1.5: e\n0x1F: f\n'7': g\n", "t", "yaml")
    assert data == {
        "200": "a",
        "404": "b",
        "true": "c",
        "~": "d",
        "1.5": "e",
        "0x1F": "f",
        "7": "g",
    }


@pytest.mark.parametrize(
    ("text", "key", "position"),
    [
        ("a: 1\nb: 2\na: 3\n", "'a'", (3, 1)),
        ("x:\n  200: a\n  '200': b\n", "'200'", (3, 3)),  # the same key once a string
        ("x: {a: 1, a: 2}\n", "'a'", (1, 11)),
    ],
)
def test_duplicate_keys_are_located(text: str, key: str, position: tuple[int, int]) -> None:
    error = refused(text)
    assert f"found duplicate key {key}" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == position


def test_merge_keys_merge_and_may_be_overridden() -> None:
    text = (
        "base: &base {a: 1, b: 2}\n"
        "more: &more {b: 3, c: 4}\n"
        "one: {<<: *base, b: 20}\n"
        "many: {<<: [*base, *more], d: 5}\n"
        "nested: &nested {<<: *base, a: 10}\n"
        "outer: {<<: *nested, b: 30}\n"
    )
    data = parse(text, "t", "yaml")
    assert data["one"] == {"a": 1, "b": 20}
    assert data["many"] == {"a": 1, "b": 2, "c": 4, "d": 5}  # the first listed map wins
    assert data["nested"] == {"a": 10, "b": 2}
    assert data["outer"] == {"a": 10, "b": 30}


def test_merging_an_ancestor_makes_cyclic_data_that_loading_refuses() -> None:
    text = "x: &x {a: 1, y: {<<: *x}}\n"  # y gets x's keys, y among them: y contains y
    data = parse(text, "t.yaml", "yaml")
    assert data["x"]["y"]["y"] is data["x"]["y"]
    with pytest.raises(LoadError, match="refers to its own ancestor"):
        source_from_text(Path("t.yaml"), text, LoadOptions())


def test_merging_itself_merges_nothing() -> None:
    assert parse("x: &x {<<: *x}\n", "t.yaml", "yaml") == {"x": {}}


def test_merging_a_scalar_is_refused() -> None:
    error = refused("x: {<<: 5}\n")
    assert "expected a mapping or list of mappings for merging" in error.message


def test_a_repeated_key_after_a_merge_is_still_a_duplicate() -> None:
    error = refused("base: &base {a: 1}\nx: {<<: *base, b: 1, b: 2}\n")
    assert "found duplicate key 'b'" in error.message


@pytest.mark.parametrize("text", ["? [a]\n: 1\n", "? {a: 1}\n: 1\n", "k: &k [1]\n? *k\n: 1\n"])
def test_collection_keys_are_refused(text: str) -> None:
    assert "mapping keys must be scalars" in refused(text).message


def test_aliases_are_shared_not_copied() -> None:
    data = parse("a: &x {k: [1, 2]}\nb: *x\n", "t", "yaml")
    assert data["a"] is data["b"]


# -- YAML documents and characters -----------------------------------------------------------


def test_several_documents_are_refused() -> None:
    error = refused("a: 1\n---\nb: 2\n")
    assert error.message == "malformed YAML: more than one YAML document in the file"
    assert error.location is not None
    assert error.location.line == 2


@pytest.mark.parametrize(("char", "column"), [("\x00", 5), ("\x07", 5), ("\x1b", 5)])
def test_control_characters_are_located(char: str, column: int) -> None:
    error = refused(f"a: 1\nb: x{char}y\n")
    assert "control characters are not allowed" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, column)


def test_deep_yaml_is_refused_with_a_position() -> None:
    error = refused("a: " + "[" * 5000 + "]" * 5000)
    assert "nesting" in error.message
    assert error.location is not None
    assert error.location.line == 1


def test_syntax_errors_are_located() -> None:
    error = refused("a: 1\nb: [1, 2\n")
    assert error.message.startswith("malformed YAML")
    assert error.location is not None
    assert error.location.line is not None


# -- JSON ------------------------------------------------------------------------------------


def test_json_parses_with_the_stdlib() -> None:
    assert parse('{"a": [1, 2.5, true, null, "x"]}', "t.json", "json") == {
        "a": [1, 2.5, True, None, "x"]
    }


@pytest.mark.parametrize(
    ("text", "constant", "position"),
    [
        ('{"a": NaN}', "NaN", (1, 7)),
        ('{"a": "NaN",\n "b": [1, Infinity]}', "Infinity", (2, 11)),
        ('{"a": -Infinity}', "-Infinity", (1, 7)),
    ],
)
def test_json_nan_and_infinity_are_refused_and_located(
    text: str, constant: str, position: tuple[int, int]
) -> None:
    error = refused(text, "json")
    assert error.message == f"malformed JSON: {constant} is not valid JSON"
    assert error.location is not None
    assert (error.location.line, error.location.column) == position


def test_json_duplicate_keys_are_located() -> None:
    error = refused('{"a": 1,\n "b": {"a": 2, "a": 3}}', "json")
    assert error.message == "duplicate key 'a' in one object"
    assert error.location is not None
    assert error.location.line == 2


def test_deep_json_is_refused_with_a_position() -> None:
    error = refused('{"a": "[[[[", "b": ' + "[" * 100_000 + "]" * 100_000 + "}", "json")
    assert "nesting is too deep" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (1, 19 + 256)


def test_huge_json_integers_are_located() -> None:
    error = refused('{"a": "99999",\n "b": ' + "9" * 5000 + "}", "json")
    assert "4300 digits" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 7)


def test_json_syntax_errors_are_located() -> None:
    error = refused('{"a": 1,\n "b": }', "json")
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 7)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "\\ud800"}',
        '{"a": "\\udc00\\ud800"}',  # reversed pair
        '{"\\udfff": 1}',  # in a key
        '{"a": "\\ud83d\\ude00", "b": "\\ud83d"}',
    ],
)
def test_lone_surrogates_are_refused(text: str) -> None:
    error = refused(text, "json")
    assert "lone UTF-16 surrogate" in error.message
    assert error.location is not None
    assert error.location.line == 1


def test_surrogate_pairs_and_escaped_backslashes_are_fine() -> None:
    assert parse('{"a": "\\ud83d\\ude00"}', "t", "json") == {"a": "\U0001f600"}
    assert parse('{"a": "\\\\ud800"}', "t", "json") == {"a": "\\ud800"}


def test_json_node_bound() -> None:
    flood = "[" + "[]," * 200 + "1]"
    assert "more than 100 nodes" in refused(flood, "json", max_nodes=100).message
    assert parse(flood, "t", "json", max_nodes=1000)[-1] == 1
    values = "[" + "1," * 99 + "1]"  # 101 nodes with the root
    assert "more than 100 nodes" in refused(values, "json", max_nodes=100).message
    assert len(parse(values, "t", "json", max_nodes=101)) == 100


def test_json_node_bound_ignores_strings_and_empty_containers() -> None:
    text = '{"a": "' + ",[{" * 500 + '\\"", "b": [[], {}, [ ], { }]}'
    assert parse(text, "t", "json", max_nodes=10)["b"] == [[], {}, [], {}]


# -- bytes, encodings, sniffing --------------------------------------------------------------


def test_decode_strips_a_bom() -> None:
    assert decode(b"\xef\xbb\xbfopenapi: 3.1.0\n", "t") == "openapi: 3.1.0\n"


@pytest.mark.parametrize(
    ("data", "position"),
    [
        (b"a: caf\xe9\n", (1, 7)),
        (b"a: 1\nb: \xff\n", (2, 4)),
        (b"\xef\xbb\xbfa: 1\n\xc3", (2, 1)),  # a truncated sequence; BOM not counted
        (b"a: \xed\xa0\x80\n", (1, 4)),  # an encoded surrogate is not UTF-8
    ],
)
def test_decode_locates_invalid_utf8(data: bytes, position: tuple[int, int]) -> None:
    with pytest.raises(LoadError) as info:
        decode(data, "t.yaml")
    assert info.value.message.startswith("invalid UTF-8")
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == position


@pytest.mark.parametrize(
    ("text", "name", "fmt"),
    [
        ('{"openapi": "3.1.0"}', "a.yaml", "json"),
        ("  \n[1]", "a.yaml", "json"),
        ("openapi: 3.1.0", "a.json", "yaml"),
        ("", "a.json", "json"),
        ("", "a.yaml", "yaml"),
    ],
)
def test_sniff(text: str, name: str, fmt: str) -> None:
    assert sniff(text, Path(name)) == fmt


def test_read_bytes_refuses_big_files_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(LoadError, match="over the limit of 100"):
        read_bytes(path, LoadOptions(max_bytes=100))
    assert read_bytes(path, LoadOptions(max_bytes=101)) == b"x" * 101


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: p.symlink_to(p), "cannot read file"),
    ],
)
def test_read_bytes_errors(tmp_path: Path, make: Any, message: str) -> None:
    path = tmp_path / "spec.yaml"
    make(path)
    with pytest.raises(LoadError, match=message) as info:
        read_bytes(path, LoadOptions(), display="shown.yaml")
    assert info.value.location is not None
    assert info.value.location.file == "shown.yaml"
