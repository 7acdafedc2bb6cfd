"""`generated/` is exactly what `ctk generate` makes of `specs/` (CI fails when it is stale)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_generated_is_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["generate", "--check"])
    assert result.exit_code == 0, f"run `ctk generate` and commit generated/:\n{result.output}"
    assert "is fresh" in result.output
