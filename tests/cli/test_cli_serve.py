"""`ctk serve`'s settings from `[tool.ctk.serve]` under the command line, and its rate limits
(issue 11 items 12 and 15): what applies is said at startup; bad values are exit 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
IMPL = ["--impl", "examples.prompt_library:service", "--package", "generated.prompt_library"]
KEYS = ["--verifier", "examples.prompt_library.auth:load_verifier"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def _at_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run from the repo root on a database of our own."""
    import examples.prompt_library as prompt_library

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "db.sqlite3"))
    yield
    vars(prompt_library).pop("service", None)


def _config(tmp_path: Path, body: str) -> str:
    path = tmp_path / "pyproject.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_the_spec_limits_are_said_at_startup() -> None:
    code, output = run("serve", "specs/prompt-library.yaml", *IMPL, *KEYS, "--check")
    assert code == 0, output
    assert "rate limits per client, in memory: default 600/minute (9 operations)" in output


def test_rate_limit_flag_over_the_spec() -> None:
    spec = "specs/prompt-library.yaml"
    code, output = run("serve", spec, *IMPL, *KEYS, "--rate-limit", "50/second", "--check")
    assert code == 0, output
    assert "default 50/second (9 operations)" in output
    code, output = run("serve", spec, *IMPL, *KEYS, "--rate-limit", "off", "--check")
    assert code == 0, output
    assert "rate limits: none" in output


def test_a_bad_rate_limit_flag_is_exit_2() -> None:
    code, output = run("serve", "specs/prompt-library.yaml", *IMPL, "--rate-limit", "lots")
    assert code == 2
    assert "'lots' is not a rate limit" in output and "600/minute" in output


def test_rate_limit_is_refused_with_a_built_app() -> None:
    app = ["--app", "examples.prompt_library:app"]
    code, output = run("serve", "specs/prompt-library.yaml", *app, "--rate-limit", "1/second")
    assert code == 2
    assert "--rate-limit only apply with --impl" in output


def test_everything_from_the_config_table(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        f"""[tool.ctk.serve]
spec = "{ROOT / "specs/prompt-library.yaml"}"
impl = "examples.prompt_library:service"
package = "generated.prompt_library"
verifier = "examples.prompt_library.auth:load_verifier"
[tool.ctk.serve.cors]
origins = ["https://app.example"]
credentials = true
[tool.ctk.serve.rate-limit]
default = "100/minute"
operations = {{ renderPrompt = "5/second", deletePrompt = false }}
tags = {{ Versions = "30/minute" }}
""",
    )
    code, output = run("serve", "--config", config, "--check")
    assert code == 0, output
    assert "no --verifier" not in output
    line = next(x for x in output.splitlines() if x.startswith("rate limits"))
    assert line == (
        "rate limits per client, in memory: default 100/minute (4 operations); "
        "Versions 30/minute (3 operations); renderPrompt 5/second (1 operation)"
    )
    # the command line wins
    code, output = run("serve", "--config", config, "--rate-limit", "off", "--check")
    assert code == 0 and "rate limits: none" in output


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.ctk.serve.rate-limit]\ndefault = "fast"\n', "rate-limit/default: 'fast' is not"),
        ('[tool.ctk.serve.rate-limit]\nkey = "user"\n', "rate-limit"),
        ('[tool.ctk.serve.rate-limit]\nredis = "localhost:6379"\n', "redis"),
        ("[tool.ctk.serve]\nworkers = 3\n", "unknown key(s) in [tool.ctk.serve]: workers"),
        ("[tool.ctk.serve.cors]\ncredentials = true\n", "origins"),
    ],
)
def test_a_bad_table_is_a_located_exit_2(tmp_path: Path, table: str, message: str) -> None:
    code, output = run(
        "serve", "specs/prompt-library.yaml", *IMPL, "--config", _config(tmp_path, table)
    )
    assert code == 2, output
    assert message in output
    assert "pyproject.toml" in output


def test_an_unreachable_redis_is_exit_2(tmp_path: Path) -> None:
    config = _config(tmp_path, '[tool.ctk.serve.rate-limit]\nredis = "redis://127.0.0.1:1/0"\n')
    code, output = run("serve", "specs/prompt-library.yaml", *IMPL, "--config", config, "--check")
    assert code == 2
    assert "cannot reach Redis at redis://127.0.0.1:1/0" in output
    assert "Traceback" not in output


def test_a_shared_redis_is_named(tmp_path: Path, redis_url: str) -> None:
    config = _config(tmp_path, f'[tool.ctk.serve.rate-limit]\nredis = "{redis_url}"\n')
    code, output = run(
        "serve", "specs/prompt-library.yaml", *IMPL, *KEYS, "--config", config, "--check"
    )
    assert code == 0, output
    assert f"rate limits per client, Redis at {redis_url}: default 600/minute" in output


def test_any_origin_with_credentials_is_exit_2(tmp_path: Path) -> None:
    config = _config(tmp_path, '[tool.ctk.serve.cors]\norigins = ["*"]\ncredentials = true\n')
    code, output = run("serve", "specs/prompt-library.yaml", *IMPL, "--config", config, "--check")
    assert code == 2
    assert "credentials cannot be allowed for any origin" in output
