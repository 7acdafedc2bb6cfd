"""Hostile command lines and configs: exit 2 with a usage message, never a traceback.

These are cheap, so they run in-process through click's CliRunner.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.hostile._helpers import HEADER
from toolkit.cli import cli
from toolkit.lint import RULES

RULE = next(iter(RULES)).id


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the repo, whose pyproject.toml sets [tool.ctk]; with one good spec."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(HEADER, encoding="utf-8")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="ctk")


def assert_usage_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["lint", "--bogus", "api.yaml"], ["Usage: ctk lint", "No such option '--bogus'"]),
        (["lint", "--fail-on", "fatal", "api.yaml"], ["Invalid value for '--fail-on'"]),
        (["lint", "-f", "html", "api.yaml"], ["Invalid value for '-f' / '--format'"]),
        (["lint", "--max-bytes", "0", "api.yaml"], ["Invalid value for '--max-bytes'"]),
        (["lint", "--max-bytes", "1e9", "api.yaml"], ["Invalid value for '--max-bytes'"]),
        (["lint", "--rule", "nope=error", "api.yaml"], ["unknown rule 'nope'", "--list-rules"]),
        (["lint", "--rule", "x", "api.yaml"], ["--rule expects ID=LEVEL, got 'x'"]),
        (["lint", "--rule", f"{RULE}=fatal", "api.yaml"], ["unknown severity 'fatal'"]),
        (["lint", "--rule", "=error", "api.yaml"], ["unknown rule ''"]),
        (["lint"], ["Usage: ctk lint", "give at least one SPEC"]),
        (["lint", "--config", "missing.toml", "api.yaml"], ["does not exist"]),
        (["frobnicate"], ["No such command 'frobnicate'"]),
        (["bundle", "api.yaml"], ["Missing option '-o' / '--output'"]),
        (["bundle", "api.yaml", "-o", "out.txt"], ["cannot tell the format of out.txt"]),
        (["bundle", "api.yaml", "-o", "api.yaml"], ["OUTPUT is the input spec"]),
        (["bundle", "missing.yaml", "-o", "out.yaml"], ["missing.yaml", "file not found"]),
        (["bundle", "api.yaml", "-o", "api.json", "extra"], ["Got unexpected extra argument"]),
    ],
)
def test_bad_command_lines_are_usage_errors(args: list[str], fragments: list[str]) -> None:
    assert_usage_error(invoke(*args), *fragments)


def test_bundle_does_not_overwrite_a_different_file_without_force(tmp_path: Path) -> None:
    (tmp_path / "out.yaml").write_text("precious\n", encoding="utf-8")
    assert_usage_error(invoke("bundle", "api.yaml", "-o", "out.yaml"), "--force")
    assert (tmp_path / "out.yaml").read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize(
    ("toml", "fragments"),
    [
        ("[tool.ctk\n", ["malformed TOML"]),
        ("[tool.ctk.load]\nmax-bytes = -1\n", ["max-bytes must be a positive integer"]),
        ("[tool.ctk.load]\nmax-bytes = 'big'\n", ["max-bytes must be a positive integer"]),
        (
            "[tool.ctk.load]\nallow-remote-refs = 'yes'\n",
            ["allow-remote-refs must be true or false"],
        ),
        ("[tool.ctk.load]\nfetch-everything = true\n", ["unknown key(s) in [tool.ctk.load]"]),
        pytest.param(
            "[tool.ctk.lint]\nfail-on = 'fatal'\n",
            ["unknown severity 'fatal'"],
        ),
        ("[tool.ctk.lint]\nrules = 'all'\n", ["must be a table"]),
        ("[tool.ctk.lint]\nignore = [{rules = ['x']}]\n", ["ignore.0.pointer is required"]),
        ("[tool]\nctk = 5\n", ["[tool.ctk] must be a table"]),
    ],
)
def test_bad_configs_are_usage_errors(tmp_path: Path, toml: str, fragments: list[str]) -> None:
    (tmp_path / "pyproject.toml").write_bytes(toml.encode())
    result = invoke("lint", "api.yaml")
    assert_usage_error(result, "pyproject.toml", *fragments)


def test_config_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.ctk.lint]\nfail-on = '\xff'\n")
    assert_usage_error(invoke("lint", "api.yaml"), "pyproject.toml", "cannot read")
