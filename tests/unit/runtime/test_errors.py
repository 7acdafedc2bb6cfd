"""Every error the runtime answers is an RFC 9457 problem with the request id, and none
leaks internals; handler problems keep their status, headers and extensions."""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest

from toolkit.runtime import HTTPProblem

from .conftest import SECRET, Client, assert_problem

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("GET", "/required-query", {}, 400),
        ("GET", "/secure/bearer", {}, 401),
        ("GET", "/secure/oauth", {"headers": {"Authorization": "Bearer tok-r"}}, 403),
        ("GET", "/nowhere", {}, 404),
        ("PATCH", "/items", {}, 405),
        ("GET", "/items", {"headers": {"Accept": "text/html"}}, 406),
        (
            "POST",
            "/items",
            {"content": b"x" * 2_000_000, "headers": {"content-type": "application/json"}},
            413,
        ),
        ("POST", "/items", {"content": b"{}", "headers": {"content-type": "text/csv"}}, 415),
        ("POST", "/items", {"json": {"name": 3}}, 422),
        ("GET", "/fail", {}, 500),
    ],
)
async def test_each_error_status_is_a_problem(
    client: Client, method: str, url: str, kwargs: dict[str, object], status: int
) -> None:
    response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert_problem(response, status)


async def test_unhandled_exception_is_500_without_internals_and_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "ctk.runtime"):
        response = await client.get("/fail", headers={"X-Request-ID": "req-500"})
    body = assert_problem(response, 500)
    assert body["detail"] == "Internal Server Error"
    assert "RuntimeError" not in response.text
    record = next(r for r in caplog.records if r.name == "ctk.runtime")
    assert "fail" in record.getMessage() and "req-500" in record.getMessage()
    assert record.exc_info is not None and SECRET in str(record.exc_info[1])


async def test_handler_problem_keeps_status_headers_and_extensions(client: Client) -> None:
    response = await client.get("/problem")
    body = assert_problem(response, 409)
    assert body["title"] == "Conflict"
    assert body["detail"] == "already there"
    assert body["hint"] == "retry"
    assert response.headers["retry-after"] == "5"


@pytest.mark.parametrize(
    "accept",
    [
        "*/*",
        "application/*",
        "application/json",
        "application/problem+json",
        "text/html, application/json;q=0.5",
        "",
    ],
)
async def test_lenient_accept(client: Client, accept: str) -> None:
    assert (await client.get("/items", headers={"Accept": accept})).status_code == 200


@pytest.mark.parametrize(
    "accept", ["text/html", "image/*", "application/json;q=0", "application/xml"]
)
async def test_accept_excluding_every_documented_type_is_406(client: Client, accept: str) -> None:
    assert_problem(await client.get("/items", headers={"Accept": accept}), 406)


async def test_no_accept_header_is_fine(client: Client) -> None:
    response = await client.get("/items", headers={"Accept": ""})
    assert response.status_code == 200


def test_problem_documents() -> None:
    problem = HTTPProblem(
        422, detail="bad", errors=[{"pointer": "#/a", "detail": "x"}], instance="no", extra=True
    )
    doc = problem.document("/p", "rid")
    assert doc == {
        "type": "about:blank",
        "title": HTTPStatus(422).phrase,
        "status": 422,
        "detail": "bad",
        "instance": "/p",
        "request_id": "rid",
        "errors": [{"pointer": "#/a", "detail": "x"}],
        "extra": True,
    }
    assert str(problem) == f"422 {HTTPStatus(422).phrase}: bad"
    with pytest.raises(ValueError, match="4xx or 5xx"):
        HTTPProblem(200)
