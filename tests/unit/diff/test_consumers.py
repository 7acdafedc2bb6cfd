"""`ctk diff --pacts contracts/`: which known consumers rely on a breaking change (issue 13's
consumer-aware acceptance, on the prompt-library spec and the prompt-cli pact)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[3]
PROMPTS = ROOT / "specs" / "prompt-library.yaml"
CONTRACTS = ROOT / "contracts"


def _diff(tmp_path: Path, mutate: Callable[[dict[str, Any]], None], *extra: str) -> tuple[int, str]:
    data = yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))
    mutate(data)
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    args = ["diff", str(PROMPTS), str(new), "--pacts", str(CONTRACTS), *extra]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


def _remove(schema: str, name: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target = data["components"]["schemas"][schema]
        del target["properties"][name]
        target["required"] = [r for r in target.get("required", []) if r != name]

    return mutate


def test_a_removed_field_the_consumer_reads_names_its_interactions(tmp_path: Path) -> None:
    code, output = _diff(tmp_path, _remove("Prompt", "latest_version"), "--fail-on", "consumers")
    assert code == 1, output
    assert "property-removed" in output
    assert "relied on by prompt-cli" in output
    assert "prompt-cli 'get a prompt' (reads body.latest_version)" in output
    assert "reads body.items[].latest_version" in output  # the list reads it in each item
    assert "contracts/prompt-cli-prompt-library.json:" in output  # the interaction, located


def test_a_removed_field_no_consumer_reads_is_breaking_but_not_for_them(tmp_path: Path) -> None:
    mutate = _remove("PromptVersion", "changelog")  # prompt-cli never reads versions
    code, output = _diff(tmp_path, mutate, "--fail-on", "consumers")
    assert code == 0, output
    assert "property-removed" in output and "no known consumer relies on this" in output
    code, _ = _diff(tmp_path, mutate)  # still breaking by the default --fail-on
    assert code == 1


def test_a_parameter_now_required_names_who_does_not_send_it(tmp_path: Path) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["components"]["parameters"]["Limit"]["required"] = True

    code, output = _diff(tmp_path, mutate, "--fail-on", "consumers")
    assert code == 1
    assert "'list prompts without credentials' (does not send query parameter limit)" in output
    assert "'list the first page of prompts'" not in output  # it sends limit=2


def test_fail_on_consumers_needs_pacts(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", str(PROMPTS), str(PROMPTS), "--fail-on", "consumers"])
    assert result.exit_code == 2 and "needs --pacts" in result.output


def test_a_shared_schema_change_names_every_operation_even_with_the_same_label(
    tmp_path: Path,
) -> None:
    """GET and PATCH /prompts/{prompt_id} both answer `200 body` with a Prompt: the removed
    member is reported under both (it was once deduplicated away for the second)."""
    code, output = _diff(tmp_path, _remove("Prompt", "latest_version"), "-f", "json")
    assert code == 1
    [finding] = json.loads(output)["diagnostics"]
    assert "GET /prompts/{prompt_id}" in finding["message"]
    assert "PATCH /prompts/{prompt_id}" in finding["message"]
