from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.config import LintConfig
from toolkit.errors import Diagnostic
from toolkit.lint import lint_document
from toolkit.load import load_document

Lint = Callable[..., list[Diagnostic]]


@pytest.fixture
def lint_yaml(tmp_path: Path) -> Lint:
    """Write a spec (dedented YAML) and lint it; returns the diagnostics."""

    def run(
        text: str, config: LintConfig | None = None, name: str = "api.yaml"
    ) -> list[Diagnostic]:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return lint_document(load_document(path), config)

    return run
