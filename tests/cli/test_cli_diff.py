"""`ctk diff`: exit codes, git:REF:path sides, formats, and bad input as exit 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PROMPTS = ROOT / "specs" / "prompt-library.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _changed(tmp_path: Path, change: str) -> Path:
    data = yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))
    if change == "breaking":
        del data["components"]["schemas"]["Prompt"]["properties"]["tags"]
        data["components"]["schemas"]["Prompt"]["required"].remove("tags")
    elif change == "doubtful":
        data["paths"]["/prompts"]["get"]["operationId"] = "findPrompts"
    else:
        data["paths"]["/health"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    path = tmp_path / f"{change}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    code, output = run("diff", str(PROMPTS), str(_changed(tmp_path, "breaking")))
    assert code == 1 and "property-removed" in output and "tags: removed" in output
    assert "prompt-library.yaml:" in output  # the removed member, located on the old side
    assert run("diff", str(PROMPTS), str(_changed(tmp_path, "compatible")))[0] == 0
    doubtful = str(_changed(tmp_path, "doubtful"))
    assert run("diff", str(PROMPTS), doubtful)[0] == 0
    assert run("diff", str(PROMPTS), doubtful, "--fail-on", "warning")[0] == 1


def test_json_and_sarif_reports(tmp_path: Path) -> None:
    new = str(_changed(tmp_path, "breaking"))
    code, output = run("diff", str(PROMPTS), new, "-f", "json")
    assert code == 1
    findings = json.loads(output)["diagnostics"]
    assert {f["rule"] for f in findings} == {"property-removed"}
    code, output = run("diff", str(PROMPTS), new, "-f", "sarif")
    result = json.loads(output)["runs"][0]["results"][0]
    assert result["ruleId"] == "property-removed" and result.get("relatedLocations")


def test_a_side_read_from_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "api.yaml"
    spec.write_bytes(PROMPTS.read_bytes())

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", ".")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "v1")
    spec.write_bytes(_changed(tmp_path, "breaking").read_bytes())
    monkeypatch.chdir(repo)
    code, output = run("diff", "git:HEAD:specs/api.yaml", "specs/api.yaml")
    assert code == 1 and "git:HEAD:specs/api.yaml:" in output, output
    monkeypatch.chdir(repo / "specs")  # a path relative to where ctk runs, as git show ./x
    assert run("diff", "git:HEAD:api.yaml", "api.yaml")[0] == 1
    code, output = run("diff", "git:no-such-ref:api.yaml", "api.yaml")
    assert code == 2 and "no commit 'no-such-ref'" in output and "Traceback" not in output
    code, output = run("diff", "git:HEAD:missing.yaml", "api.yaml")
    assert code == 2 and "'missing.yaml' does not exist at HEAD" in output
    assert run("diff", "--against", "HEAD", "api.yaml")[0] == 1  # the pre-commit hook's form
    assert run("diff", "--against", "HEAD", "api.yaml", "api.yaml")[0] == 2


def test_the_pre_commit_hooks_are_ctk_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["ctk-lint", "ctk-generate-check", "ctk-diff"]
    for hook in hooks:
        command = hook["entry"].split()
        assert command[0] == "ctk" and command[1] in cli.list_commands(click.Context(cli)), hook


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    not_a_spec = tmp_path / "notes.yaml"
    not_a_spec.write_text("shopping: [milk]\n", encoding="utf-8")
    code, output = run("diff", str(PROMPTS), str(not_a_spec))
    assert code == 2 and "notes.yaml" in output and "Traceback" not in output
    other = ROOT.parent / "shared" / "corpus" / "examples" / "3.0-petstore.yaml"
    code, output = run("diff", str(PROMPTS), str(other))
    assert code == 2 and "two different APIs" in output
    for name, title in (("a.json", "A"), ("b.json", "B")):  # sharing only `/`
        paths = {"/": {"get": {"responses": {"200": {"description": "ok"}}}}, f"/{name}": {}}
        document = {"openapi": "3.0.3", "info": {"title": title, "version": "1"}, "paths": paths}
        (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    code, output = run("diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert code == 2 and "two different APIs" in output
    code, output = run("diff", "git:HEAD", str(PROMPTS))
    assert code == 2 and "git:REF:path" in output
    assert run("diff", str(PROMPTS))[0] == 2  # one side only


def test_list_rules() -> None:
    code, output = run("diff", "--list-rules")
    assert code == 0 and "property-removed" in output and "breaking" in output


def test_changelog_groups_changes_by_operation(tmp_path: Path) -> None:
    data = yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))
    del data["paths"]["/prompts/{prompt_id}"]["delete"]
    data["paths"]["/prompts"]["get"]["operationId"] = "findPrompts"
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    changelog = tmp_path / "CHANGES.md"
    code, _ = run("diff", str(PROMPTS), str(new), "--changelog", str(changelog))
    assert code == 1
    text = changelog.read_text(encoding="utf-8")
    assert (
        "## GET /prompts\n\n- **potentially breaking**: operationId listPrompts → findPrompts"
        in text
    )
    assert (
        "## DELETE /prompts/{prompt\\_id}\n\n- **breaking**: removed (`operation-removed`)" in text
    )
