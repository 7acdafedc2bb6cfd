"""Which page a stateful list answers, and the page members written into its body."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from toolkit.mock.paging import Paging, Window, annotate


def test_parameters_are_recognised_by_their_usual_names() -> None:
    query = {"Page-Size": "page_size", "pageToken": "page_token", "skip": "skip"}
    assert Paging.of(query) == Paging(limit="page_size", cursor="page_token", offset="skip")
    assert Paging.of({"page": "page", "per_page": "per_page"}) == Paging(
        limit="per_page", page="page"
    )
    assert Paging.of({"q": "q"}) == Paging()


def test_window_by_cursor_offset_and_page() -> None:
    by_cursor = Paging(limit="limit", cursor="cursor")
    assert by_cursor.window({"limit": 2, "cursor": "2"}, 5) == Window(2, 4, 2, 5, None)
    assert by_cursor.window({"limit": 2}, 5) == Window(0, 2, 2, 5, None)
    by_offset = Paging(limit="limit", offset="offset")
    assert by_offset.window({"limit": 10, "offset": 3}, 5) == Window(3, 5, 10, 5, None)
    assert by_offset.window({"offset": 9}, 5) == Window(5, 5, None, 5, None)  # past the end
    by_page = Paging(limit="per_page", page="page")
    assert by_page.window({"per_page": 2, "page": 3}, 5) == Window(4, 5, 2, 5, 3)
    assert by_page.window({"page": 2}, 5) == Window(5, 5, None, 5, 2)  # no size: one page


def test_members_say_where_the_page_is() -> None:
    members = Window(2, 4, 2, 5, None).members()
    assert members == {
        "next": "4", "total": 5, "offset": 2, "limit": 2, "page": 2, "pages": 3, "more": True,
    }  # fmt: skip
    assert Window(4, 5, 2, 5, 3).members()["next"] is None


def _valid(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator(schema).is_valid


def test_annotate_fills_declared_members_that_keep_the_body_valid() -> None:
    schema = {
        "type": "object",
        "properties": {
            "total": {"type": "integer"},
            "next": {"type": "string"},  # no null: dropped on the last page
            "size": {"type": "string"},  # another meaning: keeps its value
            "meta": {"type": "object", "properties": {"hasMore": {"type": "boolean"}}},
        },
    }
    body = {"items": [], "total": 0, "next": "", "size": "L", "meta": {"hasMore": True}}
    last = annotate(body, Window(4, 5, 2, 5, None), _valid(schema))
    assert last == {"items": [], "total": 5, "size": "L", "meta": {"hasMore": False}}
    middle = annotate(body, Window(0, 2, 2, 5, None), _valid(schema))
    assert middle["next"] == "2" and middle["meta"] == {"hasMore": True}
    assert body["total"] == 0  # the answer's template is not changed
