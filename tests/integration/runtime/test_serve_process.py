"""`ctk serve` as a process on loopback (issue 11 item 8): the JSON access log reaches the
terminal, one line per request; `--workers N` serves an `--impl` app rebuilt in each
worker."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
Start = Callable[..., tuple["subprocess.Popen[str]", str]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Start]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> tuple[subprocess.Popen[str], str]:
        port = _free_port()
        env = {**os.environ, "PROMPT_LIBRARY_DB": str(tmp_path / "db.sqlite3")}
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "toolkit",
                "serve",
                "specs/prompt-library.yaml",
                *args,
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _get(base + "/healthz") == 200:
                    return process, base
            except OSError:
                time.sleep(0.1)
        process.kill()
        raise AssertionError(process.communicate()[1][-2000:])

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=20)  # reaps it and closes its pipes


def _lines(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    os.killpg(process.pid, signal.SIGTERM)
    out, _ = process.communicate(timeout=20)
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_the_access_log_reaches_the_terminal_one_json_line_a_request(serve: Start) -> None:
    process, base = serve("--app", "examples.prompt_library:app")
    assert _get(base + "/prompts", {"X-API-Key": "dev-key", "X-Request-ID": "req-42"}) == 200
    lines = _lines(process)
    mine = [line for line in lines if line["request_id"] == "req-42"]
    assert len(mine) == 1
    line = mine[0]
    assert line["status"] == 200 and line["operation_id"] == "listPrompts"
    assert line["method"] == "GET" and isinstance(line["duration_ms"], float)


def test_workers_serve_an_impl_app_rebuilt_in_each(serve: Start) -> None:
    process, base = serve(
        "--impl",
        "examples.prompt_library:service",
        "--package",
        "generated.prompt_library",
        "--workers",
        "2",
    )
    statuses = {_get(base + "/prompts") for _ in range(6)}
    assert statuses == {401}  # secured, and no verifier given: documented 401s
    assert len([line for line in _lines(process) if line.get("status") == 401]) >= 6
