"""JSON pointer -> (line, column): batches agree with one-by-one, misses fall back to a parent."""

from __future__ import annotations

import json

import pytest

from toolkit.load.locate import JsonLocator, YamlLocator, line_columns

JSON = """\
{
  "openapi": "3.1.0",
  "paths": {
    "/pets/{id}": {
      "get": {"operationId": "getPet", "tags": ["a", "b"],
              "responses": {"200": {"description": "ok"}}}
    },
    "/a~b": {"x-n": [1, [2, {"k": null}], "s\\"]"]}
  },
  "x-escaped": {"q\\"uote": 1, "": {"empty": true}},
  "x-last": [ ]
}
"""

# pointer -> (line, column, what the text starts with there): the member's key in an
# object, the value in an array; a missing pointer gets its nearest existing ancestor.
TABLE = {
    "": (1, 1, "{"),
    "/openapi": (2, 3, '"openapi"'),
    "/paths": (3, 3, '"paths"'),
    "/paths/~1pets~1{id}": (4, 5, '"/pets/{id}"'),
    "/paths/~1pets~1{id}/get": (5, 7, '"get"'),
    "/paths/~1pets~1{id}/get/operationId": (5, 15, '"operationId"'),
    "/paths/~1pets~1{id}/get/tags/1": (5, 54, '"b"'),
    "/paths/~1pets~1{id}/get/responses/200/description": (6, 37, '"description"'),
    "/paths/~1a~0b/x-n/1/1/k": (8, 30, '"k"'),
    "/paths/~1a~0b/x-n/2": (8, 43, '"s\\"]"'),
    '/x-escaped/q"uote': (10, 17, '"q\\"uote"'),
    "/x-escaped/": (10, 31, '"": {'),
    "/x-escaped//empty": (10, 36, '"empty"'),
    "/x-last": (11, 3, '"x-last"'),
    # missing
    "/nope": (1, 1, "{"),
    "/paths/~1pets~1{id}/post": (4, 5, '"/pets/{id}"'),
    "/paths/~1pets~1{id}/get/tags/7": (5, 40, '"tags"'),
    "/paths/~1pets~1{id}/get/tags/01": (5, 40, '"tags"'),
    "/paths/~1a~0b/x-n/1/1/k/deeper": (8, 30, '"k"'),
    "/x-last/0": (11, 3, '"x-last"'),
    "/openapi/0": (2, 3, '"openapi"'),
}
EXPECTED = {pointer: (line, column) for pointer, (line, column, _) in TABLE.items()}


def test_the_table_matches_the_text() -> None:
    lines = JSON.splitlines()
    for pointer, (line, column, start) in TABLE.items():
        assert lines[line - 1][column - 1 :].startswith(start), pointer


def test_json_positions_one_by_one() -> None:
    for pointer, expected in EXPECTED.items():
        assert JsonLocator(JSON).position(pointer) == expected, pointer


def test_json_positions_in_one_batch_equal_one_by_one() -> None:
    batch = JsonLocator(JSON).positions(list(EXPECTED))
    assert batch == EXPECTED


@pytest.mark.parametrize("split", [1, 3, 7, 12])
def test_json_batches_in_any_order_and_split_agree(split: int) -> None:
    locator = JsonLocator(JSON)
    pointers = list(reversed(EXPECTED))
    first = locator.positions(pointers[:split])
    rest = locator.positions(pointers[split:])
    assert {**first, **rest} == EXPECTED


def test_json_batch_with_duplicates_keeps_the_order_asked() -> None:
    pointers = ["/paths", "/openapi", "/paths", "/nope"]
    assert list(JsonLocator(JSON).positions(pointers)) == ["/paths", "/openapi", "/nope"]


def test_json_minified() -> None:
    minified = json.dumps(json.loads(JSON), separators=(",", ":"))
    locator = JsonLocator(minified)
    assert locator.position("/paths") == (1, minified.index('"paths"') + 1)
    assert locator.position("/x-last") == (1, minified.index('"x-last"') + 1)


def test_json_locator_of_broken_text_still_reports_an_ancestor() -> None:
    text = '{"a": {"b": 1, "c": [1, 2,'
    locator = JsonLocator(text)
    assert locator.position("/a/b") == (1, 8)
    assert locator.position("/a/c/5") == (1, 16)
    assert JsonLocator("").position("/a") is None


YAML = """\
openapi: 3.1.0
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [a, b]
      responses:
        200: {description: ok}
  "/a~b":
    x-n:
      - 1
      - - 2
        - k: null
x-anchor: &anchor {q: 1}
x-alias: *anchor
"""

YAML_EXPECTED = {
    "": (1, 1),
    "/openapi": (1, 1),
    "/paths/~1pets~1{id}": (3, 3),
    "/paths/~1pets~1{id}/get/operationId": (5, 7),
    "/paths/~1pets~1{id}/get/tags/1": (6, 17),
    "/paths/~1pets~1{id}/get/responses/200": (8, 9),  # a plain 200 key, a string key
    "/paths/~1a~0b/x-n/1/1/k": (13, 11),
    "/x-alias/q": (14, 20),  # through the alias, where the anchor was written
    # missing: the nearest ancestor
    "/nope": (1, 1),
    "/paths/~1pets~1{id}/post": (3, 3),
    "/paths/~1pets~1{id}/get/tags/2": (6, 7),
    "/paths/~1pets~1{id}/get/tags/01": (6, 7),
    "/openapi/x": (1, 1),
}


def test_yaml_positions_one_by_one_and_in_a_batch() -> None:
    for pointer, expected in YAML_EXPECTED.items():
        assert YamlLocator(YAML).position(pointer) == expected, pointer
    assert YamlLocator(YAML).positions(list(YAML_EXPECTED)) == YAML_EXPECTED


def test_yaml_locator_of_broken_text_reports_nothing() -> None:
    assert YamlLocator("a: [1\n").position("/a") is None
    assert YamlLocator("a: 1\n---\nb: 2\n").position("/a") is None


def test_yaml_locator_does_not_construct_tags() -> None:
    locator = YamlLocator("a: !!python/object/apply:os.system ['false']\nb: 1\n")
    assert locator.position("/b") == (2, 1)


def test_line_columns() -> None:
    text = "ab\ncd\n\nef"
    assert line_columns(text, [0, 1, 3, 6, 7, 9, 3]) == {
        0: (1, 1),
        1: (1, 2),
        3: (2, 1),
        6: (3, 1),
        7: (4, 1),
        9: (4, 3),
    }
