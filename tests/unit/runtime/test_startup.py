"""`build_app` refuses at startup what it could not serve: bad pointers, schemas that do not
compile, missing handlers, unknown security schemes, duplicate operations."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from toolkit.errors import ToolkitError
from toolkit.runtime import Body, Operation, OperationError, Param, build_app

from .conftest import MODELS, SPEC, Service, operations_from


def ops() -> tuple[Operation, ...]:
    return operations_from(SPEC, MODELS)


def test_the_test_spec_builds() -> None:
    assert callable(build_app(SPEC, ops(), Service()))


def test_missing_handlers_are_named() -> None:
    class Partial:
        async def list_items(self, **kw: Any) -> None: ...

    with pytest.raises(OperationError, match="lacks handlers: create_item, get_my_item") as info:
        build_app(SPEC, ops(), Partial())
    assert isinstance(info.value, ToolkitError)


def test_dangling_pointer() -> None:
    op = Operation(
        "x", "GET", "/x", "list_items", params=(Param("q", "q", "query", False, "/nope/schema"),)
    )
    with pytest.raises(OperationError, match="no schema at '/nope/schema'") as info:
        build_app(SPEC, (op,), Service())
    assert info.value.location is not None and info.value.location.pointer == "/nope/schema"


def test_schema_that_does_not_compile() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Bad"] = {
        "type": "object",
        "properties": {"a": {"$ref": "#/components/schemas/Gone"}},
    }
    op = Operation(
        "x",
        "POST",
        "/x",
        "list_items",
        body=Body("body", True, ("application/json",), "/components/schemas/Bad"),
    )
    with pytest.raises(OperationError, match="does not compile"):
        build_app(spec, (op,), Service())


def test_unknown_security_scheme() -> None:
    op = Operation("x", "GET", "/x", "list_items", security=((("nope", ()),),))
    with pytest.raises(OperationError, match="'nope' is not defined"):
        build_app(SPEC, (op,), Service())


def test_mutual_tls_is_refused_with_a_hint() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["securitySchemes"]["mtls"] = {"type": "mutualTLS"}
    op = Operation("x", "GET", "/x", "list_items", security=((("mtls", ()),),))
    with pytest.raises(OperationError, match="cannot check") as info:
        build_app(spec, (op,), Service())
    assert "proxy" in info.value.hint


def test_duplicate_operations() -> None:
    first = ops()[0]
    with pytest.raises(OperationError, match="two operations for GET /items"):
        build_app(SPEC, (first, replace(first, id="again")), Service())


def test_path_parameter_missing_from_the_template() -> None:
    op = Operation("x", "GET", "/x", "list_items", params=(Param("id", "id", "path", True, None),))
    with pytest.raises(OperationError, match="'id' is not in '/x'"):
        build_app(SPEC, (op,), Service())


class _Handlers(Service):
    """The test service with `create_item` (keywords: body, context) replaced."""


def _with(create_item: Any) -> Service:
    service = _Handlers()
    service.create_item = create_item  # type: ignore[method-assign]
    return service


def test_a_handler_missing_a_keyword_fails_at_startup_naming_the_signature() -> None:
    async def create_item(*, context: Any) -> Any: ...

    with pytest.raises(
        OperationError, match=r"_Handlers\.create_item .*does not take body"
    ) as info:
        build_app(SPEC, ops(), _with(create_item))
    assert info.value.hint == "declare it as: async def create_item(self, *, body, context)"


def test_a_handler_requiring_an_argument_the_runtime_never_passes_fails_at_startup() -> None:
    async def create_item(*, body: Any, context: Any, owner: str) -> Any: ...

    with pytest.raises(OperationError, match="requires owner, which the runtime never passes"):
        build_app(SPEC, ops(), _with(create_item))


def test_handlers_taking_kwargs_or_defaults_or_sync_are_accepted() -> None:
    def sync(*, body: Any, context: Any, extra: int = 1) -> Any: ...

    async def anything(**kwargs: Any) -> Any: ...

    assert callable(build_app(SPEC, ops(), _with(sync)))
    assert callable(build_app(SPEC, ops(), _with(anything)))
