"""The curl commands `ctk fuzz` writes send exactly the recorded bytes, whatever they hold.

Each command runs in a real bash against a loopback server that echoes what it received."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from toolkit.runtime import running
from toolkit.verify.fuzz.curl import curl_command, printf_literal, quote
from toolkit.verify.fuzz.results import Request

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("bash") is None, reason="needs curl and bash"
)


async def _echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    echoed = {
        "method": scope["method"],
        "raw_path": scope["raw_path"].decode("latin-1"),
        "query": scope["query_string"].decode("latin-1"),
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "body": base64.b64encode(body).decode(),
    }
    payload = json.dumps(echoed).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(_echo) as url:
        yield url


def _send(command: str) -> dict[str, Any]:
    done = subprocess.run(["bash", "-c", command], capture_output=True, timeout=30, check=True)
    head, _, body = done.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), done.stdout[:200]
    return dict(json.loads(body))


HOSTILE_BODIES = [
    b"",
    b'{"name": "it\'s \\"quoted\\""}',
    b"line one\nline two\r\n\ttabbed",
    b"\x00\x01\x02 NUL and control bytes \x7f",
    b"\xff\xfe\xfd not UTF-8 \x80",
    bytes(range(256)),
    b"@/etc/passwd",
    b"%s %d %% $HOME `id` $(id) \\n \\x41",
    "ünïcödé ✓ 𝄞".encode(),
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=lambda b: repr(b[:12]))
def test_body_bytes_arrive_exactly(base: str, body: bytes) -> None:
    request = Request(
        "POST", "http://localhost/things", (("Content-Type", "application/octet-stream"),), body
    )
    echoed = _send(curl_command(request, base))
    assert base64.b64decode(echoed["body"]) == body
    assert echoed["method"] == "POST"


HOSTILE_HEADERS = [
    "it's got 'single' and \"double\" quotes",
    "$HOME `id` $(id) ${PATH}",
    "trailing backslash \\",
    "latin-1 \xe9\xff",
    "",
]


@pytest.mark.parametrize("value", HOSTILE_HEADERS)
def test_header_values_arrive_exactly(base: str, value: str) -> None:
    request = Request("GET", "http://localhost/x", (("X-Odd", value),), None)
    echoed = _send(curl_command(request, base))
    got = [v for k, v in echoed["headers"] if k == "x-odd"]
    assert got == [value]


def test_url_is_not_globbed_or_normalized(base: str) -> None:
    target = "http://localhost/a/../b/%00%ff/[1-2]/{x,y}?q=%27%22&r=$(id)&s=a%20b"
    echoed = _send(curl_command(Request("GET", target, (), None), base))
    assert echoed["raw_path"] == "/a/../b/%00%ff/[1-2]/{x,y}"
    assert echoed["query"] == "q=%27%22&r=$(id)&s=a%20b"


def test_method_and_base_url_override(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    command = curl_command(
        Request("DELETE", "http://localhost/things/1", (), None), "http://127.0.0.1:9"
    )
    monkeypatch.setenv("CTK_BASE_URL", base)
    done = subprocess.run(["bash", "-c", command], capture_output=True, timeout=30, check=True)
    assert b'"method": "DELETE"' in done.stdout


def test_quote_and_printf_are_single_words() -> None:
    assert quote("plain") == "'plain'"
    assert quote("it's") == "'it'\\''s'"
    assert quote(b"\n") == "$'\\x0a'"
    assert printf_literal(b"\x00%'\\") == "'\\000%%\\047\\\\'"
