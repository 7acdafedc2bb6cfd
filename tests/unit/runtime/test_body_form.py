"""application/x-www-form-urlencoded bodies: parsed strictly, each field coerced like a query
parameter of its schema (honouring `encoding`), validated like JSON bodies (422 with
pointers), handed over as a dict or as the body model when the JSON type shares the schema."""

from __future__ import annotations

import pytest

from toolkit.runtime import Settings

from .conftest import assert_problem
from .media import Pet, Recorder, media_client

pytestmark = pytest.mark.anyio
FORM = {"content-type": "application/x-www-form-urlencoded"}


async def test_fields_are_coerced_by_their_schema() -> None:
    recorder = Recorder()
    body = (
        b"n=3&ratio=-1.5e2&ok=true&name=a+b&tags=x&tags=y&ids=1,2,3"
        b"&meta=%7B%22a%22%3A+1%7D&filter%5Bmin%5D=4"
    )
    async with media_client(recorder) as client:
        response = await client.post("/form", content=body, headers=FORM)
    assert response.status_code == 200, response.text
    assert recorder.bodies == [
        {
            "n": 3,
            "ratio": -150.0,
            "ok": True,
            "name": "a b",
            "tags": ["x", "y"],
            "ids": [1, 2, 3],
            "meta": {"a": 1},
            "filter": {"min": 4},
        }
    ]


async def test_a_single_value_of_an_array_field_is_a_list() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        response = await client.post("/form", content=b"n=1&tags=only", headers=FORM)
    assert response.status_code == 200
    assert recorder.bodies == [{"n": 1, "tags": ["only"]}]


async def test_invalid_fields_are_422_with_pointers() -> None:
    recorder = Recorder()
    body = b"n=0&ok=yes&ids=1,x&meta=%7B%7D&name=toolong&color=red"
    async with media_client(recorder) as client:
        response = await client.post("/form", content=body, headers=FORM)
    problem = assert_problem(response, 422)
    assert sorted(e["pointer"] for e in problem["errors"]) == [
        "/color",  # additionalProperties: false
        "/ids/1",
        "/meta/a",
        "/n",
        "/name",
        "/ok",
    ]
    assert recorder.bodies == []


async def test_a_missing_required_field_points_at_it() -> None:
    async with media_client(Recorder()) as client:
        response = await client.post("/form", content=b"ratio=1", headers=FORM)
    assert [e["pointer"] for e in assert_problem(response, 422)["errors"]] == ["/n"]


async def test_an_empty_required_form_is_the_empty_object() -> None:
    async with media_client(Recorder()) as client:
        response = await client.post("/form", content=b"", headers=FORM)
    assert [e["pointer"] for e in assert_problem(response, 422)["errors"]] == ["/n"]


@pytest.mark.parametrize("body", [b"n=1&&ok=true", b"n", b"n=1&", b"n=%ff"])
async def test_malformed_forms_are_400(body: bytes) -> None:
    async with media_client(Recorder()) as client:
        response = await client.post("/form", content=body, headers=FORM)
    assert "x-www-form-urlencoded" in assert_problem(response, 400)["detail"]


async def test_an_oversized_form_is_413() -> None:
    async with media_client(Recorder(), Settings(access_log=False, max_body_bytes=16)) as client:
        response = await client.post("/form", content=b"n=1&name=" + b"a" * 32, headers=FORM)
    assert_problem(response, 413)


async def test_a_form_sharing_the_json_schema_builds_the_model() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        by_form = await client.put("/pets", content=b"name=rex&age=3", headers=FORM)
        by_json = await client.put("/pets", json={"name": "rex", "age": 3})
        bad = await client.put("/pets", content=b"age=old", headers=FORM)
    assert by_form.status_code == by_json.status_code == 200
    assert recorder.bodies == [Pet(name="rex", age=3), Pet(name="rex", age=3)]
    assert sorted(e["pointer"] for e in assert_problem(bad, 422)["errors"]) == ["/age", "/name"]


async def test_null_is_none_for_a_nullable_field_of_an_inline_30_schema() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        nullable = await client.post("/form", content=b"n=1&score=null", headers=FORM)
        strict = await client.post("/form", content=b"n=null", headers=FORM)
    assert nullable.status_code == 200, nullable.text
    assert recorder.bodies == [{"n": 1, "score": None}]
    assert [e["pointer"] for e in assert_problem(strict, 422)["errors"]] == ["/n"]
