"""Accepted changes: they turn to info with their reason; an expired acceptance fails; an
unused one warns; a malformed file is a located exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.diff import diff_specs
from toolkit.errors import Severity

ROOT = Path(__file__).resolve().parents[3]
PROMPTS = ROOT / "specs" / "prompt-library.yaml"


def _breaking(tmp_path: Path) -> Path:
    data = yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))
    del data["paths"]["/prompts/{prompt_id}"]["delete"]
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return new


def _ignore(tmp_path: Path, *entries: dict[str, object]) -> Path:
    path = tmp_path / "accepted.yaml"
    path.write_text(yaml.safe_dump(list(entries), sort_keys=False), encoding="utf-8")
    return path


ENTRY = {
    "rule": "operation-removed",
    "operation": "DELETE /prompts/{prompt_id}",
    "reason": "announced in the v2 notes",
}


def test_an_accepted_change_is_info_with_its_reason(tmp_path: Path) -> None:
    ignore = _ignore(tmp_path, {**ENTRY, "expires": "2027-01-31"})
    outcome = diff_specs(
        str(PROMPTS), str(_breaking(tmp_path)), ignore=ignore, today=dt.date(2026, 12, 5)
    )
    [finding] = outcome.diagnostics
    assert (
        finding.severity is Severity.INFO
        and "[accepted: announced in the v2 notes]" in finding.message
    )
    assert not outcome.failed(Severity.ERROR)


def test_an_expired_acceptance_fails_and_the_change_counts_again(tmp_path: Path) -> None:
    ignore = _ignore(tmp_path, {**ENTRY, "expires": "2026-11-30"})
    outcome = diff_specs(
        str(PROMPTS), str(_breaking(tmp_path)), ignore=ignore, today=dt.date(2026, 12, 5)
    )
    rules = {(d.rule, d.severity) for d in outcome.diagnostics}
    assert rules == {("operation-removed", Severity.ERROR), ("ignore-expired", Severity.ERROR)}
    expired = next(d for d in outcome.diagnostics if d.rule == "ignore-expired")
    assert expired.location.file.endswith("accepted.yaml") and expired.location.line == 1


def test_an_unused_acceptance_warns(tmp_path: Path) -> None:
    ignore = _ignore(tmp_path, ENTRY)
    outcome = diff_specs(str(PROMPTS), str(PROMPTS), ignore=ignore)
    assert [(d.rule, d.severity) for d in outcome.diagnostics] == [
        ("ignore-unused", Severity.WARNING)
    ]


def test_a_bad_ignore_file_is_exit_2(tmp_path: Path) -> None:
    ignore = _ignore(tmp_path, {"rule": "no-such-rule", "reason": "x"})
    result = CliRunner().invoke(cli, ["diff", str(PROMPTS), str(PROMPTS), "--ignore", str(ignore)])
    assert result.exit_code == 2 and "unknown rule 'no-such-rule'" in result.output
    ignore = _ignore(tmp_path, {"rule": "operation-removed"})
    result = CliRunner().invoke(cli, ["diff", str(PROMPTS), str(PROMPTS), "--ignore", str(ignore)])
    assert result.exit_code == 2 and "needs its `reason`" in result.output
