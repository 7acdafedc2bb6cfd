"""text/* bodies are decoded by their charset and validated as strings; binary bodies are
bytes with minLength/maxLength enforced; an empty required text or binary body is the empty
value; other media types (XML, a text type described as an object) pass as bytes."""

from __future__ import annotations

import pytest

from toolkit.runtime import Settings

from .conftest import assert_problem
from .media import Recorder, media_client

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("content_type", "raw", "text"),
    [
        ("text/plain", b"abc", "abc"),
        ("text/plain; charset=UTF-8", b"cafe", "cafe"),
        ("text/plain", b"", ""),  # rt-empty-text-body: '' is a valid required string
    ],
)
async def test_text_is_decoded(content_type: str, raw: bytes, text: str) -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        response = await client.put("/note", content=raw, headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert recorder.bodies == [text]


async def test_the_charset_parameter_decodes() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        response = await client.post(
            "/note", content=b"\xe9t\xe9", headers={"content-type": 'text/plain; charset="latin-1"'}
        )
    assert response.status_code == 200, response.text
    assert recorder.bodies == ["\u00e9t\u00e9"]


async def test_text_breaking_its_schema_is_422() -> None:
    async with media_client(Recorder()) as client:
        response = await client.put(
            "/note", content=b"waytoolong", headers={"content-type": "text/plain"}
        )
    problem = assert_problem(response, 422)
    assert [e["pointer"] for e in problem["errors"]] == [""]
    assert "longer than 8" in problem["errors"][0]["detail"]


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [("text/plain", b"\xff\xfe"), ("text/plain; charset=klingon", b"abc")],
)
async def test_undecodable_text_is_400(content_type: str, raw: bytes) -> None:
    async with media_client(Recorder()) as client:
        response = await client.put("/note", content=raw, headers={"content-type": content_type})
    assert_problem(response, 400)


async def test_a_wildcard_text_type_and_an_absent_optional_body() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        typed = await client.post("/note", content=b"x,y", headers={"content-type": "text/csv"})
        absent = await client.post("/note")
    assert typed.status_code == absent.status_code == 200
    assert recorder.bodies == ["x,y", "<absent>"]


async def test_an_oversized_text_is_413() -> None:
    async with media_client(Recorder(), Settings(access_log=False, max_body_bytes=4)) as client:
        response = await client.put(
            "/note", content=b"abcdef", headers={"content-type": "text/plain"}
        )
    assert_problem(response, 413)


async def test_binary_bodies_are_bytes_within_their_length() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        ok = await client.put(
            "/blob", content=b"\x00" * 8, headers={"content-type": "application/octet-stream"}
        )
        empty = await client.put("/blob", headers={"content-type": "application/octet-stream"})
        long = await client.put(
            "/blob", content=b"\x00" * 9, headers={"content-type": "application/octet-stream"}
        )
        short = await client.post("/blob", content=b"\x01", headers={"content-type": "image/png"})
    assert ok.status_code == empty.status_code == 200
    assert recorder.bodies == [b"\x00" * 8, b""]  # an empty required binary body is b""
    assert "maxLength 8" in assert_problem(long, 422)["errors"][0]["detail"]
    assert "minLength 2" in assert_problem(short, 422)["errors"][0]["detail"]


async def test_an_empty_required_body_without_content_type_is_missing() -> None:
    async with media_client(Recorder()) as client:
        response = await client.put("/note")
    assert "required" in assert_problem(response, 400)["detail"]


async def test_other_media_types_pass_as_bytes() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        xml = await client.post(
            "/xml", content=b"<pet/>", headers={"content-type": "application/xml"}
        )
        csv = await client.post("/csv", content=b"a,b", headers={"content-type": "text/csv"})
    assert xml.status_code == csv.status_code == 200
    assert recorder.bodies == [b"<pet/>", b"a,b"]


async def test_text_json_is_json_validated_against_its_schema() -> None:
    recorder = Recorder()
    async with media_client(recorder) as client:
        headers = {"content-type": "text/json"}
        good = await client.put("/text-json", content=b'{"name": "Rex"}', headers=headers)
        bad = await client.put("/text-json", content=b'{"age": "x"}', headers=headers)
    assert good.status_code == 200, good.text
    assert recorder.bodies == [{"name": "Rex"}]
    pointers = {e["pointer"] for e in assert_problem(bad, 422)["errors"]}
    assert pointers == {"/name", "/age"}
