"""Parameters: styles, coercion by schema type, defaults, and 400/422 with pointers."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Client, MakeClient, Service, assert_problem

pytestmark = pytest.mark.anyio


async def args(client: Client, url: str, **kwargs: object) -> dict[str, object]:
    response = await client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()["args"]
    return result


async def test_query_defaults_apply(client: Client) -> None:
    assert await args(client, "/items") == {"limit": 10}


async def test_query_coercion(client: Client) -> None:
    got = await args(client, "/items?limit=5&flag=true&ratio=0.5&since=2026-01-31")
    assert got == {"limit": 5, "flag": True, "ratio": 0.5, "since": "2026-01-31"}


async def test_form_exploded_array(client: Client) -> None:
    assert (await args(client, "/items?tag=a&tag=b%20c&tag=d+e"))["tag"] == ["a", "b c", "d e"]


async def test_form_comma_list_with_item_coercion(client: Client) -> None:
    assert (await args(client, "/items?ids=1,2,3"))["ids"] == [1, 2, 3]


async def test_pipe_delimited(client: Client) -> None:
    assert (await args(client, "/items?pipes=a|b"))["pipes"] == ["a", "b"]


async def test_deep_object(client: Client) -> None:
    got = await args(client, "/items?filter[color]=red&filter[min]=3")
    assert got["filter"] == {"color": "red", "min": 3}


async def test_header_and_cookie(client: Client, service: Service) -> None:
    got = await args(
        client,
        "/items/1",
        headers={"X-Trace": "abc", "X-Flags": "true,false", "Cookie": "session=s1; other=x"},
    )
    assert got == {"item_id": 1, "x_trace": "abc", "x_flags": [True, False], "session": "s1"}
    context = service.calls[-1][1]["context"]
    assert context.headers["x-trace"] == "abc"
    assert context.operation_id == "get_item"


async def test_unknown_query_parameters_are_ignored(client: Client) -> None:
    assert await args(client, "/items?whatever=1") == {"limit": 10}


async def test_nullable_30_parameter(client: Client) -> None:
    # `nullable` is converted to JSON Schema; a query string still cannot spell null.
    body = assert_problem(await client.get("/items?ratio=abc"), 400)
    assert body["errors"][0]["pointer"] == "/query/ratio"


@pytest.mark.parametrize(
    ("url", "pointer"),
    [
        ("/items?limit=0", "/query/limit"),
        ("/items?limit=abc", "/query/limit"),
        ("/items?limit=1.5", "/query/limit"),
        ("/items?flag=yes", "/query/flag"),
        ("/items?ids=1,x", "/query/ids/1"),
        ("/items?since=yesterday", "/query/since"),  # formats are checked
        ("/items/abc", "/path/item_id"),
    ],
)
async def test_invalid_parameter_is_400_with_pointer(
    client: Client, url: str, pointer: str
) -> None:
    body = assert_problem(await client.get(url), 400)
    assert [e["pointer"] for e in body["errors"]] == [pointer]
    assert all(isinstance(e["detail"], str) for e in body["errors"])


async def test_missing_required_is_400(client: Client) -> None:
    body = assert_problem(await client.get("/required-query"), 400)
    assert body["errors"] == [{"pointer": "/query/q", "detail": "'q' is required"}]


async def test_every_bad_parameter_is_reported(client: Client) -> None:
    body = assert_problem(await client.get("/items?limit=0&flag=maybe"), 400)
    assert sorted(e["pointer"] for e in body["errors"]) == ["/query/flag", "/query/limit"]


async def test_content_parameter_is_parsed_as_json(client: Client) -> None:
    assert (await args(client, '/items?near={"lat":1.5}'))["near"] == {"lat": 1.5}
    body = assert_problem(await client.get("/items?near={}"), 400)
    assert body["errors"][0]["pointer"] == "/query/near/lat"


def styled_spec(style: str, explode: bool, schema: dict[str, Any]) -> dict[str, Any]:
    param = {
        "name": "v",
        "in": "path",
        "required": True,
        "style": style,
        "explode": explode,
        "schema": schema,
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "styles", "version": "1"},
        "paths": {
            "/s/{v}": {
                "get": {
                    "operationId": "list_items",
                    "parameters": [param],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


INTS = {"type": "array", "items": {"type": "integer"}}
OBJ = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}


@pytest.mark.parametrize(
    ("style", "explode", "schema", "raw", "value"),
    [
        ("simple", False, INTS, "1,2", [1, 2]),
        ("simple", False, OBJ, "a,1,b,x", {"a": 1, "b": "x"}),
        ("simple", True, OBJ, "a=1,b=x", {"a": 1, "b": "x"}),
        ("label", False, {"type": "integer"}, ".5", 5),
        ("label", False, INTS, ".1,2", [1, 2]),
        ("label", True, INTS, ".1.2", [1, 2]),
        ("matrix", False, {"type": "integer"}, ";v=5", 5),
        ("matrix", False, INTS, ";v=1,2", [1, 2]),
        ("matrix", True, INTS, ";v=1;v=2", [1, 2]),
        ("matrix", True, OBJ, ";a=1;b=x", {"a": 1, "b": "x"}),
    ],
)
async def test_path_styles(
    make_client: MakeClient,
    service: Service,
    style: str,
    explode: bool,
    schema: dict[str, Any],
    raw: str,
    value: Any,
) -> None:
    client = make_client(spec=styled_spec(style, explode, schema))
    response = await client.get(f"/s/{raw}")
    assert response.status_code == 200, response.text
    assert service.calls[-1][1]["v"] == value


@pytest.mark.parametrize(
    ("style", "explode", "raw"),
    [
        ("label", False, "%2E"),  # "." (httpx would drop a bare dot segment)
        ("label", True, "%2E"),
        ("matrix", False, ";v"),
        ("matrix", True, ";v"),
    ],
)
async def test_empty_object_and_array_in_path_styles(
    make_client: MakeClient, service: Service, style: str, explode: bool, raw: str
) -> None:
    """The OpenAPI style table's "empty" row: how label and matrix spell {} and []; simple's
    "" cannot be a path segment (see the header cases below)."""
    for schema, empty in ((OBJ, {}), (INTS, [])):
        client = make_client(spec=styled_spec(style, explode, schema))
        response = await client.get(f"/s/{raw}")
        assert response.status_code == 200, response.text
        assert service.calls[-1][1]["v"] == empty


def located_spec(where: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    param = {"name": "v", "in": where, "schema": schema, **extra}
    return {
        "openapi": "3.0.3",
        "info": {"title": "located", "version": "1"},
        "paths": {
            "/p": {
                "get": {
                    "operationId": "list_items",
                    "parameters": [param],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("where", "extra", "request_kwargs"),
    [
        ("query", {"explode": False}, {"params": {"v": ""}}),
        ("header", {}, {"headers": {"v": ""}}),
        ("header", {"explode": True}, {"headers": {"v": ""}}),
        ("cookie", {"explode": False}, {"headers": {"cookie": "v="}}),
        ("cookie", {}, {"headers": {"cookie": "v="}}),
    ],
)
async def test_empty_object_in_form_and_simple(
    make_client: MakeClient,
    service: Service,
    where: str,
    extra: dict[str, Any],
    request_kwargs: dict[str, Any],
) -> None:
    client = make_client(spec=located_spec(where, OBJ, **extra))
    response = await client.get("/p", **request_kwargs)
    assert response.status_code == 200, response.text
    assert service.calls[-1][1]["v"] == {}


@pytest.mark.parametrize(
    ("extra", "cookie"), [({}, "v=a=1,b=x"), ({"explode": True}, "v=a=1,b=x"), ({"explode": False}, "v=a,1,b,x")]
)  # fmt: skip
async def test_cookie_objects_follow_explode(
    make_client: MakeClient, service: Service, extra: dict[str, Any], cookie: str
) -> None:
    client = make_client(spec=located_spec("cookie", OBJ, **extra))
    response = await client.get("/p", headers={"cookie": cookie})
    assert response.status_code == 200, response.text
    assert service.calls[-1][1]["v"] == {"a": 1, "b": "x"}


async def test_empty_object_still_checks_required_properties(make_client: MakeClient) -> None:
    schema = {**OBJ, "required": ["a"]}
    client = make_client(spec=located_spec("query", schema, explode=False))
    body = assert_problem(await client.get("/p?v="), 400)
    assert [e["pointer"] for e in body["errors"]] == ["/query/v/a"]


@pytest.mark.parametrize(
    ("schema", "raw", "detail"),
    [
        (
            {"type": "integer", "format": "int64"},
            "9223372036854775808",
            "9223372036854775808 is greater than the maximum of 9223372036854775807 "
            "(the int64 range)",
        ),
        (
            {"type": "integer", "format": "int32"},
            "-2147483649",
            "-2147483649 is less than the minimum of -2147483648 (the int32 range)",
        ),
        ({"type": "string", "format": "uuid"}, "not-a-uuid", '"not-a-uuid" is not a "uuid"'),
        ({"type": "string", "format": "duration"}, "P1", '"P1" is not a "duration"'),
    ],
)
async def test_formats_of_30_parameters(
    make_client: MakeClient, schema: dict[str, Any], raw: str, detail: str
) -> None:
    client = make_client(spec=located_spec("query", schema))
    body = assert_problem(await client.get("/p", params={"v": raw}), 400)
    assert body["errors"] == [{"pointer": "/query/v", "detail": detail}]


async def test_in_range_int64_parameter(make_client: MakeClient, service: Service) -> None:
    client = make_client(spec=located_spec("query", {"type": "integer", "format": "int64"}))
    response = await client.get("/p", params={"v": str(-(2**63))})
    assert response.status_code == 200, response.text
    assert service.calls[-1][1]["v"] == -(2**63)


def test_a_number_spelled_as_an_integer_stays_exact() -> None:
    from toolkit.runtime._params import coercer

    number = coercer({"type": "number", "format": "int64"})
    assert number("9223372036854775807") == 2**63 - 1  # float() would round it to 2**63
    assert number("0.5") == 0.5 and number("1e3") == 1000.0 and number("x") == "x"
