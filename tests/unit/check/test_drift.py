"""The drift stage's route tables: read from the runtime, from Starlette-shaped apps with
mounts, through wrappers; compared with the spec by path shape, not parameter names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.check.drift import compare_tables, declared, route_table, shape


@dataclass
class _Route:
    path: str
    methods: set[str] | None = None
    app: Any = None


@dataclass
class _Router:
    routes: list[_Route] = field(default_factory=list)


@dataclass
class _Middleware:
    app: Any


SPEC = {
    "paths": {
        "/things": {"get": {}, "post": {}, "parameters": []},
        "/things/{id}": {"get": {}, "delete": {}},
    }
}


def test_declared_lists_operations_with_their_pointers() -> None:
    assert declared(SPEC) == {
        ("GET", "/things"): "/paths/~1things/get",
        ("POST", "/things"): "/paths/~1things/post",
        ("GET", "/things/{id}"): "/paths/~1things~1{id}/get",
        ("DELETE", "/things/{id}"): "/paths/~1things~1{id}/delete",
    }


def test_shape_ignores_parameter_names_converters_and_trailing_slashes() -> None:
    assert shape("/things/{thing_id}/") == shape("/things/{id:int}") == "/things/{}"
    assert shape("/") == "/"


def test_a_starlette_shaped_app_behind_middleware_with_a_mount() -> None:
    api = _Router([_Route("/{thing_id}", {"GET", "HEAD"}), _Route("/", {"GET", "POST"})])
    app = _Middleware(
        _Router(
            [
                _Route("/things", app=api),
                _Route("/admin/purge", {"POST"}),
                _Route("/docs", {"GET"}),
            ]
        )
    )
    table, note = route_table(app)
    assert table is not None and "_Router.routes" in note
    assert ("POST", "/admin/purge") in table and ("GET", "/things/{thing_id}") in table
    items = compare_tables(declared(SPEC), table)
    assert [(i.kind, i.method, i.path) for i in items] == [
        ("undeclared-route", "POST", "/admin/purge"),
        ("unserved-operation", "DELETE", "/things/{id}"),
    ]


def test_an_opaque_callable_has_no_table() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    table, note = route_table(app)
    assert table is None and "lists no routes" in note


def test_the_runtime_route_table_is_read() -> None:
    from examples.prompt_library import create_app
    from toolkit.runtime import Settings

    app = create_app(settings=Settings())
    table, note = route_table(app)
    assert note == "the runtime's route table"
    assert table is not None and ("DELETE", "/prompts/{prompt_id}") in table
    assert len({(m, p) for m, p in table if m != "HEAD"}) == 9  # HEAD rides on every GET
