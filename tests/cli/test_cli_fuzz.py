"""`ctk fuzz` bad input: a clear, located message and exit 2, never a traceback or a hang."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "integration" / "verify" / "buggy" / "spec.yaml"
CLEAN = "tests.integration.verify.buggy.app:clean"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run from the repo root (the fixture app imports from there) without its
    [tool.ctk.fuzz], which names a target of its own."""
    monkeypatch.chdir(ROOT)
    empty = tmp_path / "pyproject.toml"
    empty.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "CONFIG", str(empty))


CONFIG = ""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str) -> tuple[int, str]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["fuzz", "--config", CONFIG, *args])
    assert time.monotonic() - started < 20, "a usage error must not hang"
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "http://127.0.0.1:{port}"], "cannot connect to 127.0.0.1:{port}"),
        (["--url", "http://192.0.2.10:8000"], "192.0.2.10 is not a loopback address"),
        (
            ["--url", "http://api.invalid", "--allow-host", "api.invalid"],
            "cannot connect to api.invalid",
        ),
        (["--url", "ftp://127.0.0.1/"], "must be an http(s) URL"),
        (["--app", "no_colon_here"], "must look like package.module:attribute"),
        (["--app", "no_such_module_xyz:app"], "cannot import 'no_such_module_xyz'"),
        (["--app", "tests.integration.verify.buggy.app:nope"], "has no attribute 'nope'"),
        (["--app", "tests.integration.verify.buggy.app:BUGS"], "is not an ASGI application"),
        ([], "give exactly one of --app"),
        (["--app", CLEAN, "--url", "http://127.0.0.1:1"], "give exactly one of --app"),
        (["--app", CLEAN, "--shard", "5/4"], "the index must be between 1 and the shard count"),
        (["--app", CLEAN, "--shard", "two"], "--shard must look like I/N"),
        (["--app", CLEAN, "--checks", "not_a_check"], "unknown check 'not_a_check'"),
        (["--app", CLEAN, "--phases", "examples,fuzz"], "unknown phase 'fuzz'"),
        (["--app", CLEAN, "--header", "X-Key: ${CTK_TEST_UNSET_VARIABLE}"], "is not set"),
        (["--app", CLEAN, "--include-path", "/nothing"], "no operation is left to fuzz"),
        (["--app", CLEAN, "--impl", "x:y"], "give exactly one of --app"),
    ],
)
def test_bad_usage_is_exit_2(args: list[str], message: str) -> None:
    port = str(_closed_port())
    args = [a.replace("{port}", port) for a in args]
    code, output = run(str(SPEC), *args)
    assert code == 2, output
    assert message.replace("{port}", port) in output


def test_a_spec_that_fails_to_load_is_located(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x\npaths: {}\n", encoding="utf-8")
    code, output = run(str(broken), "--app", CLEAN)
    assert code == 2
    assert "broken.yaml:" in output


def test_a_missing_spec_is_exit_2() -> None:
    code, output = run("no/such/spec.yaml", "--app", CLEAN)
    assert code == 2 and "no such spec" in output


def test_impl_without_a_generated_package_is_exit_2() -> None:
    code, output = run(str(SPEC), "--impl", "tests.integration.verify.buggy.app:clean")
    assert code == 2 and "no generated package is configured" in output


def test_replay_of_a_folder_without_records_is_exit_2(tmp_path: Path) -> None:
    code, output = run("--replay", str(tmp_path))
    assert code == 2 and "holds no ctk fuzz replay files" in output
