"""`ctk init`: writes what `ctk check` needs, overwrites nothing, and what it writes works."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from toolkit.cli import cli
from toolkit.config import Config, load_config
from toolkit.lint import lint_files

EXPECTED = [
    "specs/api.yaml",
    "contracts/.gitkeep",
    "generated/.gitkeep",
    "pyproject.toml",
    ".github/workflows/contract.yml",
    ".pre-commit-config.yaml",
]


def _init(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["init", "--dir", str(root), *args])


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_new_project_gets_everything_and_it_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _init(tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(_digest(tmp_path)) == sorted(EXPECTED)
    assert result.output.count("wrote ") == 6 and "6 written, 0 kept" in result.output
    config = load_config(tmp_path / "pyproject.toml")
    assert config.fuzz.spec == tmp_path / "specs" / "api.yaml"
    assert [t.out for t in config.generate.targets] == [tmp_path / "generated" / "api"]
    outcome, failures = lint_files([tmp_path / "specs" / "api.yaml"], Config())
    assert failures == [] and outcome.diagnostics == ()
    workflow = yaml.safe_load((tmp_path / ".github/workflows/contract.yml").read_text())
    steps = workflow["jobs"]["ctk-check"]["steps"]
    assert {"run": "ctk check"} in steps
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == [
        "ctk-lint",
        "ctk-generate-check",
        "ctk-check-fast",
    ]
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["generate"]).exit_code == 0
    checked = CliRunner().invoke(cli, ["check", "--fast", "--stages", "lint,generated,fuzz"])
    assert checked.exit_code == 0, checked.output
    assert "passed: 3 passed, 0 failed, 0 skipped" in checked.output
    assert "against `ctk mock` (no app configured)" in checked.output  # no app yet


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    assert _init(tmp_path).exit_code == 0
    before = _digest(tmp_path)
    again = _init(tmp_path)
    assert again.exit_code == 0
    assert _digest(tmp_path) == before
    assert again.output.count("kept ") == 6 and "0 written, 6 kept" in again.output


def test_an_existing_pyproject_keeps_every_byte(tmp_path: Path) -> None:
    original = '[project]\nname = "svc"  # mine\n\n[tool.ruff]\nline-length = 99'
    (tmp_path / "pyproject.toml").write_text(original)
    assert _init(tmp_path).exit_code == 0
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(original + "\n") and "[tool.ctk.check]" in text
    load_config(tmp_path / "pyproject.toml")  # still valid TOML, valid tables


def test_a_pyproject_with_ctk_settings_is_left_alone(tmp_path: Path) -> None:
    original = '[tool.ctk.lint]\nfail-on = "error"\n'
    (tmp_path / "pyproject.toml").write_text(original)
    result = _init(tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "pyproject.toml").read_text() == original
    assert "it already has [tool.ctk]" in result.output


def test_your_own_spec_and_app(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "orders.yaml").write_text("openapi: 3.1.0\n")
    result = _init(tmp_path, "--spec", "api/orders.yaml", "--app", "orders.main:app")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "specs").exists()
    config = load_config(tmp_path / "pyproject.toml")
    assert config.fuzz.spec == tmp_path / "api" / "orders.yaml"
    assert config.fuzz.app == "orders.main:app"
    assert [t.out.name for t in config.generate.targets] == ["orders"]


@pytest.mark.parametrize(
    ("args", "setup", "message"),
    [
        (["--spec", "nope.yaml"], "", "no such spec: nope.yaml"),
        (["--app", "no-colon"], "", "--app must look like package.module:attribute"),
        ([], "[project\nname=", "malformed TOML"),
    ],
)
def test_bad_input_is_exit_2_and_writes_nothing(
    tmp_path: Path, args: list[str], setup: str, message: str
) -> None:
    if setup:
        (tmp_path / "pyproject.toml").write_text(setup)
    before = _digest(tmp_path)
    result = _init(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert _digest(tmp_path) == before
