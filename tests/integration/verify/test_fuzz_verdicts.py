"""Verdicts need evidence: a correct service behind a defective spec gets contract defects
(named by the `ctk lint` rule), not implementation bugs; `--strict` makes them fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[3]
BUGGY = ROOT / "tests" / "integration" / "verify" / "buggy"
CLEAN = "tests.integration.verify.buggy.app:clean"


@pytest.fixture
def defective(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Things spec without the 404 of the two operations addressed by id, and without
    any 4xx on the list: no correct server can keep it."""
    monkeypatch.chdir(ROOT)
    spec: dict[str, Any] = yaml.safe_load((BUGGY / "spec.yaml").read_text(encoding="utf-8"))
    for method in ("get", "delete"):
        del spec["paths"]["/things/{thingId}"][method]["responses"]["404"]
    listing = spec["paths"]["/things"]["get"]["responses"]
    for status in [s for s in listing if str(s).startswith("4")]:
        del listing[status]
    path = tmp_path / "defective.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _fuzz(spec: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(
        cli,
        [
            "fuzz",
            str(spec),
            "--config",
            str(BUGGY / "pyproject.toml"),
            "--app",
            CLEAN,
            "--max-examples",
            "20",
            "--seed",
            "1",
            "--out",
            str(out),
            "--report",
            "json",
            *extra,
        ],
    )
    return result.exit_code, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_a_defective_spec_gives_contract_defects_not_bugs(defective: Path, tmp_path: Path) -> None:
    code, report = _fuzz(defective, tmp_path / "a")
    assert code == 0, report["findings"]
    verdicts = {
        (f["operation"], f["verdict"], (f["evidence"] or {}).get("reason"))
        for f in report["findings"]
    }
    assert ("GET /things/{thingId}", "contract-defect", "operation-404-response") in verdicts
    assert ("DELETE /things/{thingId}", "contract-defect", "operation-404-response") in verdicts
    assert ("GET /things", "contract-defect", "operation-4xx-response") in verdicts
    assert all(v == "contract-defect" for _, v, _ in verdicts), verdicts
    for finding in report["findings"]:
        assert "`ctk lint` reports it" in finding["evidence"]["proof"]


def test_strict_fails_on_contract_defects(defective: Path, tmp_path: Path) -> None:
    code, report = _fuzz(defective, tmp_path / "b", "--strict")
    assert code == 1
    assert report["strict"] is True and report["failed"] is True
