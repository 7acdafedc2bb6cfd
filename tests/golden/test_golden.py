"""Spec in -> expected generated tree (with the client), byte for byte; the tree also passes
ruff and mypy --strict.

Regenerate the expected files after an intended change with `UPDATE_GOLDEN=1 pytest tests/golden`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.golden._checks import assert_ruff_and_mypy_pass
from toolkit.cli import cli

HERE = Path(__file__).parent
CASES = sorted(p.name for p in HERE.iterdir() if (p / "spec.yaml").is_file())


def generate(case: str, out: Path) -> None:
    result = CliRunner().invoke(
        cli, ["generate", str(HERE / case / "spec.yaml"), "--out", str(out), "--client"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path) -> None:
    out = tmp_path / case.replace("-", "_")
    generate(case, out)
    expected = HERE / case / "expected"
    # The manifest carries a digest of the generator's own code: it changes with every
    # generator edit by design, so it is checked for presence, not bytes.
    assert (out / "_manifest.json").is_file()
    produced = {
        p.name: p.read_text(encoding="utf-8")
        for p in out.iterdir()
        if p.is_file() and p.name != "_manifest.json"
    }
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected, ignore_errors=True)
        expected.mkdir()
        for name, text in produced.items():
            (expected / name).write_text(text, encoding="utf-8")
    wanted = {p.name: p.read_text(encoding="utf-8") for p in expected.iterdir() if p.is_file()}
    assert sorted(produced) == sorted(wanted)
    for name in sorted(wanted):
        assert produced[name] == wanted[name], f"{name} differs from tests/golden/{case}/expected"


@pytest.mark.parametrize("case", CASES)
def test_generated_code_passes_ruff_and_mypy(case: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg" / case.replace("-", "_")
    generate(case, out)
    assert_ruff_and_mypy_pass(out)
