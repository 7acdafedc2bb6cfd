"""multipart/form-data bodies: python-multipart parses them, files become `UploadedFile`s,
fields are coerced by their schema (arrays from repeated parts, objects from JSON parts), the
object is validated like a JSON body, and malformed messages are 400s."""

from __future__ import annotations

import pytest

from toolkit.runtime import Settings, UploadedFile

from .conftest import assert_problem
from .media import Recorder, media_client

pytestmark = pytest.mark.anyio


async def test_files_and_fields() -> None:
    recorder = Recorder()
    files = [
        ("doc", ("report.pdf", b"%PDF-1", "application/pdf")),
        ("extras", ("a.bin", b"\x00\xff", "application/octet-stream")),
        ("extras", ("b.bin", b"\x01", "application/octet-stream")),
        ("avatar", ("me.png", b"\x89PNG", "image/png")),
    ]
    data = {
        "orderId": "42",
        "flags": ["true", "false"],
        "note": "héllo",
        "meta": '{"tag": "x"}',
    }
    async with media_client(recorder) as client:
        response = await client.post("/upload", data=data, files=files)
    assert response.status_code == 200, response.text
    [body] = recorder.bodies
    assert body == {
        "orderId": 42,
        "flags": [True, False],
        "note": "héllo",
        "meta": {"tag": "x"},
        "doc": UploadedFile("report.pdf", "application/pdf", b"%PDF-1"),
        "extras": [
            UploadedFile("a.bin", "application/octet-stream", b"\x00\xff"),
            UploadedFile("b.bin", "application/octet-stream", b"\x01"),
        ],
        "avatar": UploadedFile("me.png", "image/png", b"\x89PNG"),
    }
    assert len(body["doc"]) == 6


def _raw(*parts: tuple[str, str, bytes]) -> bytes:
    """A multipart body with boundary `b0undary` from (name, extra header lines, content)."""
    out = b""
    for name, headers, content in parts:
        head = f'--b0undary\r\nContent-Disposition: form-data; name="{name}"\r\n{headers}\r\n'
        out += head.encode() + content + b"\r\n"
    return out + b"--b0undary--\r\n"


MULTIPART = {"content-type": "multipart/form-data; boundary=b0undary"}


async def test_a_file_part_needs_a_filename_or_a_binary_type() -> None:
    recorder = Recorder()
    typed = _raw(("orderId", "", b"7"), ("doc", "Content-Type: image/png\r\n", b"abc"))
    untyped = _raw(
        ("orderId", "", b"7"),
        ("doc", "", b"{}"),
        ("extras", "Content-Type: application/pdf\r\n", b"%PDF"),
        ("extras", "Content-Type: text/plain\r\n", b"text"),
    )
    async with media_client(recorder) as client:
        accepted = await client.post("/upload", content=typed, headers=MULTIPART)
        refused = await client.post("/upload", content=untyped, headers=MULTIPART)
    assert accepted.status_code == 200, accepted.text
    assert recorder.bodies == [{"orderId": 7, "doc": UploadedFile(None, "image/png", b"abc")}]
    problem = assert_problem(refused, 422)
    assert [e["pointer"] for e in problem["errors"]] == ["/doc", "/extras/1"]
    assert "a file is expected" in problem["errors"][0]["detail"]


async def test_invalid_parts_are_422_with_pointers() -> None:
    recorder = Recorder()
    files = {"doc": ("big.bin", b"x" * 17, "application/octet-stream")}
    data = {"orderId": "4.5", "flags": ["maybe"], "note": "far too long", "meta": "{not json"}
    async with media_client(recorder) as client:
        response = await client.post("/upload", data=data, files=files)
    problem = assert_problem(response, 422)
    assert sorted(e["pointer"] for e in problem["errors"]) == [
        "/doc",  # maxLength counts the file's bytes
        "/flags/0",
        "/meta",
        "/note",
        "/orderId",
    ]
    assert recorder.bodies == []


async def test_a_missing_file_points_at_it() -> None:
    async with media_client(Recorder()) as client:
        response = await client.post("/upload", data={"orderId": "1"}, files={"x": b"1"})
    assert [e["pointer"] for e in assert_problem(response, 422)["errors"]] == ["/doc"]


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("multipart/form-data", b"--x\r\n\r\n--x--\r\n"),  # no boundary parameter
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data"),
        ("multipart/form-data; boundary=x", b"--x\r\n\r\nno name\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b"garbage without any boundary"),
        ("multipart/form-data; boundary=x", b"--y\r\n\r\n--y--\r\n"),
    ],
)
async def test_malformed_multipart_is_400(content_type: str, raw: bytes) -> None:
    async with media_client(Recorder()) as client:
        response = await client.post("/upload", content=raw, headers={"content-type": content_type})
    assert "multipart" in assert_problem(response, 400)["detail"]


async def test_a_text_part_in_a_bad_charset_is_400() -> None:
    raw = (
        b'--x\r\nContent-Disposition: form-data; name="note"\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xff\xfe\r\n--x--\r\n"
    )
    async with media_client(Recorder()) as client:
        response = await client.post(
            "/upload", content=raw, headers={"content-type": "multipart/form-data; boundary=x"}
        )
    assert "'note'" in assert_problem(response, 400)["detail"]


async def test_an_empty_required_multipart_body_is_missing() -> None:
    async with media_client(Recorder()) as client:
        response = await client.post(
            "/upload", content=b"", headers={"content-type": "multipart/form-data; boundary=x"}
        )
    assert "required" in assert_problem(response, 400)["detail"]


async def test_an_oversized_upload_is_413() -> None:
    settings = Settings(access_log=False, max_body_bytes=256)
    async with media_client(Recorder(), settings) as client:
        files = {"doc": ("big.bin", b"x" * 1024, "application/octet-stream")}
        response = await client.post("/upload", data={"orderId": "1"}, files=files)
    assert_problem(response, 413)


async def test_too_many_parts_is_400() -> None:
    raw = b"".join(
        b'--x\r\nContent-Disposition: form-data; name="p"\r\n\r\n1\r\n' for _ in range(1001)
    )
    async with media_client(Recorder()) as client:
        response = await client.post(
            "/upload",
            content=raw + b"--x--\r\n",
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
    assert "1000 parts" in assert_problem(response, 400)["detail"]


async def test_a_single_value_field_sent_in_several_parts_is_refused() -> None:
    """The corpus fuzz found it (hubapi files' `options`): the first part was kept and the
    others dropped silently; now the value is every part, which its schema refuses."""
    recorder = Recorder()
    files = {"doc": ("a.pdf", b"%PDF", "application/pdf")}
    async with media_client(recorder) as client:
        data = {"orderId": "1", "note": ["one", "two"]}
        response = await client.post("/upload", data=data, files=files)
    problem = assert_problem(response, 422)
    assert [e["pointer"] for e in problem["errors"]] == ["/note"]
    assert recorder.bodies == []
